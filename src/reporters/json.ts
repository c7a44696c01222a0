/**
 * @file The scripting contract: one JSON document per audit, described by
 * src/schemas/report.schema.json. Keys are written in a fixed order, paths are project-relative,
 * credentials are redacted, crash stacks stay out. Adding a field is a minor change; renaming or
 * removing one bumps `schemaVersion`.
 */
import type { Finding, FindingRule } from '../core/finding.ts';
import type { LockfileFormat } from '../core/graph.ts';
import { defineReporter, type AuditResult, type IgnoreNotice, type IncompleteEntry } from '../core/reporter.ts';
import type { FailOn, Severity } from '../core/severity.ts';
import { createRedactor } from './redact.ts';
import { escapeJsonUnsafe } from './sanitize.ts';

export const JSON_REPORT_SCHEMA_VERSION = 1;

/** Most serious first, the order people read counts in. */
const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'moderate', 'low', 'info'];

export interface JsonReport {
  readonly schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly lockfiles: readonly JsonLockfile[];
  readonly findings: readonly JsonFinding[];
  readonly incomplete: readonly JsonIncomplete[];
  readonly skipped: readonly { readonly checkId: string; readonly lockfile?: string; readonly reason: string }[];
  readonly notes: readonly { readonly checkId: string; readonly lockfile: string; readonly message: string }[];
  readonly ignores: readonly JsonIgnore[];
  readonly summary: JsonSummary;
}

export interface JsonLockfile {
  readonly path: string;
  readonly format: LockfileFormat;
  readonly formatVersion: string;
  readonly packageCount: number;
}

export interface JsonFinding {
  readonly checkId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly package: { readonly name: string; readonly version: string; readonly id: string; readonly path: readonly string[] };
  readonly location: { readonly file: string; readonly line: number; readonly column: number };
  readonly fix?: { readonly description: string; readonly command?: string };
  readonly references?: readonly string[];
  readonly data: Readonly<Record<string, string | number>>;
  readonly helpUri: string;
  /** Present when `ruleId` is an advisory id: the advisory's summary, details, page and CVSS score. */
  readonly rule?: JsonFindingRule;
  readonly fingerprint: string;
}

export interface JsonFindingRule {
  readonly description: string;
  readonly help?: string;
  readonly helpUri?: string;
  readonly score?: number;
  readonly tags?: readonly string[];
}

export type JsonIncomplete = Omit<IncompleteEntry, 'stack'>;

export type JsonIgnore = IgnoreNotice;

export interface JsonSummary {
  readonly total: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly suppressed: number;
  readonly baselined: number;
  readonly failOn: FailOn;
  readonly failing: number;
  readonly incomplete: boolean;
}

/** Builds the document (exported for the CLI's error path and for tests). */
export function toJsonReport(result: AuditResult): JsonReport {
  const clean = createRedactor(result.projectDir);
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    tool: { name: result.tool.name, version: result.tool.version },
    lockfiles: result.lockfiles.map((lockfile) => ({
      path: clean(lockfile.path),
      format: lockfile.format,
      formatVersion: lockfile.formatVersion,
      packageCount: lockfile.packageCount,
    })),
    findings: result.findings.map((finding) => toJsonFinding(finding, clean)),
    incomplete: result.incomplete.map((entry) => ({
      checkId: entry.checkId,
      ...(entry.lockfile === undefined ? {} : { lockfile: clean(entry.lockfile) }),
      kind: entry.kind,
      code: entry.code,
      message: clean(entry.message),
    })),
    skipped: result.skipped.map((entry) => ({
      checkId: entry.checkId,
      ...(entry.lockfile === undefined ? {} : { lockfile: clean(entry.lockfile) }),
      reason: clean(entry.reason),
    })),
    notes: result.notes.map((note) => ({ checkId: note.checkId, lockfile: clean(note.lockfile), message: clean(note.message) })),
    ignores: result.ignores.map((notice) => ({
      kind: notice.kind,
      ...(notice.ruleId === undefined ? {} : { ruleId: notice.ruleId }),
      ...(notice.package === undefined ? {} : { package: notice.package }),
      reason: clean(notice.reason),
      expires: notice.expires,
    })),
    summary: {
      total: result.summary.total,
      bySeverity: Object.fromEntries(SEVERITY_ORDER.map((s) => [s, result.summary.bySeverity[s]])) as Record<Severity, number>,
      suppressed: result.summary.suppressed,
      baselined: result.summary.baselined,
      failOn: result.summary.failOn,
      failing: result.summary.failing,
      incomplete: result.summary.incomplete,
    },
  };
}

function toJsonFinding(finding: Finding, clean: (text: string) => string): JsonFinding {
  const { fix, references } = finding;
  return {
    checkId: finding.checkId,
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: clean(finding.message),
    package: {
      name: clean(finding.package.name),
      version: clean(finding.package.version),
      id: clean(finding.package.id),
      path: finding.package.path.map(clean),
    },
    location: { file: clean(finding.location.file), line: finding.location.line, column: finding.location.column },
    ...(fix === undefined
      ? {}
      : {
          fix: {
            description: clean(fix.description),
            ...(fix.command === undefined ? {} : { command: clean(fix.command) }),
          },
        }),
    ...(references === undefined ? {} : { references: references.map(clean) }),
    data: Object.fromEntries(
      Object.entries(finding.data).map(([key, value]) => [key, typeof value === 'string' ? clean(value) : value]),
    ),
    helpUri: finding.helpUri,
    ...(finding.rule === undefined ? {} : { rule: toJsonFindingRule(finding.rule, clean) }),
    fingerprint: finding.fingerprint,
  };
}

function toJsonFindingRule(rule: FindingRule, clean: (text: string) => string): JsonFindingRule {
  return {
    description: clean(rule.description),
    ...(rule.help === undefined ? {} : { help: clean(rule.help) }),
    ...(rule.helpUri === undefined ? {} : { helpUri: clean(rule.helpUri) }),
    ...(rule.score === undefined ? {} : { score: rule.score }),
    ...(rule.tags === undefined ? {} : { tags: rule.tags.map(clean) }),
  };
}

export default defineReporter({
  id: 'json',
  description: 'machine-readable JSON (schema: pkgguard/schemas/report.schema.json)',
  format(result) {
    // Values stay exact for scripts; only the bytes are made terminal-safe (escapeJsonUnsafe).
    return `${escapeJsonUnsafe(JSON.stringify(toJsonReport(result), null, 2))}\n`;
  },
});
