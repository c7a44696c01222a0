/**
 * The shared corpus's real OSV records (../shared/corpus/advisories: GitHub advisories and
 * OpenSSF malicious-package records) read as an offline database directory. Skipped, visibly,
 * when the corpus is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDbIndex } from '../../src/advisories/db/db-index.ts';
import { type AdvisoryLookupResult, lookupAdvisories } from '../../src/advisories/index.ts';
import { servicesFor } from './helpers.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/advisories/', import.meta.url));

if (!existsSync(CORPUS)) {
  describe.skip('advisory corpus: ../shared/corpus/advisories is absent, so these cases were not run', () => {
    it('needs the corpus checkout beside the repository', () => {});
  });
} else {
  describe('advisory corpus as an offline database', () => {
    let cacheDir: string;
    let result: AdvisoryLookupResult;
    const packages = [
      ['lodash', '4.17.15'],
      ['lodash', '4.17.21'],
      ['ws', '8.17.0'],
      ['vm2', '3.9.19'],
      ['event-stream', '3.3.6'],
      ['flatmap-stream', '0.1.1'],
      ['flatmap-stream', '11.1.1'],
      ['noblox.js-proxy', '0.0.1'],
      ['@babel/traverse', '8.0.0-alpha.3'],
      ['@babel/traverse', '7.23.2'],
      ['protobufjs', '6.11.3'],
      ['minimist', '1.2.5'],
      ['express', '5.0.0-beta.1'],
    ].map(([name, version]) => ({ name: name!, version: version! }));

    beforeAll(async () => {
      cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-advisory-corpus-'));
      const services = servicesFor({ cacheDir, settings: { advisories: { db: CORPUS } }, now: new Date('2025-09-01T00:00:00Z') });
      result = await lookupAdvisories({ packages, services, offline: true, signal: new AbortController().signal, log: { debug() {}, warn() {} } });
    });

    afterAll(async () => {
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('indexes every record, ids from file names where the record has none', async () => {
      const index = await openDbIndex(CORPUS, { cacheDir, now: new Date() });
      expect(index.info).toMatchObject({ files: 31, npmRecords: 31, invalid: 0 });
      const [flatmap] = (await index.recordsFor(['axioss'])).get('axioss') ?? [];
      expect(flatmap?.id).toBe('MAL-2025-15242');
      expect((await index.recordsFor(['flatmap-stream'])).get('flatmap-stream')?.map((record) => record.id).sort()).toEqual(['GHSA-mh6f-8j2x-4483', 'MAL-0000-flatmap-stream']);
    });

    it('matches real ranges: several ranges, last_affected, prereleases, scoped names, versions lists', () => {
      const table = Object.fromEntries(
        [...result.matches].map(([key, matches]) => [key, matches.map((match) => `${match.advisory.id} ${match.advisory.severity}${match.advisory.malicious ? ' malicious' : ''} ${match.fixedIn ?? '-'}`)]),
      );
      expect(table).toEqual({
        'lodash@4.17.15': ['GHSA-35jh-r3h4-6jhm high 4.17.21', 'GHSA-p6mc-m468-83gw high 4.17.20'],
        'ws@8.17.0': ['GHSA-3h5v-q93c-6h6q high 8.17.1'],
        'vm2@3.9.19': ['GHSA-cchq-frgv-rjh5 critical -'],
        'event-stream@3.3.6': ['GHSA-mh6f-8j2x-4483 critical malicious 4.0.0'],
        'flatmap-stream@0.1.1': ['GHSA-mh6f-8j2x-4483 critical malicious -'],
        'flatmap-stream@11.1.1': ['GHSA-mh6f-8j2x-4483 critical malicious -', 'MAL-0000-flatmap-stream critical malicious -'],
        'noblox.js-proxy@0.0.1': ['MAL-2022-4874 critical malicious -'],
        '@babel/traverse@8.0.0-alpha.3': ['GHSA-67hx-6x53-jw92 critical 8.0.0-alpha.4'],
        'protobufjs@6.11.3': ['GHSA-h755-8qp9-cq85 high 6.11.4'],
        'minimist@1.2.5': ['GHSA-xvch-5gv4-984h critical 1.2.6'],
        'express@5.0.0-beta.1': ['GHSA-rv95-896h-c2vc moderate 5.0.0-beta.3'],
      });
    });
  });
}
