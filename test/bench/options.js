// Command-line options of `npm run bench` (`node test/bench/run.js`).
import { parseArgs } from 'node:util';

export const USAGE = `usage: node test/bench/run.js [--runs N] [--only SUBSTRING]... [--json FILE] [--pkgguard BIN] [--timeout SECONDS] [--registry-as-is]

  --runs N          timed runs per row after one warm-up (default 10)
  --only SUBSTRING  run only rows whose "lockfile/tool" contains it at the start of a part
                    (after "/" or "-"); repeat to widen.
                    lockfiles: sink/npm, sink/npm-v2, sink/npm-v1, sink/yarn, sink/berry,
                    sink/pnpm, sink/bun, npm-large, yarn-large, berry-large, pnpm-large,
                    bun-large; tools: baseline, json-parse, yarnpkg-lockfile, parse-syml,
                    js-yaml, yaml, jsonc, pkgguard-audit, pkgguard-ls, snyk-parser,
                    lockfile-lint, arborist-load-virtual (a tool runs only on the formats it
                    reads; e.g. npm-large, audit, sink/npm/, sink/yarn/, bun-large/jsonc)
  --json FILE       also write the raw samples, medians, p90s and ratios as JSON
  --pkgguard BIN    the pkgguard entry point to time (default bin/pkgguard.js)
  --timeout SECONDS give up on one process after this long (default 300)
  --registry-as-is  time pkgguard under this machine's npm configuration unchanged. By default
                    its rows run with npm_config_registry set to the fixture registry
                    (https://registry.npm.example/): the bench lockfiles were resolved from the
                    default registry before their hosts were rewritten to that name, so that is
                    the setup of a user auditing their own lockfile. As-is, every package with a
                    URL counts as resolved from a non-default registry.`;

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: 'string', default: '10' },
      only: { type: 'string', multiple: true, default: [] },
      json: { type: 'string' },
      pkgguard: { type: 'string' },
      timeout: { type: 'string', default: '300' },
      'registry-as-is': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    runs: positiveInteger('--runs', values.runs),
    only: values.only,
    json: values.json,
    pkgguard: values.pkgguard,
    timeoutMs: positiveInteger('--timeout', values.timeout) * 1000,
    registryAsIs: values['registry-as-is'],
    help: values.help,
  };
}

function positiveInteger(flag, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

/**
 * `--only` matches a substring of "lockfile/tool" that starts a part of it (after "/" or "-"),
 * so "npm-large" selects npm-large but not pnpm-large, and "audit" still selects
 * pkgguard-audit. No filter selects everything.
 */
export function isSelected(only, lockfileName, toolId) {
  if (only.length === 0) return true;
  const key = `${lockfileName}/${toolId}`;
  return only.some((needle) => {
    for (let at = key.indexOf(needle); at !== -1; at = key.indexOf(needle, at + 1)) {
      if (at === 0 || key[at - 1] === '/' || key[at - 1] === '-') return true;
    }
    return false;
  });
}
