/**
 * OSV records → `Advisory`: severity label, CVSS, malware flag, CWEs, references. Severity
 * follows the order documented on `Advisory.severity`.
 */
import { isSeverity, type Severity } from '../core/severity.ts';
import { type CvssScorer, cvssVersionOf, loadCvssScorer, preferredVector, severityOfScore } from './cvss.ts';
import type { OsvRecord } from './osv-record.ts';
import type { Advisory, AdvisorySourceId } from './types.ts';

/** GitHub's "Embedded Malicious Code": what its malware advisories carry. */
const MALWARE_CWE = 'CWE-506';

export function isMaliciousRecord(record: OsvRecord): boolean {
  return (
    record.id.startsWith('MAL-') ||
    record.cwes.includes(MALWARE_CWE) ||
    record.affected.some((entry) => entry.cwes.includes(MALWARE_CWE))
  );
}

/** "HIGH", "Moderate", "medium" → pkgguard's words; undefined for anything else. */
export function severityLabel(label: string | undefined): Severity | undefined {
  const lower = label?.toLowerCase();
  if (lower === 'medium') return 'moderate';
  return isSeverity(lower) && lower !== 'info' ? lower : undefined;
}

function needsScorer(record: OsvRecord): boolean {
  const vector = preferredVector(record.severity.map((entry) => entry.score));
  return vector !== undefined && record.scores?.[vector.vector] === undefined;
}

/** CVSS scores of every vector a record publishes (the offline index stores them). */
export function scoresOf(record: OsvRecord, scorer: CvssScorer): Record<string, number> | undefined {
  let scores: Record<string, number> | undefined;
  for (const { score: vector } of record.severity) {
    const version = cvssVersionOf(vector);
    const score = version && scorer(version, vector);
    if (score !== undefined) (scores ??= {})[vector] = score;
  }
  return scores;
}

/** Loads the CVSS calculator (≈ 130 ms) only when a matched record has a vector not scored yet. */
export async function scorerFor(records: readonly OsvRecord[]): Promise<CvssScorer | undefined> {
  return records.some(needsScorer) ? loadCvssScorer() : undefined;
}

export function toAdvisory(record: OsvRecord, source: AdvisorySourceId, scorer: CvssScorer | undefined): Advisory {
  const vector = preferredVector(record.severity.map((entry) => entry.score));
  const label = severityLabel(record.databaseSeverity);
  const score = vector && (record.scores?.[vector.vector] ?? scorer?.(vector.version, vector.vector));
  const malicious = isMaliciousRecord(record);
  const severity: Severity = label ?? (score !== undefined ? severityOfScore(score) : malicious ? 'critical' : 'moderate');
  const cwes = [...new Set([...record.cwes, ...record.affected.flatMap((entry) => entry.cwes)])].sort();
  return {
    id: record.id,
    aliases: [...new Set(record.aliases.filter((alias) => alias !== record.id))].sort(),
    summary: record.summary,
    details: record.details,
    severity,
    cvss: vector && score !== undefined ? { ...vector, score } : undefined,
    malicious,
    published: record.published,
    modified: record.modified,
    references: orderReferences(record),
    cwes,
    sources: [source],
  };
}

/** The advisory's own page first (GitHub's for GHSA ids), then the rest as published, once each. */
function orderReferences(record: OsvRecord): string[] {
  const own = record.id.startsWith('GHSA-') ? [`https://github.com/advisories/${record.id}`] : [];
  return [...new Set([...own, ...record.references])];
}
