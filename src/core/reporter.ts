import type { CheckMeta } from './check.ts';
import type { Finding } from './finding.ts';
import type { DependencyGraph, LockfileFormat } from './graph.ts';
import type { FailOn, Severity } from './severity.ts';

export interface LockfileSummary {
  readonly path: string;
  readonly format: LockfileFormat;
  readonly formatVersion: string;
  readonly packageCount: number;
}

/** A check that did not (fully) run, with the reason. */
export interface IncompleteEntry {
  readonly checkId: string;
  /** Lockfile it concerns, when the failure is per lockfile. */
  readonly lockfile?: string | undefined;
  readonly kind: 'source-unavailable' | 'crashed';
  readonly code: string;
  readonly message: string;
  /** Stack of a crash, shown only with --debug. */
  readonly stack?: string | undefined;
}

export interface SkippedCheck {
  readonly checkId: string;
  /** Set when the check skipped itself for one lockfile (it ran for the others). */
  readonly lockfile?: string | undefined;
  readonly reason: string;
}

/** Information from a check that is not a finding (withheld names, sources not applicable). */
export interface CheckNote {
  readonly checkId: string;
  readonly lockfile: string;
  /** Plain text, one line. */
  readonly message: string;
}

/** An ignore entry that matched nothing, or that expired and stopped suppressing. */
export interface IgnoreNotice {
  readonly kind: 'expired' | 'unused';
  readonly ruleId?: string | undefined;
  readonly package?: string | undefined;
  readonly reason: string;
  readonly expires: string;
}

export type SeverityCounts = Readonly<Record<Severity, number>>;

export interface AuditSummary {
  readonly total: number;
  readonly bySeverity: SeverityCounts;
  readonly suppressed: number;
  /** Findings hidden because the baseline (`--baseline`) already had them. */
  readonly baselined: number;
  readonly failOn: FailOn;
  /** Findings at or above `failOn`. */
  readonly failing: number;
  /** True when a check crashed or could not reach a source: the result is not a clean bill. */
  readonly incomplete: boolean;
}

export interface AuditResult {
  readonly tool: { readonly name: 'pkgguard'; readonly version: string };
  /** Absolute project directory. Reporters print paths relative to it, never this. */
  readonly projectDir: string;
  /**
   * Prefix from the repository root to the project dir (POSIX, '' or ending in '/'), so SARIF
   * URIs point at the right file when pkgguard runs in a subdirectory of a repository.
   */
  readonly repoPrefix: string;
  readonly lockfiles: readonly LockfileSummary[];
  /** Metadata of the checks that ran, for SARIF rules and docs links. */
  readonly checks: readonly CheckMeta[];
  /** Sorted by the engine. */
  readonly findings: readonly Finding[];
  readonly incomplete: readonly IncompleteEntry[];
  readonly skipped: readonly SkippedCheck[];
  readonly notes: readonly CheckNote[];
  readonly ignores: readonly IgnoreNotice[];
  readonly summary: AuditSummary;
  /** The parsed graphs, for inventory-style reporters (SBOMs). */
  readonly graphs: readonly DependencyGraph[];
}

export interface ReporterContext {
  /** Decided by the CLI from flags, NO_COLOR/FORCE_COLOR and the TTY; reporters never sniff. */
  readonly color: boolean;
}

export interface Reporter {
  /** The --format value. */
  readonly id: string;
  readonly description: string;
  /** Returns the document; never prints. */
  format(result: AuditResult, context: ReporterContext): string;
}

export function defineReporter(reporter: Reporter): Reporter {
  return reporter;
}
