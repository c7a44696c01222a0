import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { ISSUES_URL, printError, type PrintErrorOptions, toPkgguardError } from '../../src/cli/print-error.ts';
import { InternalError, NoLockfileError, type PkgguardError } from '../../src/core/errors.ts';
import { toolVersion } from '../../src/project-info.ts';

const PLAIN: PrintErrorOptions = { json: false, debug: false, color: false };

function print(error: PkgguardError, options: Partial<PrintErrorOptions> = {}): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: {},
    cwd: '/project',
  };
  printError(error, io, { ...PLAIN, ...options });
  return { stdout, stderr };
}

/** An error with a fixed stack, so the expected output can be written out in full. */
function withStack<T extends Error>(error: T, stack: string): T {
  error.stack = stack;
  return error;
}

const noLockfile = () =>
  withStack(
    new NoLockfileError('no lockfile found in /project', {
      hints: ['create one without installing: npm install --package-lock-only', 'or name one: pkgguard audit --lockfile yarn.lock'],
    }),
    'NoLockfileError: no lockfile found\n    at find (lockfiles/detect.ts:1:1)',
  );

describe('toPkgguardError', () => {
  it('passes pkgguard errors through unchanged', () => {
    const error = noLockfile();

    expect(toPkgguardError(error)).toBe(error);
  });

  it('turns anything else into an InternalError (exit 70) that asks for a bug report', () => {
    const cause = new TypeError("Cannot read properties of undefined (reading 'id')");
    const error = toPkgguardError(cause);

    expect(error).toBeInstanceOf(InternalError);
    expect({ message: error.message, exitCode: error.exitCode, hints: error.hints, cause: error.cause }).toEqual({
      message: "internal error: Cannot read properties of undefined (reading 'id')",
      exitCode: 70,
      hints: [`this is a bug in pkgguard; please report it with the output of --debug: ${ISSUES_URL}`],
      cause,
    });
    expect(toPkgguardError('thrown string').message).toBe('internal error: thrown string');
  });
});

describe('printError', () => {
  it('prints one line and the hints on stderr, nothing on stdout', () => {
    expect(print(noLockfile())).toEqual({
      stdout: '',
      stderr:
        'pkgguard: no lockfile found in /project\n' +
        '  hint: create one without installing: npm install --package-lock-only\n' +
        '  hint: or name one: pkgguard audit --lockfile yarn.lock\n',
    });
  });

  it('adds a JSON document on stdout for JSON output', () => {
    const { stdout, stderr } = print(noLockfile(), { json: true });

    expect(JSON.parse(stdout)).toEqual({
      schemaVersion: 1,
      error: {
        code: 'ENOLOCK',
        exitCode: 3,
        message: 'no lockfile found in /project',
        hints: ['create one without installing: npm install --package-lock-only', 'or name one: pkgguard audit --lockfile yarn.lock'],
      },
    });
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(stderr.split('\n')[0]).toBe('pkgguard: no lockfile found in /project');
  });

  it('adds the stack only with --debug', () => {
    expect(print(noLockfile(), { debug: true }).stderr).toBe(
      'pkgguard: no lockfile found in /project\n' +
        '  hint: create one without installing: npm install --package-lock-only\n' +
        '  hint: or name one: pkgguard audit --lockfile yarn.lock\n' +
        'NoLockfileError: no lockfile found\n    at find (lockfiles/detect.ts:1:1)\n',
    );
  });

  it('always shows the cause’s stack and the versions for a bug (exit 70)', () => {
    const cause = withStack(new TypeError('x is undefined'), 'TypeError: x is undefined\n    at run (checks/demo.ts:3:7)');
    const { stderr } = print(toPkgguardError(cause));

    expect(stderr).toBe(
      'pkgguard: internal error: x is undefined\n' +
        `  hint: this is a bug in pkgguard; please report it with the output of --debug: ${ISSUES_URL}\n` +
        'TypeError: x is undefined\n    at run (checks/demo.ts:3:7)\n' +
        `pkgguard@${toolVersion()} node@${process.versions.node} ${process.platform}-${process.arch}\n`,
    );
  });

  it('colours the prefix and the hint label when asked to', () => {
    expect(print(new NoLockfileError('none', { hints: ['make one'] }), { color: true }).stderr).toBe(
      '\u001b[31m\u001b[1mpkgguard:\u001b[22m\u001b[39m none\n  \u001b[2mhint:\u001b[22m make one\n',
    );
  });
});
