import { describe, expect, it } from 'vitest';
import {
  CheckCrashError,
  ConfigError,
  ExitCode,
  InternalError,
  isPkgguardError,
  LockfileParseError,
  LockfileReadError,
  messageOf,
  mostSeriousExitCode,
  NoLockfileError,
  PkgguardError,
  SourceUnavailableError,
  UnsupportedLockfileError,
  UsageError,
} from '../../src/core/errors.ts';

describe('ExitCode', () => {
  it('has the documented values', () => {
    expect(ExitCode).toEqual({ Ok: 0, Findings: 1, Usage: 2, Input: 3, SourceUnavailable: 4, Internal: 70 });
  });
});

describe('mostSeriousExitCode', () => {
  it('picks 70 > 4 > 3 > 2 > 1 > 0', () => {
    expect(mostSeriousExitCode([1, 70, 4])).toBe(70);
    expect(mostSeriousExitCode([1, 4, 3])).toBe(4);
    expect(mostSeriousExitCode([2, 3, 1])).toBe(3);
    expect(mostSeriousExitCode([1, 2])).toBe(2);
    expect(mostSeriousExitCode([0, 1, 0])).toBe(1);
    expect(mostSeriousExitCode([0])).toBe(0);
  });

  it('is 0 for no codes, and takes any iterable', () => {
    expect(mostSeriousExitCode([])).toBe(0);
    expect(mostSeriousExitCode(new Set([ExitCode.Findings, ExitCode.SourceUnavailable]))).toBe(4);
  });
});

describe('PkgguardError subclasses', () => {
  it.each([
    [UsageError, 'UsageError', 'EUSAGE', 2],
    [ConfigError, 'ConfigError', 'ECONFIG', 2],
    [NoLockfileError, 'NoLockfileError', 'ENOLOCK', 3],
    [LockfileReadError, 'LockfileReadError', 'ELOCKREAD', 3],
    [LockfileParseError, 'LockfileParseError', 'ELOCKPARSE', 3],
    [UnsupportedLockfileError, 'UnsupportedLockfileError', 'ELOCKVERSION', 3],
    [SourceUnavailableError, 'SourceUnavailableError', 'ESOURCE', 4],
    [CheckCrashError, 'CheckCrashError', 'ECHECKCRASH', 70],
    [InternalError, 'InternalError', 'EINTERNAL', 70],
  ])('%o is named %s, with code %s and exit code %i', (ErrorClass, name, code, exitCode) => {
    const error = new ErrorClass('what happened');

    expect(error).toBeInstanceOf(PkgguardError);
    expect(error).toBeInstanceOf(Error);
    expect(isPkgguardError(error)).toBe(true);
    expect({ name: error.name, code: error.code, exitCode: error.exitCode, message: error.message, hints: error.hints }).toEqual({
      name,
      code,
      exitCode,
      message: 'what happened',
      hints: [],
    });
    expect(error.stack).toMatch(new RegExp(`^${name}: what happened\\n`));
  });

  it('keeps hints and a cause; no cause key when none is given', () => {
    const cause = new Error('EACCES');
    const error = new LockfileReadError('cannot read yarn.lock', { cause, hints: ['check permissions', 'or pass --lockfile'] });

    expect(error.hints).toEqual(['check permissions', 'or pass --lockfile']);
    expect(error.cause).toBe(cause);
    expect('cause' in new UsageError('x')).toBe(false);
  });
});

describe('isPkgguardError and messageOf', () => {
  it('tell pkgguard errors from anything else that can be thrown', () => {
    expect(isPkgguardError(new Error('x'))).toBe(false);
    expect(isPkgguardError({ code: 'EUSAGE', exitCode: 2, message: 'x' })).toBe(false);
    expect(isPkgguardError('EUSAGE')).toBe(false);
  });

  it('read a message from errors and non-errors alike', () => {
    expect(messageOf(new TypeError('bad type'))).toBe('bad type');
    expect(messageOf('a string')).toBe('a string');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
    expect(messageOf(null)).toBe('null');
  });
});
