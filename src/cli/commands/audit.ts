/** `pkgguard audit [dir]`: flags → audit() → reporters → stdout / files → exit code. */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { audit } from '../../audit.ts';
import type { Logger } from '../../core/check.ts';
import { ExitCode, mostSeriousExitCode, UsageError, messageOf } from '../../core/errors.ts';
import type { AuditResult } from '../../core/reporter.ts';
import type { FailOn } from '../../core/severity.ts';
import { getReporter } from '../../reporters/index.ts';
import { sanitize } from '../../reporters/sanitize.ts';
import { shouldColor } from '../color.ts';
import type { CliIO } from '../io.ts';
import type { Format, OutputTarget } from '../options.ts';
import { ISSUES_URL } from '../print-error.ts';
import { createProgressLine, type ProgressLine } from '../progress.ts';

interface AuditFlags {
  readonly format: Format;
  readonly output: readonly OutputTarget[];
  readonly failOn?: FailOn | undefined;
  readonly offline?: boolean | undefined;
  readonly config?: string | undefined;
  readonly registry?: string | undefined;
  readonly advisoryDb?: string | undefined;
  readonly checks?: string[] | undefined;
  readonly skip?: string[] | undefined;
  readonly verifyTarballs?: boolean | undefined;
  readonly lockfile?: string | undefined;
  readonly recursive?: boolean | undefined;
  readonly production?: boolean | undefined;
  readonly baseline?: string | undefined;
  readonly color?: boolean | undefined;
  readonly quiet?: boolean | undefined;
  readonly debug?: boolean | undefined;
}

export async function runAudit(dir: string, raw: Record<string, unknown>, io: CliIO): Promise<number> {
  const flags = raw as unknown as AuditFlags;
  // --debug writes many lines to stderr: a redrawn line between them would only garble it.
  const progress = createProgressLine(io.stderr, { enabled: io.stderr.isTTY === true && !flags.quiet && !flags.debug });
  const log = stderrLogger(io, flags, progress);
  let result: AuditResult;
  try {
    result = await runAuditWithProgress(dir, flags, io, log, progress);
  } finally {
    progress.stop();
  }

  const passed = result.summary.failing === 0 && !result.summary.incomplete;
  if (!(flags.quiet && passed && flags.format === 'text')) {
    const color = flags.format === 'text' && shouldColor(flags.color, io.stdout, io.env);
    io.stdout.write((await getReporter(flags.format)).format(result, { color }));
  }
  for (const target of flags.output) {
    const document = (await getReporter(target.format)).format(result, { color: false });
    const file = path.resolve(io.cwd, target.file);
    try {
      await writeFile(file, document);
    } catch (error) {
      throw new UsageError(`cannot write ${target.format} report to ${target.file}: ${messageOf(error)}`);
    }
  }
  // Even --quiet says when the audit is incomplete: silence must never read as a clean bill.
  reportIncomplete(result, io, flags);
  return exitCodeOf(result);
}

/** audit() with the CLI's flags, telling the progress line as each check starts. */
async function runAuditWithProgress(dir: string, flags: AuditFlags, io: CliIO, log: Logger, progress: ProgressLine): Promise<AuditResult> {
  return await audit({
    dir: path.resolve(io.cwd, dir),
    lockfile: flags.lockfile === undefined ? undefined : path.resolve(io.cwd, flags.lockfile),
    configFile: flags.config === undefined ? undefined : path.resolve(io.cwd, flags.config),
    recursive: flags.recursive,
    failOn: flags.failOn,
    offline: flags.offline,
    production: flags.production,
    checks: flags.checks,
    skip: flags.skip,
    enable: flags.verifyTarballs ? ['tarball-integrity'] : undefined,
    baseline: flags.baseline === undefined ? undefined : await readBaseline(path.resolve(io.cwd, flags.baseline), flags.baseline),
    registry: flags.registry,
    advisoryDb: flags.advisoryDb === undefined ? undefined : path.resolve(io.cwd, flags.advisoryDb),
    environment: { env: io.env, homedir: os.homedir(), platform: io.platform ?? process.platform, execPath: io.execPath ?? process.execPath },
    log,
    onCheckStart: progress.checkStarted,
  });
}

/** Findings → 1, unreachable sources → 4, crashed checks → 70; the most serious wins. */
export function exitCodeOf(result: AuditResult): ExitCode {
  const codes: ExitCode[] = [result.summary.failing > 0 ? ExitCode.Findings : ExitCode.Ok];
  for (const entry of result.incomplete) {
    codes.push(entry.kind === 'crashed' ? ExitCode.Internal : ExitCode.SourceUnavailable);
  }
  return mostSeriousExitCode(codes);
}

/** Failures go to stderr in every format, so a CI log shows them even when stdout is SARIF. */
function reportIncomplete(result: AuditResult, io: CliIO, flags: AuditFlags): void {
  for (const entry of result.incomplete) {
    // Crash messages already name the check and lockfile; source failures name the source.
    const line = entry.kind === 'crashed' ? entry.message : `check "${entry.checkId}" could not run: ${entry.message}`;
    io.stderr.write(`pkgguard: ${sanitize(line)}\n`);
    if (entry.kind === 'crashed') {
      io.stderr.write(`  hint: this is a bug in pkgguard; please report it with the output of --debug: ${ISSUES_URL}\n`);
      if (flags.debug && entry.stack) io.stderr.write(`${entry.stack}\n`);
    }
  }
  if (result.incomplete.length > 0) {
    io.stderr.write('pkgguard: the audit is INCOMPLETE: a clean result above does not mean the project is clean\n');
  }
}

function stderrLogger(io: CliIO, flags: AuditFlags, progress: ProgressLine): Logger {
  return {
    debug: (message) => {
      if (flags.debug) io.stderr.write(`pkgguard debug: ${sanitize(message)}\n`);
    },
    warn: (message) => {
      progress.clear();
      if (!flags.quiet) io.stderr.write(`pkgguard warning: ${sanitize(message)}\n`);
    },
  };
}

/** Fingerprints of an earlier `--format json` report; anything else is a usage error. */
async function readBaseline(file: string, shown: string): Promise<Set<string>> {
  let report: unknown;
  try {
    report = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read baseline ${shown}: ${messageOf(error)}`, {
      hints: ['create one with: pkgguard audit --format json > pkgguard-baseline.json'],
    });
  }
  const findings = (report as { schemaVersion?: unknown; findings?: unknown } | null)?.findings;
  if ((report as { schemaVersion?: unknown } | null)?.schemaVersion !== 1 || !Array.isArray(findings)) {
    throw new UsageError(`baseline ${shown} is not a pkgguard JSON report (schemaVersion 1)`, {
      hints: ['create one with: pkgguard audit --format json > pkgguard-baseline.json'],
    });
  }
  const fingerprints = new Set<string>();
  for (const finding of findings as unknown[]) {
    const fingerprint = (finding as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint === 'string') fingerprints.add(fingerprint);
  }
  return fingerprints;
}
