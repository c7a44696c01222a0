/**
 * Typed errors and the exit codes they map to. Every failure a user can cause or meet is one of
 * these, so the CLI prints one line plus hints instead of a stack trace.
 */

export const ExitCode = { Ok: 0, Findings: 1, Usage: 2, Input: 3, SourceUnavailable: 4, Internal: 70 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** When several outcomes apply, the most serious wins, so a broken audit never reads as clean. */
const EXIT_PRIORITY: readonly ExitCode[] = [
  ExitCode.Internal,
  ExitCode.SourceUnavailable,
  ExitCode.Input,
  ExitCode.Usage,
  ExitCode.Findings,
  ExitCode.Ok,
];

export function mostSeriousExitCode(codes: Iterable<ExitCode>): ExitCode {
  const present = new Set(codes);
  return EXIT_PRIORITY.find((code) => present.has(code)) ?? ExitCode.Ok;
}

export interface ErrorOptions {
  readonly cause?: unknown;
  /** Next steps for the user, one per line. */
  readonly hints?: readonly string[];
}

export abstract class PkgguardError extends Error {
  /** npm-style error code, stable for scripts: 'ENOLOCK'. */
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;
  readonly hints: readonly string[];
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hints = options.hints ?? [];
  }
}

export class UsageError extends PkgguardError {
  readonly code = 'EUSAGE';
  readonly exitCode = ExitCode.Usage;
}

export class ConfigError extends PkgguardError {
  readonly code = 'ECONFIG';
  readonly exitCode = ExitCode.Usage;
}

export class NoLockfileError extends PkgguardError {
  readonly code = 'ENOLOCK';
  readonly exitCode = ExitCode.Input;
}

export class LockfileReadError extends PkgguardError {
  readonly code = 'ELOCKREAD';
  readonly exitCode = ExitCode.Input;
}

export class LockfileParseError extends PkgguardError {
  readonly code = 'ELOCKPARSE';
  readonly exitCode = ExitCode.Input;
}

export class UnsupportedLockfileError extends PkgguardError {
  readonly code = 'ELOCKVERSION';
  readonly exitCode = ExitCode.Input;
}

/** A registry, advisory service or database a check needed could not be used. */
export class SourceUnavailableError extends PkgguardError {
  readonly code = 'ESOURCE';
  readonly exitCode = ExitCode.SourceUnavailable;
}

/** A check threw something it did not mean to: a bug in pkgguard. */
export class CheckCrashError extends PkgguardError {
  readonly code = 'ECHECKCRASH';
  readonly exitCode = ExitCode.Internal;
}

export class InternalError extends PkgguardError {
  readonly code = 'EINTERNAL';
  readonly exitCode = ExitCode.Internal;
}

export function isPkgguardError(error: unknown): error is PkgguardError {
  return error instanceof PkgguardError;
}

/** Error message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
