/**
 * One advisory lookup: decide which sources answer (configuration, --offline, what is on disk),
 * ask them, normalize and merge. A network source that fails is replaced by the offline
 * database when there is one, with a note saying so; without one its error fails the lookup,
 * because an audit that silently asked nobody must never read as clean.
 */
import semver from 'semver';
import { ConfigError, SourceUnavailableError } from '../core/errors.ts';
import { type DbIndex, openDbIndex } from './db/db-index.ts';
import { advisoryKey, NoAdvisorySourceError } from './errors.ts';
import { matchRecord } from './match.ts';
import { mergeMatches } from './merge.ts';
import { scorerFor, toAdvisory } from './normalize.ts';
import { queryNpmBulk } from './npm-bulk.ts';
import { queryOsv } from './osv-api.ts';
import type { OsvRecord } from './osv-record.ts';
import { type ResolvedAdvisorySettings, resolveAdvisorySettings } from './settings.ts';
import { type DbLocation, locateDb, noDatabase } from './sources.ts';
import type { Advisory, AdvisoryLookupRequest, AdvisoryLookupResult, AdvisoryMatch, AdvisoryQuery, AdvisorySourceId } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A match before normalization: OSV records are turned into Advisories together, once the CVSS calculator's need is known. */
type RawMatch =
  | { readonly query: AdvisoryQuery; readonly source: AdvisorySourceId; readonly record: OsvRecord; readonly fixedIn?: string | undefined }
  | { readonly query: AdvisoryQuery; readonly source: AdvisorySourceId; readonly advisory: Advisory };

/** Each name@version once, semver versions only (git, file and tarball packages are not in OSV's npm ranges). */
function usableQueries(packages: readonly AdvisoryQuery[]): AdvisoryQuery[] {
  const seen = new Map<string, AdvisoryQuery>();
  for (const query of packages) {
    if (semver.valid(query.version, { loose: true }) === null) continue;
    const key = advisoryKey(query.name, query.version);
    if (!seen.has(key)) seen.set(key, { name: query.name, version: query.version });
  }
  return [...seen.values()];
}

function ageNote(index: DbIndex, location: DbLocation, settings: ResolvedAdvisorySettings, now: Date): string | undefined {
  const newest = index.info.newestModified;
  const newestTime = newest === undefined ? Number.NaN : Date.parse(newest);
  if (Number.isNaN(newestTime)) return `offline advisory database ${location.path} holds no dated npm records`;
  const days = Math.floor((now.getTime() - newestTime) / DAY_MS);
  if (days <= settings.maxDbAgeDays) return undefined;
  const refresh = location.explicit ? 'refresh it' : 'refresh it with `pkgguard db update`';
  return `offline advisory database is ${days} days old (newest record ${newest?.slice(0, 10)}, limit advisories.maxDbAgeDays = ${settings.maxDbAgeDays}): ${refresh}`;
}

async function queryDb(queries: readonly AdvisoryQuery[], location: DbLocation, settings: ResolvedAdvisorySettings, request: AdvisoryLookupRequest, notes: string[]): Promise<RawMatch[]> {
  let index: DbIndex;
  try {
    // Once per audit: every lockfile of a monorepo shares the opened index and its name table.
    index = await request.services.shared(`advisory-db-index\n${location.path}`, () =>
      openDbIndex(location.path, {
        cacheDir: request.services.cacheDir,
        now: request.services.now,
        onBuild: (source) => request.log.warn(`indexing the advisory database ${source} (once per version of it)`),
      }),
    );
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new SourceUnavailableError(`cannot read the advisory database ${location.path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const note = ageNote(index, location, settings, request.services.now);
  if (note !== undefined) notes.push(note);
  const records = await index.recordsFor(queries.map((query) => query.name));
  const matches: RawMatch[] = [];
  for (const query of queries) {
    for (const record of records.get(query.name) ?? []) {
      const match = matchRecord(record, query.name, query.version);
      if (match) matches.push({ query, source: 'db', record, fixedIn: match.fixedIn });
    }
  }
  return matches;
}

async function querySource(source: AdvisorySourceId, queries: readonly AdvisoryQuery[], db: DbLocation | undefined, settings: ResolvedAdvisorySettings, request: AdvisoryLookupRequest, notes: string[]): Promise<RawMatch[]> {
  switch (source) {
    case 'db':
      if (!db) throw noDatabase('"db" is listed in advisories.sources');
      return queryDb(queries, db, settings, request, notes);
    case 'osv': {
      const client = await request.services.registryClient();
      const found = await queryOsv(queries, {
        baseUrl: settings.osvUrl,
        client,
        cacheDir: request.services.cacheDir,
        signal: request.signal,
        batchCacheMs: settings.cacheMinutes * 60_000,
        now: request.services.now.getTime(),
      });
      return found.map((match) => ({ ...match, source: 'osv' }));
    }
    case 'npm': {
      const client = await request.services.registryClient();
      const found = await queryNpmBulk(queries, client, request.signal);
      return found.map((match) => ({ ...match, source: 'npm' }));
    }
  }
}

export async function lookup(request: AdvisoryLookupRequest): Promise<AdvisoryLookupResult> {
  const settings = resolveAdvisorySettings(request.services);
  const db = locateDb(settings, request.services.cacheDir);
  const queries = usableQueries(request.packages);
  const notes: string[] = [];
  let plan: AdvisorySourceId[];
  if (request.offline) {
    if (!db) throw noDatabase('pkgguard is offline');
    plan = ['db'];
  } else {
    plan = [...settings.sources];
    if (db?.explicit && !plan.includes('db')) plan.push('db');
  }

  const answered: AdvisorySourceId[] = [];
  const raw: RawMatch[] = [];
  for (const source of plan) {
    try {
      raw.push(...(await querySource(source, queries, db, settings, request, notes)));
      answered.push(source);
    } catch (error) {
      const canFallBack = source !== 'db' && db !== undefined && error instanceof SourceUnavailableError && !(error instanceof NoAdvisorySourceError);
      if (!canFallBack) throw error;
      notes.push(`advisory source ${source} unavailable (${error.message}); answered from the offline database instead`);
      if (!plan.includes('db') && !answered.includes('db')) {
        raw.push(...(await queryDb(queries, db, settings, request, notes)));
        answered.push('db');
      }
    }
  }
  return { matches: await normalize(raw, plan), notes, sources: answered };
}

function idOf(match: RawMatch): string {
  return 'record' in match ? match.record.id : match.advisory.id;
}

async function normalize(raw: readonly RawMatch[], order: readonly AdvisorySourceId[]): Promise<Map<string, AdvisoryMatch[]>> {
  const scorer = await scorerFor(raw.flatMap((match) => ('record' in match ? [match.record] : [])));
  const byPackage = new Map<string, AdvisoryMatch[]>();
  const rank = (source: AdvisorySourceId): number => (order.includes(source) ? order.indexOf(source) : order.length);
  // Source order, then id: the first source's record is the base of a merged advisory.
  const sorted = [...raw].sort((a, b) => rank(a.source) - rank(b.source) || idOf(a).localeCompare(idOf(b)));
  for (const match of sorted) {
    const key = advisoryKey(match.query.name, match.query.version);
    const advisory = 'record' in match ? toAdvisory(match.record, match.source, scorer) : match.advisory;
    const list = byPackage.get(key) ?? [];
    list.push({ advisory, fixedIn: 'record' in match ? match.fixedIn : undefined });
    byPackage.set(key, list);
  }
  for (const [key, list] of byPackage) byPackage.set(key, mergeMatches(list));
  return byPackage;
}
