/**
 * What the built CLI loads before it does anything: every command pays for it. Node's own
 * record of the built-in modules a process loaded (`process.moduleLoadList`) shows the costly
 * ones that stay unloaded until a command needs them; each of these cost milliseconds per run.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, childEnv, REPO_ROOT } from './helpers.ts';

beforeAll(assertBuilt);

/** Prints the built-in modules loaded by exit, one a line, on stderr. */
const RECORD_LOADED = `data:text/javascript,process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n')))`;

function loadedBy(args: readonly string[], env?: NodeJS.ProcessEnv): { code: number | null; stdout: string; loaded: string[] } {
  const result = spawnSync(process.execPath, ['--import', RECORD_LOADED, BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, loaded: result.stderr.split('\n') };
}

describe('start-up', () => {
  it('--version loads no child_process (commander requires it for executable subcommands, which pkgguard has none of)', () => {
    const { code, stdout, loaded } = loadedBy(['--version']);
    expect([code, stdout.trim()]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+/)]);
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((name) => /^NativeModule (child_process|dgram|internal\/child_process)$/.test(name))).toEqual([]);
  });

  // node:crypto costs ~6 ms to load (OpenSSL included). Offline, nothing needs it unless a
  // finding gets a fingerprint: ssri (which loads it) is imported only where an SRI value is
  // read leniently, and the registry cache's file names are hashed without it. The e2e
  // environment (the fixtures' registry, an empty cache of its own) keeps these audits clean.
  it.each([
    ['npm', 'fixtures/lockfiles/npm/v3'],
    ['yarn classic', 'fixtures/lockfiles/yarn-classic/basic'],
    ['yarn Berry', 'fixtures/lockfiles/yarn-berry/basic'],
    ['pnpm', 'fixtures/lockfiles/pnpm/basic/pnpm9'],
    ['bun', 'fixtures/lockfiles/bun/basic'],
  ])('an offline audit without findings (%s) loads no node:crypto', (_format, dir) => {
    const { code, stdout, loaded } = loadedBy(['audit', dir, '--offline', '--format', 'json'], childEnv(undefined));
    expect([code, (JSON.parse(stdout) as { findings: unknown[] }).findings]).toEqual([0, []]);
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((name) => /crypto/.test(name))).toEqual([]);
  });

  it('a finding still gets its fingerprint (node:crypto loaded on demand)', () => {
    const { code, stdout, loaded } = loadedBy(['audit', 'fixtures/lockfiles/npm/integrity-mismatch', '--offline', '--format', 'sarif'], childEnv(undefined));
    expect(code).toBe(1);
    const fingerprints = (JSON.parse(stdout) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] }).runs[0]?.results.map((result) => result.partialFingerprints);
    expect(fingerprints?.length).toBeGreaterThan(0);
    for (const fingerprint of fingerprints ?? []) expect(Object.values(fingerprint).every((value) => /^[0-9a-f]{32}$/.test(value))).toBe(true);
    expect(loaded).toContain('NativeModule crypto');
  });

  it('an offline audit of a small lockfile loads no child_process either', () => {
    const { code, loaded } = loadedBy(['audit', 'fixtures/lockfiles/bun/basic', '--offline', '--format', 'json']);
    expect(code).toBe(0);
    expect(loaded.filter((name) => /^NativeModule (child_process|dgram)$/.test(name))).toEqual([]);
  });
});
