import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { LARGE_FIXTURE_DIR, materializeLarge } from './large.js';
import { BUN_LARGE_ENTRIES, PNPM_LARGE_ENTRIES, YARN_LARGE_ENTRIES } from './large-entries.ts';
import { BENCH_LOCKFILES, loadBenchLockfile } from './lockfiles.js';

const scratch = mkdtempSync(join(tmpdir(), 'pkgguard-bench-large-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A repository root whose fixtures/bench/large holds the tiny real bun.lock, compressed, and no pnpm lockfile. */
function tinyRepo(): string {
  const root = mkdtempSync(join(scratch, 'repo-'));
  const fixtures = join(root, LARGE_FIXTURE_DIR);
  mkdirSync(fixtures, { recursive: true });
  copyFileSync('fixtures/bench/tiny/package.json', join(fixtures, 'package.json'));
  writeFileSync(join(fixtures, 'bun.lock.br'), brotliCompressSync(readFileSync('fixtures/bench/tiny/bun.lock')));
  return root;
}

describe('materializeLarge', () => {
  it('writes bun.lock as committed and both yarn.lock formats converted from it, each beside the package.json', () => {
    const root = tinyRepo();
    const wanted = [
      { name: 'bun-large', dir: 'out/bun-large', format: 'bun' as const },
      { name: 'yarn-large', dir: 'out/yarn-large', format: 'yarn-classic' as const },
      { name: 'berry-large', dir: 'out/berry-large', format: 'yarn-berry' as const },
    ];
    expect(materializeLarge(root, wanted)).toEqual([]);
    expect(readFileSync(join(root, 'out/bun-large/bun.lock'), 'utf8')).toBe(readFileSync('fixtures/bench/tiny/bun.lock', 'utf8'));
    expect(wanted.map((spec) => loadBenchLockfile(root, spec))).toMatchObject([
      { name: 'bun-large', formatLabel: 'bun.lock v2', entries: 11 },
      { name: 'yarn-large', formatLabel: 'yarn classic v1', entries: 11 },
      { name: 'berry-large', formatLabel: 'yarn Berry v8', entries: 11 },
    ]);
    expect(readFileSync(join(root, 'out/yarn-large/package.json'), 'utf8')).toBe(readFileSync('fixtures/bench/tiny/package.json', 'utf8'));
  });

  it('overwrites a stale copy from an earlier run', () => {
    const root = tinyRepo();
    mkdirSync(join(root, 'out/bun-large'), { recursive: true });
    writeFileSync(join(root, 'out/bun-large/bun.lock'), '{}');
    materializeLarge(root, [{ name: 'bun-large', dir: 'out/bun-large' }]);
    expect(readFileSync(join(root, 'out/bun-large/bun.lock'), 'utf8')).toBe(readFileSync('fixtures/bench/tiny/bun.lock', 'utf8'));
  });

  it('names the missing input instead of writing anything', () => {
    const root = tinyRepo();
    expect(materializeLarge(root, [{ name: 'pnpm-large', dir: 'out/pnpm-large' }])).toEqual([
      { name: 'pnpm-large', reason: 'fixtures/bench/large/pnpm-lock.yaml.br not found' },
    ]);
    expect(existsSync(join(root, 'out/pnpm-large'))).toBe(false);
  });
});

describe('the committed large fixtures', () => {
  it('make lockfiles of 5,000 entries or more in every generated format', () => {
    const root = mkdtempSync(join(scratch, 'committed-'));
    // Inputs from the real repository, outputs (absolute dirs) in the scratch directory.
    const generated = BENCH_LOCKFILES.filter((spec) => spec.generated).map((spec) => ({ ...spec, dir: join(root, spec.name) }));
    expect(materializeLarge(process.cwd(), generated)).toEqual([]);
    expect(generated.map((spec) => loadBenchLockfile(process.cwd(), spec))).toMatchObject([
      { name: 'yarn-large', formatLabel: 'yarn classic v1', entries: YARN_LARGE_ENTRIES },
      { name: 'berry-large', formatLabel: 'yarn Berry v8', entries: YARN_LARGE_ENTRIES },
      { name: 'pnpm-large', formatLabel: 'pnpm-lock 9.0', entries: PNPM_LARGE_ENTRIES },
      { name: 'bun-large', formatLabel: 'bun.lock v2', entries: BUN_LARGE_ENTRIES },
    ]);
  }, 60_000);
});
