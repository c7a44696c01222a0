/**
 * What the built CLI loads before it does anything: every command pays for it. Node's own
 * record of the built-in modules a process loaded (`process.moduleLoadList`) shows the costly
 * ones that stay unloaded until a command needs them; each of these cost milliseconds per run.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, REPO_ROOT } from './helpers.ts';

beforeAll(assertBuilt);

/** Prints the built-in modules loaded by exit, one a line, on stderr. */
const RECORD_LOADED = `data:text/javascript,process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n')))`;

function loadedBy(args: readonly string[]): { code: number | null; stdout: string; loaded: string[] } {
  const result = spawnSync(process.execPath, ['--import', RECORD_LOADED, BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, loaded: result.stderr.split('\n') };
}

describe('start-up', () => {
  it('--version loads no child_process (commander requires it for executable subcommands, which pkgguard has none of)', () => {
    const { code, stdout, loaded } = loadedBy(['--version']);
    expect([code, stdout.trim()]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+/)]);
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((name) => /^NativeModule (child_process|dgram|internal\/child_process)$/.test(name))).toEqual([]);
  });

  it('an offline audit of a small lockfile loads no child_process either', () => {
    const { code, loaded } = loadedBy(['audit', 'fixtures/lockfiles/bun/basic', '--offline', '--format', 'json']);
    expect(code).toBe(0);
    expect(loaded.filter((name) => /^NativeModule (child_process|dgram)$/.test(name))).toEqual([]);
  });
});
