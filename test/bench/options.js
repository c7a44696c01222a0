// Command-line options of `npm run bench` (`node test/bench/run.js`).
import { parseArgs } from 'node:util';

export const USAGE = `usage: node test/bench/run.js [--runs N] [--only SUBSTRING]... [--json FILE] [--pkgguard BIN] [--timeout SECONDS]

  --runs N          timed runs per row after one warm-up (default 10)
  --only SUBSTRING  run only rows whose "lockfile/tool" contains it; repeat to widen.
                    lockfiles: sink/npm, sink/npm-v2, sink/npm-v1, npm-large; tools: baseline,
                    json-parse, pkgguard-audit, pkgguard-ls, lockfile-lint, arborist-load-virtual
                    (e.g. npm-large, audit, sink/npm/, sink/npm-v2/lockfile-lint)
  --json FILE       also write the raw samples, medians, p90s and ratios as JSON
  --pkgguard BIN    the pkgguard entry point to time (default bin/pkgguard.js)
  --timeout SECONDS give up on one process after this long (default 300)`;

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    runs: positiveInteger('--runs', values.runs),
    only: values.only,
    json: values.json,
    pkgguard: values.pkgguard,
    timeoutMs: positiveInteger('--timeout', values.timeout) * 1000,
    help: values.help,
  };
}

function positiveInteger(flag, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

/** `--only` matches a substring of "lockfile/tool"; no filter selects everything. */
export function isSelected(only, lockfileName, toolId) {
  if (only.length === 0) return true;
  const key = `${lockfileName}/${toolId}`;
  return only.some((needle) => key.includes(needle));
}
