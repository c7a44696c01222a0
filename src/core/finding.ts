import type { SourceLocation } from './graph.ts';
import type { Severity } from './severity.ts';

export interface PackageRef {
  readonly name: string;
  readonly version: string;
  /** `PackageNode.id` in its graph. */
  readonly id: string;
  /**
   * Shortest dependency chain from the root or a workspace down to the package, as
   * `name@version` strings ("why is this here?"). The first element is the root/importer.
   */
  readonly path: readonly string[];
}

export interface FixHint {
  /** One imperative sentence. */
  readonly description: string;
  /** A command that fixes it, when one can be named. */
  readonly command?: string | undefined;
}

/** The text of a finding's run-time rule (an advisory), for reporters to emit as the rule's help. */
export interface FindingRule {
  /** One line: the advisory's summary. */
  readonly description: string;
  readonly help?: string | undefined;
  readonly helpUri?: string | undefined;
  /** CVSS base score 0.0–10.0. */
  readonly score?: number | undefined;
  readonly tags?: readonly string[] | undefined;
}

export type FindingData = Readonly<Record<string, string | number>>;

export interface Finding {
  /** The check that reported it: 'integrity'. */
  readonly checkId: string;
  /** Check-specific rule: 'integrity/missing', or an advisory id. One SARIF rule per ruleId. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** Plain text: no ANSI, no newlines. Reporters escape it for their medium. */
  readonly message: string;
  readonly package: PackageRef;
  readonly location: SourceLocation;
  readonly fix?: FixHint | undefined;
  readonly references?: readonly string[] | undefined;
  /** The typed values the message was built from (expected/actual values, algorithms, ids). */
  readonly data: FindingData;
  readonly helpUri: string;
  /** Set when the ruleId is a run-time rule (an advisory id) rather than a declared `<check>/<rule>`. */
  readonly rule?: FindingRule | undefined;
  readonly fingerprint: string;
}

/** Deterministic order: file, line, column, rule, package, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.package.id, b.package.id) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** Locale-independent comparison, so output does not depend on the machine's language. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
