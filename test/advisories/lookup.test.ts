import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryKey, lookupAdvisories, NoAdvisorySourceError, type AdvisoryLookupResult } from '../../src/advisories/index.ts';
import { downloadedDbPath } from '../../src/advisories/settings.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { sendJson } from '../registry/fake-registry.ts';
import { FIXTURE_DB, type FakeOsv, fastClient, fixtureRecords, servicesFor, startFakeOsv } from './helpers.ts';
import { writeZip } from './zip.ts';

let work: string;
let cacheDir: string;
let osv: FakeOsv;
const warnings: string[] = [];
const log = { debug() {}, warn: (message: string) => warnings.push(message) };

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pkgguard-lookup-'));
  cacheDir = path.join(work, 'cache');
  osv = await startFakeOsv(fixtureRecords());
  warnings.length = 0;
});

afterEach(async () => {
  await osv.close();
  await rm(work, { recursive: true, force: true });
});

const PACKAGES = [
  { name: 'lodash', version: '4.17.11' },
  { name: 'lodash', version: '4.17.11' },
  { name: 'ua-parser-js', version: '0.7.29' },
  { name: 'ws', version: '8.17.1' },
  { name: 'pkgguard-fixture-malware', version: '1.0.0' },
  { name: 'some-git-dep', version: 'github:user/repo#abc' },
];

function lookup(options: { settings?: Record<string, unknown>; offline?: boolean; now?: Date } = {}): Promise<AdvisoryLookupResult> {
  const services = servicesFor({ cacheDir, projectDir: work, settings: options.settings ?? {}, client: fastClient(osv.url, cacheDir, { retries: 1 }), now: options.now });
  return lookupAdvisories({ packages: PACKAGES, services, offline: options.offline ?? false, signal: new AbortController().signal, log });
}

/** name@version → "id (sources) fixedIn" lines. */
function table(result: AdvisoryLookupResult): Record<string, string[]> {
  return Object.fromEntries(
    [...result.matches].map(([key, matches]) => [key, matches.map((match) => `${match.advisory.id} ${match.advisory.severity}${match.advisory.malicious ? ' malicious' : ''} [${match.advisory.sources.join(',')}] ${match.fixedIn ?? '-'}`)]),
  );
}

const OSV_ONLY = {
  'lodash@4.17.11': ['GHSA-35jh-r3h4-6jhm high [osv] 4.17.21', 'GHSA-jf85-cpcp-j695 critical [osv] 4.17.12'],
  'ua-parser-js@0.7.29': ['GHSA-pjwm-rvh2-c87w critical malicious [osv] 0.7.30'],
  'pkgguard-fixture-malware@1.0.0': ['MAL-0000-pkgguard-fixture critical malicious [osv] -'],
};

describe('lookupAdvisories', () => {
  it('asks OSV by default; each name@version once, non-semver versions left out', async () => {
    const result = await lookup({ settings: { advisories: { osvUrl: osv.url } } });
    expect(table(result)).toEqual(OSV_ONLY);
    expect(result.sources).toEqual(['osv']);
    expect(result.notes).toEqual([]);
    expect(osv.batches.flatMap((batch) => batch.queries.map((query) => `${query.package.name}@${query.version}`))).toEqual([
      'lodash@4.17.11',
      'ua-parser-js@0.7.29',
      'ws@8.17.1',
      'pkgguard-fixture-malware@1.0.0',
    ]);
    expect(advisoryKey('lodash', '4.17.11')).toBe('lodash@4.17.11');
  });

  it('offline, answers from the database given with --advisory-db (advisories.db), and asks no one', async () => {
    const result = await lookup({ offline: true, settings: { advisories: { osvUrl: osv.url, db: FIXTURE_DB } } });
    expect(table(result)).toEqual({
      'lodash@4.17.11': ['GHSA-35jh-r3h4-6jhm high [db] 4.17.21', 'GHSA-jf85-cpcp-j695 critical [db] 4.17.12'],
      'ua-parser-js@0.7.29': ['GHSA-pjwm-rvh2-c87w critical malicious [db] 0.7.30'],
      'pkgguard-fixture-malware@1.0.0': ['MAL-0000-pkgguard-fixture critical malicious [db] -'],
    });
    expect([result.sources, osv.requests.length]).toEqual([['db'], 0]);
    expect(warnings).toEqual([`indexing the advisory database ${FIXTURE_DB} (once per version of it)`]);
  });

  it('offline without any database: NoAdvisorySourceError with the way out', async () => {
    const error = await lookup({ offline: true }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoAdvisorySourceError);
    expect([(error as NoAdvisorySourceError).message, (error as NoAdvisorySourceError).hints]).toEqual([
      'no offline advisory database, and pkgguard is offline',
      ['run `pkgguard db update` once while online, or pass --advisory-db <dir|all.zip>'],
    ]);
  });

  it('a database named in the configuration that does not exist is a ConfigError', async () => {
    await expect(lookup({ settings: { advisories: { db: 'missing.zip' } } })).rejects.toThrow(`advisory database ${path.join(work, 'missing.zip')} does not exist`);
  });

  it('uses the downloaded database offline, and says when it is older than maxDbAgeDays', async () => {
    await mkdir(path.dirname(downloadedDbPath(cacheDir)), { recursive: true });
    await writeZip(downloadedDbPath(cacheDir), Object.fromEntries(fixtureRecords().map((record) => [`${record.id}.json`, JSON.stringify(record)])));
    const result = await lookup({ offline: true, now: new Date('2025-03-01T12:00:00Z'), settings: { advisories: { maxDbAgeDays: 30 } } });
    expect(result.notes).toEqual([
      'offline advisory database is 58 days old (newest record 2025-01-02, limit advisories.maxDbAgeDays = 30): refresh it with `pkgguard db update`',
    ]);
    expect(Object.keys(table(result))).toEqual(Object.keys(OSV_ONLY));
  });

  it('merges OSV with a configured database: one advisory per id, both sources named', async () => {
    const result = await lookup({ settings: { advisories: { osvUrl: osv.url, db: FIXTURE_DB } } });
    expect(table(result)['lodash@4.17.11']).toEqual(['GHSA-35jh-r3h4-6jhm high [osv,db] 4.17.21', 'GHSA-jf85-cpcp-j695 critical [osv,db] 4.17.12']);
    expect(result.sources).toEqual(['osv', 'db']);
  });

  it('merges OSV with the registry\'s bulk endpoint by GHSA id', async () => {
    osv.handle((request, response) => {
      if (request.url === '/-/npm/v1/security/advisories/bulk') {
        return sendJson(response, 200, {
          lodash: [{ id: 1106913, url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm', title: 'Command Injection in lodash', severity: 'high', vulnerable_versions: '<4.17.21', cwe: ['CWE-77', 'CWE-94'], cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' } }],
        });
      }
      if (request.method === 'POST') return sendJson(response, 200, { results: (JSON.parse(request.body.toString()) as { queries: unknown[] }).queries.map(() => ({})) });
      sendJson(response, 404, { code: 5, message: 'Bug not found.' });
    });
    const result = await lookup({ settings: { advisories: { osvUrl: osv.url, sources: ['npm', 'osv'] } } });
    expect(table(result)).toEqual({ 'lodash@4.17.11': ['GHSA-35jh-r3h4-6jhm high [npm] -'] });
    expect(result.matches.get('lodash@4.17.11')?.[0]?.advisory.aliases).toEqual(['NPM-1106913']);
    expect(result.sources).toEqual(['npm', 'osv']);
  });

  it('when OSV fails, falls back to the offline database and says so', async () => {
    osv.handle((_request, response) => sendJson(response, 503, { code: 14, message: 'unavailable' }));
    await mkdir(path.dirname(downloadedDbPath(cacheDir)), { recursive: true });
    await writeZip(downloadedDbPath(cacheDir), Object.fromEntries(fixtureRecords().map((record) => [`${record.id}.json`, JSON.stringify(record)])));
    const result = await lookup({ settings: { advisories: { osvUrl: osv.url } } });
    expect(result.sources).toEqual(['db']);
    expect(result.notes).toEqual([
      `advisory source osv unavailable (${new URL(osv.url).host}: 503 Service Unavailable for POST /v1/querybatch (2 attempts)); answered from the offline database instead`,
    ]);
    expect(Object.keys(table(result))).toEqual(Object.keys(OSV_ONLY));
  });

  it('when OSV fails and there is no database, the lookup fails: never a silent clean result', async () => {
    osv.handle((_request, response) => sendJson(response, 503, { code: 14, message: 'unavailable' }));
    const error = await lookup({ settings: { advisories: { osvUrl: osv.url } } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect(error).not.toBeInstanceOf(NoAdvisorySourceError);
  });

  it('"db" listed as a source without a database is NoAdvisorySourceError', async () => {
    await expect(lookup({ settings: { advisories: { sources: ['db'] } } })).rejects.toThrow('no offline advisory database, and "db" is listed in advisories.sources');
  });
});
