// The lockfiles the benchmark runs on, and how many entries each has.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Paths are relative to the repository root. The sink projects live in the shared bench corpus
 * beside the repository and are never copied in; the large one is our own fixture.
 */
export const BENCH_LOCKFILES = [
  { name: 'sink/npm', dir: '../shared/bench/sink/npm' },
  { name: 'sink/npm-v2', dir: '../shared/bench/sink/npm-v2' },
  { name: 'sink/npm-v1', dir: '../shared/bench/sink/npm-v1' },
  { name: 'npm-large', dir: 'fixtures/bench/npm-large' },
];

/**
 * Entries as a user would count them: every key of `packages` but the root project (v2, v3),
 * or every `dependencies` entry at any depth (v1, whose nesting mirrors node_modules).
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
export function loadBenchLockfile(repoRoot, { name, dir }) {
  const absoluteDir = join(repoRoot, dir);
  const lockfilePath = join(absoluteDir, 'package-lock.json');
  if (!existsSync(lockfilePath)) return { name, dir, missing: `${dir}/package-lock.json not found` };
  if (!existsSync(join(absoluteDir, 'package.json'))) return { name, dir, missing: `${dir}/package.json not found` };
  const lock = JSON.parse(readFileSync(lockfilePath, 'utf8'));
  return {
    name,
    dir,
    absoluteDir,
    lockfilePath,
    lockfileVersion: lock.lockfileVersion ?? 1,
    entries: countEntries(lock),
  };
}
