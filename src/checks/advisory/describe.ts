/**
 * Turns one advisory match into what both advisory checks report: the run-time rule (one SARIF
 * rule per advisory id), the finding's data (expected and actual versions, aliases, CVSS,
 * dependency paths), references and the fix hint.
 */
import type { Advisory, AdvisoryMatch } from '../../advisories/index.ts';
import type { DynamicRule } from '../../core/check.ts';
import type { FindingData } from '../../core/finding.ts';
import type { DependencyGraph, PackageNode } from '../../core/graph.ts';
import type { Severity } from '../../core/severity.ts';

/** Dependency paths listed per finding: enough to see where it comes from, bounded for huge graphs. */
export const MAX_PATHS = 5;
/** A summary longer than this is cut: it is one line of a report, the details are in the rule's help. */
const MAX_SUMMARY = 200;

export interface MatchReport {
  readonly dynamicRule: DynamicRule;
  readonly data: FindingData;
  readonly references: readonly string[];
}

function oneLine(text: string | undefined): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= MAX_SUMMARY ? line : `${chars.slice(0, MAX_SUMMARY - 1).join('')}…`;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
}

/** The advisory's page: GitHub's for GHSA ids, the npm endpoint's own link for its ids, OSV's otherwise. */
export function advisoryUrl(advisory: Advisory): string {
  if (advisory.id.startsWith('GHSA-')) return `https://github.com/advisories/${advisory.id}`;
  if (advisory.id.startsWith('NPM-') && advisory.references[0]) return advisory.references[0];
  return `https://osv.dev/vulnerability/${encodeURIComponent(advisory.id)}`;
}

export function summaryOf(advisory: Advisory): string {
  return oneLine(advisory.summary) || oneLine(firstLine(advisory.details)) || advisory.id;
}

function pathsOf(graph: DependencyGraph, node: PackageNode): { paths: string; pathCount: number; pathsCapped: number } {
  const chains = graph.pathsTo(node, MAX_PATHS + 1);
  const shown = chains.slice(0, MAX_PATHS).map((chain) => chain.map((step) => (step.version ? `${step.name}@${step.version}` : step.name)).join(' > '));
  // npm names cannot contain ";" or ">", so the joined form stays unambiguous.
  return { paths: shown.join('; '), pathCount: shown.length, pathsCapped: chains.length > MAX_PATHS ? 1 : 0 };
}

/** `severity`: the finding's (the advisory's own, or `critical` for malware). */
export function describeMatch(graph: DependencyGraph, node: PackageNode, match: AdvisoryMatch, severity: Severity): MatchReport {
  const { advisory, fixedIn } = match;
  const summary = summaryOf(advisory);
  const dynamicRule: DynamicRule = {
    id: advisory.id,
    description: summary,
    help: advisory.details,
    helpUri: advisoryUrl(advisory),
    severity,
    score: advisory.cvss?.score,
    tags: [...(advisory.malicious ? ['malware'] : []), ...advisory.cwes],
  };
  const data: Record<string, string | number> = {
    advisoryId: advisory.id,
    summary,
    advisorySeverity: advisory.severity,
    remedy: fixedIn === undefined ? 'no fixed version is published' : `fixed in ${fixedIn}`,
    ...pathsOf(graph, node),
    sources: advisory.sources.join(', '),
  };
  if (fixedIn !== undefined) data['fixedIn'] = fixedIn;
  if (advisory.aliases.length > 0) data['aliases'] = advisory.aliases.join(', ');
  if (advisory.cvss) {
    data['cvssVector'] = advisory.cvss.vector;
    data['cvssScore'] = advisory.cvss.score;
  }
  if (advisory.cwes.length > 0) data['cwes'] = advisory.cwes.join(', ');
  const page = advisoryUrl(advisory);
  return { dynamicRule, data, references: [page, ...advisory.references.filter((url) => url !== page)] };
}
