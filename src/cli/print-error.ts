/**
 * Turns any error into what the user sees: one line saying what happened, `hint:` lines with
 * the next step, and a stack only with --debug or for pkgguard's own bugs. With JSON output the
 * error is a JSON document on stdout, so `pkgguard ... --format json | jq` never gets prose.
 */
import { ExitCode, InternalError, isPkgguardError, messageOf, type PkgguardError } from '../core/errors.ts';
import { toolVersion } from '../project-info.ts';
import type { CliIO } from './io.ts';

export const ISSUES_URL = 'https://github.com/pkgguard/pkgguard/issues/new';

export interface PrintErrorOptions {
  readonly json: boolean;
  readonly debug: boolean;
  readonly color: boolean;
}

/** Normalises anything thrown into a PkgguardError: unknown throws are internal errors (bugs). */
export function toPkgguardError(error: unknown): PkgguardError {
  if (isPkgguardError(error)) return error;
  return new InternalError(`internal error: ${messageOf(error)}`, {
    cause: error,
    hints: [`this is a bug in pkgguard; please report it with the output of --debug: ${ISSUES_URL}`],
  });
}

export function printError(error: PkgguardError, io: CliIO, options: PrintErrorOptions): void {
  if (options.json) {
    const body = { schemaVersion: 1, error: { code: error.code, exitCode: error.exitCode, message: error.message, hints: error.hints } };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  // Two styles are not worth loading chalk on every run's start-up path; same escapes as chalk.
  const paint = (open: string, close: string) => (text: string) => (options.color ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  const chalk = { red: { bold: (text: string) => paint('31', '39')(paint('1', '22')(text)) }, dim: paint('2', '22') };
  const lines = [`${chalk.red.bold('pkgguard:')} ${error.message}`, ...error.hints.map((hint) => `  ${chalk.dim('hint:')} ${hint}`)];
  const isBug = error.exitCode === ExitCode.Internal;
  if (options.debug || isBug) {
    const cause = error.cause instanceof Error ? error.cause : error;
    if (cause.stack) lines.push(chalk.dim(cause.stack));
    if (isBug) lines.push(chalk.dim(`pkgguard@${toolVersion()} node@${process.versions.node} ${process.platform}-${process.arch}`));
  }
  io.stderr.write(`${lines.join('\n')}\n`);
}
