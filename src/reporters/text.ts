/**
 * @file The report for people. Findings grouped by severity (most serious first), each with its
 * location, the dependency chain that pulls the package in, and the fix dimmed underneath;
 * then what did not run (loudly: an incomplete audit is not a clean one), skipped checks and
 * stale ignore entries; then one line per lockfile and a closing verdict. Every string from a
 * lockfile goes through redact (credentials, absolute paths) and sanitize (terminal control).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Finding } from '../core/finding.ts';
import { defineReporter, type AuditResult, type IgnoreNotice, type IncompleteEntry } from '../core/reporter.ts';
import type { Severity } from '../core/severity.ts';
import { createRedactor } from './redact.ts';
import { sanitize } from './sanitize.ts';

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'moderate', 'low', 'info'];
/** Longest dependency chain printed in full; longer ones keep both ends. */
const MAX_PATH_ITEMS = 6;
const INDENT = '  ';
const DETAIL_INDENT = '      ';
/** Fixed locale: output must not depend on the machine's language settings. */
const NUMBER = new Intl.NumberFormat('en-US');

interface Style {
  readonly chalk: ChalkInstance;
  readonly clean: (text: string) => string;
}

function paint(chalk: ChalkInstance, severity: Severity, text: string): string {
  switch (severity) {
    case 'critical':
      return chalk.magenta.bold(text);
    case 'high':
      return chalk.red.bold(text);
    case 'moderate':
      return chalk.yellow(text);
    case 'low':
      return chalk.cyan(text);
    case 'info':
      return chalk.gray(text);
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(count)} ${count === 1 ? one : many}`;
}

/** `root > a@1 > … 3 more … > x@1 > y@1 > z@1`: the ends say where it starts and what it is. */
export function shortenPath(path: readonly string[]): string[] {
  if (path.length <= MAX_PATH_ITEMS) return [...path];
  const head = path.slice(0, 2);
  const tail = path.slice(-3);
  return [...head, `… ${path.length - head.length - tail.length} more …`, ...tail];
}

function isDevOnly(result: AuditResult, finding: Finding): boolean {
  const graph = result.graphs.find((g) => g.lockfile.path === finding.location.file);
  return graph?.node(finding.package.id)?.flags.dev ?? false;
}

function formatFinding(result: AuditResult, finding: Finding, style: Style): string[] {
  const { chalk, clean } = style;
  const text = (value: string): string => sanitize(clean(value));
  const { file, line, column } = finding.location;
  const lines = [
    `${INDENT}${paint(chalk, finding.severity, finding.severity.padEnd(8))}  ${text(finding.message)}  ${chalk.dim(finding.ruleId)}`,
    `${DETAIL_INDENT}${chalk.cyan(`${text(file)}:${line}:${column}`)}`,
  ];
  if (finding.package.path.length > 1) {
    const chain = shortenPath(finding.package.path.map(text)).join(' > ');
    lines.push(`${DETAIL_INDENT}via ${chain}${isDevOnly(result, finding) ? chalk.dim(' (dev)') : ''}`);
  }
  // An advisory's page: its id is on the first line, its summary in the message.
  if (finding.rule?.helpUri) lines.push(`${DETAIL_INDENT}${chalk.dim(`see ${text(finding.rule.helpUri)}`)}`);
  if (finding.fix) {
    lines.push(`${DETAIL_INDENT}${chalk.dim(`fix: ${text(finding.fix.description)}`)}`);
    if (finding.fix.command) lines.push(`${DETAIL_INDENT}${chalk.dim(`$ ${text(finding.fix.command)}`)}`);
  }
  return lines;
}

function formatFindings(result: AuditResult, style: Style): string[] {
  const out: string[] = [];
  for (const severity of SEVERITY_ORDER) {
    const group = result.findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    out.push(paint(style.chalk, severity, `${severity.toUpperCase()} (${NUMBER.format(group.length)})`));
    for (const finding of group) out.push(...formatFinding(result, finding, style), '');
  }
  return out;
}

function describeIncomplete(entry: IncompleteEntry, style: Style): string[] {
  const where = entry.lockfile ? ` on ${sanitize(style.clean(entry.lockfile))}` : '';
  const kind = entry.kind === 'crashed' ? 'crashed' : 'source unavailable';
  const lines = [`${INDENT}${entry.checkId}${where}: ${kind} (${entry.code}): ${sanitize(style.clean(entry.message))}`];
  if (entry.kind === 'crashed') {
    lines.push(`${DETAIL_INDENT}${style.chalk.dim('this is a bug in pkgguard: please report it with the output of --debug')}`);
  }
  return lines;
}

/** "2 checks (advisory, install-scripts)": a check failing on several lockfiles counts once. */
function unfinishedChecks(result: AuditResult): string {
  const ids = [...new Set(result.incomplete.map((entry) => entry.checkId))];
  return `${plural(ids.length, 'check')} (${ids.join(', ')})`;
}

function formatIncomplete(result: AuditResult, style: Style): string[] {
  if (result.incomplete.length === 0) return [];
  const { chalk } = style;
  const heading = `⚠ AUDIT INCOMPLETE: ${unfinishedChecks(result)} did not finish, so a missing finding proves nothing`;
  return [chalk.red.bold(heading), ...result.incomplete.flatMap((entry) => describeIncomplete(entry, style)), ''];
}

/**
 * One line per reason, naming every check it applies to: an --offline run skips several network
 * checks for the same few reasons, and five near-identical lines would bury the verdict.
 */
function formatSkipped(result: AuditResult, style: Style): string[] {
  if (result.skipped.length === 0) return [];
  const byReason = new Map<string, string[]>();
  for (const entry of result.skipped) {
    const line = `${onLockfile(result, entry.lockfile)}: ${sanitize(style.clean(entry.reason))}`;
    const checks = byReason.get(line);
    if (checks) checks.push(entry.checkId);
    else byReason.set(line, [entry.checkId]);
  }
  return [style.chalk.bold('Skipped checks'), ...[...byReason].map(([line, checks]) => `${INDENT}${checks.join(', ')}${line}`), ''];
}

/** Notes are information, not findings: grouped under their own heading, one line each. */
function formatNotes(result: AuditResult, style: Style): string[] {
  if (result.notes.length === 0) return [];
  return [
    style.chalk.bold('Notes'),
    ...result.notes.map((note) => `${INDENT}${note.checkId}${onLockfile(result, note.lockfile)}: ${sanitize(style.clean(note.message))}`),
    '',
  ];
}

/** " (packages/a/yarn.lock)" when several lockfiles were audited, else nothing. */
function onLockfile(result: AuditResult, lockfile: string | undefined): string {
  return lockfile !== undefined && result.lockfiles.length > 1 ? ` (${sanitize(lockfile)})` : '';
}

function describeIgnore(notice: IgnoreNotice, style: Style): string {
  const target = [notice.ruleId, notice.package && `package ${notice.package}`].filter(Boolean).join(' for ');
  const state =
    notice.kind === 'expired'
      ? `expired ${notice.expires}, no longer suppresses: renew it or fix the findings`
      : `matched nothing (expires ${notice.expires}): remove it`;
  return `${INDENT}${sanitize(style.clean(target))}: ${state} ${style.chalk.dim(`(reason: ${sanitize(style.clean(notice.reason))})`)}`;
}

function formatIgnores(result: AuditResult, style: Style): string[] {
  if (result.ignores.length === 0) return [];
  return [style.chalk.bold('Ignore entries to review'), ...result.ignores.map((notice) => describeIgnore(notice, style)), ''];
}

function formatLockfiles(result: AuditResult, style: Style): string[] {
  return result.lockfiles.map((lockfile) => {
    const count = result.findings.filter((finding) => finding.location.file === lockfile.path).length;
    const format = `${lockfile.format} v${lockfile.formatVersion}`;
    return `${sanitize(style.clean(lockfile.path))} (${format}): ${plural(lockfile.packageCount, 'package')}, ${plural(count, 'finding')}`;
  });
}

function severityBreakdown(result: AuditResult): string {
  return SEVERITY_ORDER.filter((s) => result.summary.bySeverity[s] > 0)
    .map((s) => `${NUMBER.format(result.summary.bySeverity[s])} ${s}`)
    .join(', ');
}

function formatVerdict(result: AuditResult, style: Style): string {
  const { chalk } = style;
  const { summary } = result;
  const packages = result.lockfiles.reduce((sum, lockfile) => sum + lockfile.packageCount, 0);
  const scope = `in ${plural(result.lockfiles.length, 'lockfile')} (${plural(packages, 'package')})`;
  const suppressed =
    (summary.suppressed > 0 ? `, ${NUMBER.format(summary.suppressed)} suppressed by ignores` : '') +
    (summary.baselined > 0 ? `, ${NUMBER.format(summary.baselined)} already in the baseline` : '');
  const counted = summary.total === 0 ? 'no findings' : `${plural(summary.total, 'finding')} (${severityBreakdown(result)})`;
  const threshold =
    summary.failOn === 'none'
      ? 'not failing: --fail-on none'
      : summary.failing > 0
        ? `failing: ${NUMBER.format(summary.failing)} at or above "${summary.failOn}"`
        : `none at or above "${summary.failOn}"`;
  if (summary.incomplete) {
    return chalk.red.bold(
      `⚠ audit incomplete: ${unfinishedChecks(result)} did not finish; ${counted} so far ${scope}${suppressed}${summary.total > 0 ? ` — ${threshold}` : ''}`,
    );
  }
  if (summary.total === 0) return chalk.green(`✔ no findings ${scope}${suppressed}`);
  const line = `${counted} ${scope}${suppressed} — ${threshold}`;
  return summary.failing > 0 ? chalk.red.bold(`✖ ${line}`) : chalk.yellow(`● ${line}`);
}

export function formatText(result: AuditResult, color: boolean): string {
  const style: Style = { chalk: new Chalk({ level: color ? 1 : 0 }), clean: createRedactor(result.projectDir) };
  const lines = [
    ...formatFindings(result, style),
    ...formatIncomplete(result, style),
    ...formatSkipped(result, style),
    ...formatNotes(result, style),
    ...formatIgnores(result, style),
    ...formatLockfiles(result, style),
    formatVerdict(result, style),
  ];
  return `${lines.join('\n')}\n`;
}

export default defineReporter({
  id: 'text',
  description: 'human-readable report grouped by severity (default)',
  format(result, context) {
    return formatText(result, context.color);
  },
});
