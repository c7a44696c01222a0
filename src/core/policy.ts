/**
 * What the user decided about findings: ignore entries (with reasons and expiry dates) and the
 * fail threshold. Pure: "today" is passed in, so tests are not date-dependent.
 */
import type { Finding } from './finding.ts';
import type { AuditSummary, IgnoreNotice, IncompleteEntry } from './reporter.ts';
import { type FailOn, meetsThreshold, SEVERITIES, type Severity } from './severity.ts';

export interface IgnoreRule {
  readonly ruleId?: string | undefined;
  readonly package?: string | undefined;
  readonly reason: string;
  /** YYYY-MM-DD, inclusive, UTC. */
  readonly expires: string;
}

export interface PolicyOutcome {
  readonly findings: Finding[];
  readonly suppressed: number;
  readonly notices: IgnoreNotice[];
}

/** Today's date as YYYY-MM-DD in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Drops findings matched by a live ignore entry. An expired entry no longer suppresses and is
 * reported, and so is an entry that matched nothing: stale exceptions hide future problems.
 */
export function applyIgnores(findings: readonly Finding[], rules: readonly IgnoreRule[], today: string): PolicyOutcome {
  const notices: IgnoreNotice[] = [];
  const live: IgnoreRule[] = [];
  for (const rule of rules) {
    if (rule.expires < today) notices.push(noticeOf('expired', rule));
    else live.push(rule);
  }
  const used = new Set<IgnoreRule>();
  const kept = findings.filter((finding) => {
    // Every matching entry counts as used, not just the first: an entry that does match must
    // never be reported as matching nothing because another entry covers the same finding.
    const matches = live.filter((rule) => ignoreMatches(rule, finding));
    for (const rule of matches) used.add(rule);
    return matches.length === 0;
  });
  for (const rule of live) if (!used.has(rule)) notices.push(noticeOf('unused', rule));
  return { findings: kept, suppressed: findings.length - kept.length, notices };
}

function noticeOf(kind: IgnoreNotice['kind'], rule: IgnoreRule): IgnoreNotice {
  return { kind, ruleId: rule.ruleId, package: rule.package, reason: rule.reason, expires: rule.expires };
}

/** `ruleId` matches the rule or its whole check; `package` matches a name or name@version. */
export function ignoreMatches(rule: IgnoreRule, finding: Finding): boolean {
  if (rule.ruleId !== undefined && rule.ruleId !== finding.ruleId && rule.ruleId !== finding.checkId) return false;
  if (rule.package !== undefined) {
    const { name, version } = finding.package;
    if (rule.package !== name && rule.package !== `${name}@${version}`) return false;
  }
  return true;
}

/**
 * "Only new findings": drops findings whose fingerprint the baseline (an earlier JSON report)
 * already holds. Fingerprints leave out line numbers, so unrelated lockfile edits keep matching.
 */
export function applyBaseline(findings: readonly Finding[], baseline: ReadonlySet<string>): { findings: Finding[]; baselined: number } {
  const kept = findings.filter((finding) => !baseline.has(finding.fingerprint));
  return { findings: kept, baselined: findings.length - kept.length };
}

export function summarize(
  findings: readonly Finding[],
  failOn: FailOn,
  suppressed: number,
  incomplete: readonly IncompleteEntry[],
  baselined = 0,
): AuditSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let failing = 0;
  for (const finding of findings) {
    bySeverity[finding.severity] += 1;
    if (meetsThreshold(finding.severity, failOn)) failing += 1;
  }
  return { total: findings.length, bySeverity, suppressed, baselined, failOn, failing, incomplete: incomplete.length > 0 };
}
