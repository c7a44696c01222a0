/** Severity vocabulary shared with npm's `audit-level`, ordered from least to most serious. */
export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What `--fail-on` accepts: a severity, or `none` to never fail on findings. */
export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'none'];

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, moderate: 2, high: 3, critical: 4 };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Negative when `a` is less serious than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return RANK[a] - RANK[b];
}

export function meetsThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && RANK[severity] >= RANK[failOn];
}

/** SARIF has three levels; the full severity travels in `properties["security-severity"]`. */
export function toSarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'info' ? 'note' : 'warning';
}

/**
 * GitHub code scanning maps `security-severity` scores to its own labels:
 * > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. We pick a representative score
 * inside each band so the dashboard shows the same word we do.
 */
export function toSecuritySeverityScore(severity: Severity): string {
  return { critical: '9.5', high: '8.0', moderate: '5.5', low: '2.0', info: '0.0' }[severity];
}
