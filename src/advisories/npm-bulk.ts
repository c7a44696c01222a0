/**
 * The bulk advisory endpoint of the user's configured registry (what `npm audit` uses since the
 * old audit endpoints were retired): `POST /-/npm/v1/security/advisories/bulk` with a gzipped
 * `{name: [versions]}` body answers `{name: [{id, url, title, severity, vulnerable_versions,
 * cwe, cvss}]}`. It goes through the registry client, so private registries that proxy it
 * (Artifactory, Verdaccio, …) and their credentials work.
 */
import semver from 'semver';
import { SourceUnavailableError } from '../core/errors.ts';
import { hostOf } from '../registry/failures.ts';
import type { RegistryClient } from '../registry/types.ts';
import { cvssVersionOf } from './cvss.ts';
import { severityLabel } from './normalize.ts';
import type { Advisory, AdvisoryQuery } from './types.ts';

export const BULK_ADVISORY_PATH = '/-/npm/v1/security/advisories/bulk';

export interface NpmMatch {
  readonly query: AdvisoryQuery;
  readonly advisory: Advisory;
}

interface BulkAdvisory {
  readonly id: unknown;
  readonly url?: unknown;
  readonly title?: unknown;
  readonly severity?: unknown;
  readonly vulnerable_versions?: unknown;
  readonly cwe?: unknown;
  readonly cvss?: { readonly score?: unknown; readonly vectorString?: unknown } | null;
}

const GHSA_URL = /\/advisories\/(GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\/?$/;

function toAdvisory(entry: BulkAdvisory): Advisory | undefined {
  if (typeof entry.id !== 'number' && typeof entry.id !== 'string') return undefined;
  const url = typeof entry.url === 'string' ? entry.url : undefined;
  const ghsa = url === undefined ? undefined : GHSA_URL.exec(url)?.[1];
  const npmId = `NPM-${String(entry.id)}`;
  const vector = typeof entry.cvss?.vectorString === 'string' ? entry.cvss.vectorString : undefined;
  const version = vector === undefined ? undefined : cvssVersionOf(vector);
  const score = typeof entry.cvss?.score === 'number' ? entry.cvss.score : undefined;
  const cwes = Array.isArray(entry.cwe) ? entry.cwe.filter((cwe): cwe is string => typeof cwe === 'string') : [];
  return {
    id: ghsa ?? npmId,
    aliases: ghsa === undefined ? [] : [npmId],
    summary: typeof entry.title === 'string' && entry.title !== '' ? entry.title : undefined,
    details: undefined,
    severity: severityLabel(typeof entry.severity === 'string' ? entry.severity : undefined) ?? 'moderate',
    cvss: vector !== undefined && version !== undefined && score !== undefined ? { version, vector, score } : undefined,
    malicious: cwes.includes('CWE-506'),
    published: undefined,
    modified: '',
    references: url === undefined ? [] : [url],
    cwes: [...new Set(cwes)].sort(),
    sources: ['npm'],
  };
}

/** The registry's advisories that affect each query (`vulnerable_versions`, prereleases included). */
export async function queryNpmBulk(queries: readonly AdvisoryQuery[], client: RegistryClient, signal: AbortSignal): Promise<NpmMatch[]> {
  if (queries.length === 0) return [];
  const body: Record<string, string[]> = {};
  for (const { name, version } of queries) (body[name] ??= []).push(version);
  const response = await client.json(BULK_ADVISORY_PATH, { method: 'POST', body, gzip: true, signal });
  if (response === undefined) {
    throw new SourceUnavailableError(`${hostOf(client.config.defaultRegistry)}: the registry has no bulk advisory endpoint (404 for POST ${BULK_ADVISORY_PATH})`, {
      hints: ['use the OSV API or an offline database instead: "advisories": { "sources": ["osv"] }'],
    });
  }
  if (typeof response !== 'object' || response === null || Array.isArray(response)) {
    throw new SourceUnavailableError(`${hostOf(client.config.defaultRegistry)}: the bulk advisory endpoint answered something other than an object`);
  }
  const matches: NpmMatch[] = [];
  for (const query of queries) {
    const entries = Object.hasOwn(response, query.name) ? (response as Record<string, unknown>)[query.name] : undefined;
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as BulkAdvisory[]) {
      const range = entry?.vulnerable_versions;
      if (typeof range !== 'string' || !semver.satisfies(query.version, range, { includePrerelease: true, loose: true })) continue;
      const advisory = toAdvisory(entry);
      if (advisory) matches.push({ query, advisory });
    }
  }
  return matches;
}
