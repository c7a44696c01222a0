import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCH_LOCKFILES, countEntries, loadBenchLockfile } from './lockfiles.js';
import { NPM_LARGE_ENTRIES } from './npm-large.ts';

// Vitest runs from the repository root; the shared bench corpus sits beside it.
const repoRoot = process.cwd();
const hasSharedBench = existsSync('../shared/bench/sink');

describe('countEntries', () => {
  it('counts every v2/v3 `packages` key but the root project', () => {
    const lock = {
      lockfileVersion: 3,
      packages: { '': { name: 'app' }, 'node_modules/a': {}, 'node_modules/a/node_modules/b': {}, 'packages/web': {} },
    };
    expect(countEntries(lock)).toBe(3);
  });
  it('prefers `packages` over the v1 tree a v2 lockfile also carries', () => {
    const lock = { lockfileVersion: 2, packages: { '': {}, 'node_modules/a': {} }, dependencies: { a: {}, b: {} } };
    expect(countEntries(lock)).toBe(1);
  });
  it('counts v1 `dependencies` at every depth', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: { a: { dependencies: { b: {}, c: { dependencies: { d: {} } } } }, e: {} },
    };
    expect(countEntries(lock)).toBe(5);
  });
  it('counts nothing in a lockfile without dependencies', () => {
    expect(countEntries({ lockfileVersion: 1 })).toBe(0);
  });
});

describe('loadBenchLockfile', () => {
  it('reports a missing lockfile instead of throwing', () => {
    expect(loadBenchLockfile(repoRoot, { name: 'nowhere', dir: 'fixtures/bench/does-not-exist' })).toEqual({
      name: 'nowhere',
      dir: 'fixtures/bench/does-not-exist',
      missing: 'fixtures/bench/does-not-exist/package-lock.json not found',
    });
  });
  it('loads our large fixture: lockfile v3 with 9,000 entries or more', () => {
    const loaded = loadBenchLockfile(repoRoot, { name: 'npm-large', dir: 'fixtures/bench/npm-large' });
    expect(loaded).toMatchObject({ name: 'npm-large', lockfileVersion: 3, entries: NPM_LARGE_ENTRIES });
  });
});

const sharedTitle = 'loadBenchLockfile on the shared bench sink';
(hasSharedBench ? describe : describe.skip)(hasSharedBench ? sharedTitle : `${sharedTitle} (skipped: ../shared/bench/sink is absent)`, () => {
  it.each([
    ['sink/npm', 3, 2704],
    ['sink/npm-v2', 2, 2700],
    ['sink/npm-v1', 1, 2745],
  ])('%s is lockfile v%i with %i entries', (name, lockfileVersion, entries) => {
    const spec = BENCH_LOCKFILES.find((candidate) => candidate.name === name)!;
    expect(loadBenchLockfile(repoRoot, spec)).toMatchObject({ name, lockfileVersion, entries });
  });
});
