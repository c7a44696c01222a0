/**
 * @file SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). One run; one rule per
 * rule of the checks that ran, built from their metadata; each result points at the exact lockfile
 * line through a repository-relative URI. Deterministic: no timestamps, no absolute paths.
 * GitHub's documented limits (SARIF support for code scanning; "SARIF results exceed limit")
 * are respected here rather than left for the upload to truncate silently.
 */
import type { CheckMeta, RuleMeta } from '../core/check.ts';
import type { Finding, FindingRule } from '../core/finding.ts';
import { defineReporter, type AuditResult } from '../core/reporter.ts';
import { compareSeverity, toSarifLevel, toSecuritySeverityScore, type Severity } from '../core/severity.ts';
import { createRedactor } from './redact.ts';
import { escapeJsonUnsafe, sanitize } from './sanitize.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/pkgguard/pkgguard';
/** `category/`: GitHub keeps one analysis per category, so reruns replace each other's alerts. */
const AUTOMATION_ID = 'pkgguard/';
/** Key of our own fingerprint; versioned with fingerprint.ts so a scheme change is visible. */
const FINGERPRINT_KEY = 'pkgguard/v1';

/**
 * GitHub stores only the 5,000 most severe results of a run (hard limit 25,000). Sarif.Multitool's
 * GH1004 still assumes an older limit of 1,000; GitHub's current documentation wins.
 */
export const MAX_RESULTS = 5000;
/** GitHub shows 10 tags per rule and rejects more than 20. */
const MAX_TAGS = 10;
/** GitHub limits rule descriptions to 1,024 characters and rule names to 255. */
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;
/** GitHub documents no limit for result messages; a bound keeps a hostile lockfile from bloating alerts. */
const MAX_MESSAGE = 2000;
/** Fixed locale: output must not depend on the machine's language settings. */
const NUMBER = new Intl.NumberFormat('en-US');

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json | undefined };
type JsonObject = { readonly [key: string]: Json | undefined };

interface RuleSource {
  readonly ruleId: string;
  readonly check: CheckMeta | undefined;
  readonly rule: RuleMeta | undefined;
  /** The run-time rule's text (an advisory) when the ruleId is not a declared rule. */
  readonly dynamic: FindingRule | undefined;
  readonly findings: readonly Finding[];
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** 'integrity/missing' → 'IntegrityMissing'; SARIF `name` is an identifier-like label. */
export function pascalCase(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * A relative URI reference for a project-relative POSIX path below `repoPrefix`: each segment
 * percent-encoded (spaces, `%`, `#`, `?`, and a `:` that would read as a scheme), `@` kept
 * because scoped package folders are common and it is legal in a path segment.
 */
export function artifactUri(repoPrefix: string, file: string): string {
  const path = `${repoPrefix}${file}`.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .map((segment) => encodeURIComponent(segment).replace(/%40/g, '@'))
    .join('/');
}

/** Most severe first, then the engine's order: what GitHub keeps when we must cut. */
function selectResults(findings: readonly Finding[]): { kept: Finding[]; dropped: number } {
  if (findings.length <= MAX_RESULTS) return { kept: [...findings], dropped: 0 };
  const ranked = findings.map((finding, index) => ({ finding, index }));
  ranked.sort((a, b) => compareSeverity(b.finding.severity, a.finding.severity) || a.index - b.index);
  const keep = new Set(ranked.slice(0, MAX_RESULTS).map((entry) => entry.index));
  return { kept: findings.filter((_, index) => keep.has(index)), dropped: findings.length - MAX_RESULTS };
}

/**
 * Every rule of every check that ran, plus any ruleId a result carries, sorted. Rules without
 * results are kept (as CodeQL does): a clean audit still describes what it looked for, and
 * SARIF validators flag a driver without rules.
 */
function collectRules(findings: readonly Finding[], checks: readonly CheckMeta[]): RuleSource[] {
  const byRule = new Map<string, { checkId: string; findings: Finding[] }>();
  for (const check of checks) {
    for (const key of Object.keys(check.rules)) byRule.set(`${check.id}/${key}`, { checkId: check.id, findings: [] });
  }
  for (const finding of findings) {
    const entry = byRule.get(finding.ruleId);
    if (entry) entry.findings.push(finding);
    else byRule.set(finding.ruleId, { checkId: finding.checkId, findings: [finding] });
  }
  return [...byRule.keys()].sort().map((ruleId) => {
    const { checkId, findings: ruleFindings } = byRule.get(ruleId)!;
    const check = checks.find((meta) => meta.id === checkId);
    const key = ruleId.startsWith(`${checkId}/`) ? ruleId.slice(checkId.length + 1) : ruleId;
    const rule = check && Object.hasOwn(check.rules, key) ? check.rules[key] : undefined;
    // Every finding of one advisory carries the same text; the first one describes the rule.
    const dynamic = rule ? undefined : ruleFindings.find((finding) => finding.rule)?.rule;
    return { ruleId, check, rule, dynamic, findings: ruleFindings };
  });
}

function highestSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((top, f) => (compareSeverity(f.severity, top) > 0 ? f.severity : top), 'info');
}

function problemSeverity(severity: Severity): 'error' | 'warning' | 'recommendation' {
  const level = toSarifLevel(severity);
  return level === 'note' ? 'recommendation' : level;
}

/** Inline code that survives backticks inside the command. */
function markdownCode(text: string): string {
  const fence = '`'.repeat((text.match(/`+/g) ?? []).reduce((max, run) => Math.max(max, run.length), 0) + 1);
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A fix becomes rule help only when every result of the rule has the same one and it names none
 * of their packages: rule help describes the rule, not whichever packages this run happened to hit.
 */
function ruleLevelFix(findings: readonly Finding[]): Finding['fix'] {
  const first = findings[0]?.fix;
  if (!first) return undefined;
  const same = findings.every((f) => f.fix?.description === first.description && f.fix.command === first.command);
  const generic = findings.every((f) => !`${first.description} ${first.command ?? ''}`.includes(f.package.name));
  return same && generic ? first : undefined;
}

function toRule(source: RuleSource, clean: (text: string) => string): JsonObject {
  if (source.dynamic) return toDynamicRule(source, source.dynamic, clean);
  const { ruleId, check, rule, findings } = source;
  const description = rule?.description ?? `Findings of ${ruleId}`;
  const rationale = check?.rationale ?? description;
  const docs = check?.docs ?? findings[0]?.helpUri ?? INFORMATION_URI;
  const defaultSeverity = rule?.severity ?? check?.defaultSeverity ?? highestSeverity(findings);
  // Rule-level because GitHub reads security-severity only from the rule: the most serious
  // result decides, so the dashboard never shows a milder word than the results carry.
  const severity = findings.length > 0 ? highestSeverity(findings) : defaultSeverity;
  const sharedFix = ruleLevelFix(findings);
  const fixText = sharedFix
    ? `${sentence(sanitize(clean(sharedFix.description)))}${sharedFix.command ? ` Run: ${sanitize(clean(sharedFix.command))}` : ''}`
    : 'Each result names its own fix (result property "fix").';
  const fixMarkdown = sharedFix
    ? `${sentence(sanitize(clean(sharedFix.description)))}${sharedFix.command ? `\n\n${markdownCode(sanitize(clean(sharedFix.command)))}` : ''}`
    : 'Each result names its own fix (result property `fix`).';
  const tags = [...new Set(['security', ...(check?.tags ?? [])])].slice(0, MAX_TAGS);
  return {
    id: ruleId,
    name: truncate(pascalCase(ruleId), MAX_NAME),
    shortDescription: { text: truncate(description, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(rationale, MAX_DESCRIPTION) },
    help: {
      text: `${sentence(description)}\n\nWhy it matters: ${rationale}\n\nHow to fix: ${fixText}\n\nDocumentation: ${docs}`,
      markdown: `**${description}**\n\n${rationale}\n\n**How to fix:** ${fixMarkdown}\n\n[Documentation](${docs})`,
    },
    helpUri: docs,
    defaultConfiguration: { level: toSarifLevel(defaultSeverity) },
    properties: {
      tags,
      precision: 'high',
      'problem.severity': problemSeverity(severity),
      'security-severity': toSecuritySeverityScore(severity),
    },
  };
}

/** First line of `text` that has content: the one-line fallback for an advisory without a summary. */
function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

/** A CVSS base score as GitHub reads `security-severity`: a number 0.0–10.0 with one decimal. */
function scoreText(score: number): string {
  return (Math.round(Math.min(10, Math.max(0, score)) * 10) / 10).toFixed(1);
}

/**
 * One rule per advisory, as osv-scanner does: the advisory's summary is the short description,
 * its details the help, its page the helpUri, and its CVSS score the security-severity (GitHub
 * sorts alerts by it). The check's rationale and docs close the help, so a reader learns both
 * what this advisory is and what pkgguard checked.
 */
function toDynamicRule(source: RuleSource, dynamic: FindingRule, clean: (text: string) => string): JsonObject {
  const { ruleId, check, findings } = source;
  const text = (value: string): string => sanitize(clean(value));
  // Details are markdown: their line breaks are content, every other control character is not.
  const lines = (value: string): string => value.split(/\r?\n/).map(text).join('\n');
  const summary = text(dynamic.description) || firstLine(lines(dynamic.help ?? '')) || ruleId;
  const details = dynamic.help === undefined ? '' : lines(dynamic.help).trim();
  const docs = dynamic.helpUri ?? check?.docs ?? INFORMATION_URI;
  const severity = highestSeverity(findings);
  const sharedFix = ruleLevelFix(findings);
  const fixText = sharedFix
    ? `${sentence(text(sharedFix.description))}${sharedFix.command ? ` Run: ${text(sharedFix.command)}` : ''}`
    : 'Each result names its own fix (result property "fix").';
  const fixMarkdown = sharedFix
    ? `${sentence(text(sharedFix.description))}${sharedFix.command ? `\n\n${markdownCode(text(sharedFix.command))}` : ''}`
    : 'Each result names its own fix (result property `fix`).';
  const about = check ? `\n\nReported by pkgguard's ${check.id} check: ${check.docs}` : '';
  const tags = [...new Set(['security', ...(check?.tags ?? []), ...(dynamic.tags ?? [])])].slice(0, MAX_TAGS);
  return {
    id: ruleId,
    name: truncate(advisoryName(ruleId), MAX_NAME),
    shortDescription: { text: truncate(summary, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(details === '' ? summary : details, MAX_DESCRIPTION) },
    help: {
      text: `${sentence(summary)}${details === '' ? '' : `\n\n${details}`}\n\nHow to fix: ${fixText}\n\nAdvisory: ${docs}${about}`,
      markdown: `**${summary}**${details === '' ? '' : `\n\n${details}`}\n\n**How to fix:** ${fixMarkdown}\n\n[Advisory](${docs})${check ? `\n\nReported by pkgguard's [\`${check.id}\` check](${check.docs}).` : ''}`,
    },
    helpUri: docs,
    defaultConfiguration: { level: toSarifLevel(severity) },
    properties: {
      tags,
      precision: 'very-high',
      'problem.severity': problemSeverity(severity),
      // The advisory's own CVSS score when it lies in the band of the results' severity; when
      // the advisory's rating, a malware verdict or the configuration says otherwise, that
      // word wins, so the dashboard never shows a different one than the results carry.
      'security-severity':
        dynamic.score !== undefined && scoreSeverity(dynamic.score) === severity ? scoreText(dynamic.score) : toSecuritySeverityScore(severity),
    },
  };
}

/**
 * 'GHSA-35jh-r3h4-6jhm' → 'Ghsa35jhR3h46jhm': SARIF wants a Pascal-case friendly name, and an
 * id's upper-case prefix would read as a run of capitals (Sarif.Multitool SARIF2012).
 */
export function advisoryName(ruleId: string): string {
  return ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

/** GitHub's bands for security-severity, in pkgguard's words. */
function scoreSeverity(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  return score > 0 ? 'low' : 'info';
}

function toResult(finding: Finding, ruleIndex: number, repoPrefix: string, clean: (text: string) => string): JsonObject {
  const text = (value: string): string => sanitize(clean(value));
  const startLine = Math.max(1, Math.trunc(finding.location.line));
  const startColumn = Math.max(1, Math.trunc(finding.location.column));
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: toSarifLevel(finding.severity),
    message: { text: truncate(text(finding.message), MAX_MESSAGE) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(repoPrefix, clean(finding.location.file)), uriBaseId: '%SRCROOT%' },
          // The lockfile entry's start: one character, since the end of an entry is the
          // parser's business and GitHub annotates the whole line anyway.
          region: { startLine, startColumn, endLine: startLine, endColumn: startColumn + 1 },
        },
      },
    ],
    // Both keys carry the line-free fingerprint. GitHub matches alerts on
    // primaryLocationLineHash only; supplying it keeps two advisories of one package on one
    // line apart and makes REST uploads deduplicate. upload-sarif then logs an "inconsistent
    // fingerprint" warning but keeps our value (github/codeql-action#4052).
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint, primaryLocationLineHash: finding.fingerprint },
    properties: {
      severity: finding.severity,
      packageName: text(finding.package.name),
      packageVersion: text(finding.package.version),
      dependencyPath: finding.package.path.map(text),
      ...(finding.fix
        ? {
            fix: {
              description: text(finding.fix.description),
              ...(finding.fix.command ? { command: text(finding.fix.command) } : {}),
            },
          }
        : {}),
    },
  };
}

function toNotifications(result: AuditResult, dropped: number, clean: (text: string) => string): JsonObject[] {
  const notifications: JsonObject[] = result.incomplete.map((entry) => ({
    level: 'error',
    message: {
      text: sanitize(
        clean(`Check "${entry.checkId}" did not finish${entry.lockfile ? ` on ${entry.lockfile}` : ''} (${entry.code}): ${entry.message}`),
      ),
    },
    properties: { checkId: entry.checkId, kind: entry.kind, code: entry.code },
  }));
  for (const entry of result.skipped) {
    notifications.push({
      level: 'note',
      message: { text: sanitize(clean(`Check "${entry.checkId}" was skipped${entry.lockfile ? ` on ${entry.lockfile}` : ''}: ${entry.reason}`)) },
      properties: { checkId: entry.checkId, kind: 'skipped' },
    });
  }
  for (const note of result.notes) {
    notifications.push({
      level: 'note',
      message: { text: sanitize(clean(`${note.checkId} (${note.lockfile}): ${note.message}`)) },
      properties: { checkId: note.checkId, kind: 'note' },
    });
  }
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `Left out the ${NUMBER.format(dropped)} least severe of ${NUMBER.format(result.findings.length)} findings: GitHub code scanning keeps at most ${NUMBER.format(MAX_RESULTS)} results per run. The JSON report has all of them.`,
      },
    });
  }
  return notifications;
}

/** Builds the SARIF log object (exported for tests). */
export function toSarifLog(result: AuditResult): JsonObject {
  const clean = createRedactor(result.projectDir);
  const { kept, dropped } = selectResults(result.findings);
  const rules = collectRules(kept, result.checks);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.ruleId, index]));
  const notifications = toNotifications(result, dropped, clean);
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: INFORMATION_URI,
            rules: rules.map((rule) => toRule(rule, clean)),
          },
        },
        automationDetails: { id: AUTOMATION_ID },
        // Only described, never resolved: an absolute URI would leak the machine's layout, and
        // GitHub resolves %SRCROOT% to the checkout itself.
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the repository that contains the audited project.' } } },
        columnKind: 'unicodeCodePoints',
        invocations: [
          {
            executionSuccessful: result.incomplete.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        results: kept.map((finding) => toResult(finding, ruleIndex.get(finding.ruleId) ?? 0, result.repoPrefix, clean)),
      },
    ],
  };
}

export default defineReporter({
  id: 'sarif',
  description: 'SARIF 2.1.0 for GitHub code scanning and other SARIF viewers',
  format(result) {
    return `${escapeJsonUnsafe(JSON.stringify(toSarifLog(result), null, 2))}\n`;
  },
});
