// The lockfiles the benchmark runs on, and how many entries each has.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseSyml } from '@yarnpkg/parsers';
import { parseBunLock } from './yarn-from-bun.js';

const require = createRequire(import.meta.url);
const jsYaml = require('js-yaml');

/**
 * Where the large generated lockfiles are written before a run: outside git's view
 * (node_modules is ignored), rebuilt from fixtures/bench/large by materializeLarge().
 */
export const GENERATED_DIR = 'node_modules/.cache/pkgguard-bench';

/**
 * Paths are relative to the repository root. The sink projects live in the shared bench corpus
 * beside the repository and are never copied in; npm-large is our own fixture, and the other
 * large ones are generated (see fixtures/bench/README.md).
 */
export const BENCH_LOCKFILES = [
  { name: 'sink/npm', format: 'npm', dir: '../shared/bench/sink/npm' },
  { name: 'sink/npm-v2', format: 'npm', dir: '../shared/bench/sink/npm-v2' },
  { name: 'sink/npm-v1', format: 'npm', dir: '../shared/bench/sink/npm-v1' },
  { name: 'sink/yarn', format: 'yarn-classic', dir: '../shared/bench/sink/yarn' },
  { name: 'sink/berry', format: 'yarn-berry', dir: '../shared/bench/sink/berry' },
  { name: 'sink/pnpm', format: 'pnpm', dir: '../shared/bench/sink/pnpm' },
  { name: 'sink/bun', format: 'bun', dir: '../shared/bench/sink/bun' },
  { name: 'npm-large', format: 'npm', dir: 'fixtures/bench/npm-large' },
  { name: 'yarn-large', format: 'yarn-classic', dir: `${GENERATED_DIR}/yarn-large`, generated: true },
  { name: 'berry-large', format: 'yarn-berry', dir: `${GENERATED_DIR}/berry-large`, generated: true },
  { name: 'pnpm-large', format: 'pnpm', dir: `${GENERATED_DIR}/pnpm-large`, generated: true },
  { name: 'bun-large', format: 'bun', dir: `${GENERATED_DIR}/bun-large`, generated: true },
];

/**
 * Per format: the lockfile's name, how the report names its version, and its version and
 * entries as a user would count them: each block or key of the format's package list, the way
 * ../shared/bench/README.md counts them. yarn's "a@^1, a@^1.2" block is one entry; like npm's
 * root "" key, workspaces (the project itself) and Berry's `__metadata` are not; pnpm 9 counts
 * `snapshots` (one per peer-resolved variant), older pnpm `packages`.
 */
export const BENCH_FORMATS = {
  npm: { file: 'package-lock.json', label: 'npm lockfile v', read: readNpm },
  'yarn-classic': { file: 'yarn.lock', label: 'yarn classic v', read: readYarnClassic },
  'yarn-berry': { file: 'yarn.lock', label: 'yarn Berry v', read: readYarnBerry },
  pnpm: { file: 'pnpm-lock.yaml', label: 'pnpm-lock ', read: readPnpm },
  bun: { file: 'bun.lock', label: 'bun.lock v', read: readBun },
};

function readNpm(text) {
  const lock = JSON.parse(text);
  return { lockfileVersion: lock.lockfileVersion ?? 1, entries: countEntries(lock) };
}

function readYarnClassic(text) {
  // Blocks start at column 0 and end their first line with ':'; comments start with '#'.
  const entries = text.split('\n').filter((line) => /^[^\s#].*:$/.test(line)).length;
  return { lockfileVersion: /^# yarn lockfile v(\d+)$/m.exec(text)?.[1] ?? '?', entries };
}

function readYarnBerry(text) {
  const document = parseSyml(text);
  const entries = Object.keys(document).filter((key) => key !== '__metadata' && !key.includes('@workspace:')).length;
  return { lockfileVersion: String(document.__metadata?.version ?? '?'), entries };
}

function readPnpm(text) {
  // A pnpm 9+ lockfile may open with an environment document; the packages live in the last.
  const documents = jsYaml.loadAll(text);
  const lock = documents[documents.length - 1] ?? {};
  return { lockfileVersion: String(lock.lockfileVersion ?? '?'), entries: Object.keys(lock.snapshots ?? lock.packages ?? {}).length };
}

function readBun(text) {
  const lock = parseBunLock(text);
  return { lockfileVersion: lock.lockfileVersion ?? '?', entries: Object.keys(lock.packages ?? {}).length };
}

/**
 * npm entries as a user would count them: every key of `packages` but the root project (v2,
 * v3), or every `dependencies` entry at any depth (v1, whose nesting mirrors node_modules).
 */
export function countEntries(lock) {
  if (lock.packages && typeof lock.packages === 'object') {
    return Object.keys(lock.packages).filter((key) => key !== '').length;
  }
  return countNested(lock.dependencies);
}

function countNested(dependencies) {
  if (!dependencies || typeof dependencies !== 'object') return 0;
  let count = 0;
  for (const entry of Object.values(dependencies)) {
    count += 1 + countNested(entry?.dependencies);
  }
  return count;
}

/**
 * Resolves a bench lockfile against the repository root. Returns `{ missing }` with the reason
 * instead of throwing, so an absent shared corpus skips that lockfile with a note.
 */
export function loadBenchLockfile(repoRoot, { name, dir, format = 'npm' }) {
  const { file, label, read } = BENCH_FORMATS[format];
  const absoluteDir = resolve(repoRoot, dir);
  const lockfilePath = join(absoluteDir, file);
  if (!existsSync(lockfilePath)) return { name, dir, missing: `${dir}/${file} not found` };
  if (!existsSync(join(absoluteDir, 'package.json'))) return { name, dir, missing: `${dir}/package.json not found` };
  const { lockfileVersion, entries } = read(readFileSync(lockfilePath, 'utf8'));
  return { name, dir, format, formatLabel: `${label}${lockfileVersion}`, absoluteDir, lockfilePath, lockfileVersion, entries };
}
