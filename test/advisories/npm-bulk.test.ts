import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryNpmBulk } from '../../src/advisories/npm-bulk.ts';
import { type FakeRegistry, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import { fastClient } from './helpers.ts';

let registry: FakeRegistry;
let cacheDir: string;

/** The bulk endpoint's documented response shape, for lodash and minimist (facts of GHSA-35jh-r3h4-6jhm and GHSA-xvch-5gv4-984h). */
const BULK_RESPONSE = {
  lodash: [
    {
      id: 1106913,
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      title: 'Command Injection in lodash',
      severity: 'high',
      vulnerable_versions: '<4.17.21',
      cwe: ['CWE-77', 'CWE-94'],
      cvss: { score: 7.2, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' },
    },
  ],
  minimist: [
    {
      id: 1097678,
      url: 'https://github.com/advisories/GHSA-xvch-5gv4-984h',
      title: 'Prototype Pollution in minimist',
      severity: 'critical',
      vulnerable_versions: '<0.2.4 || >=1.0.0 <1.2.6',
      cwe: ['CWE-1321'],
      cvss: { score: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    },
  ],
  'pre-pkg': [{ id: 7, url: 'https://advisories.example/7', title: 'prerelease range', severity: 'low', vulnerable_versions: '<2.0.0', cwe: [], cvss: { score: 0, vectorString: null } }],
};

beforeEach(async () => {
  registry = await startFakeRegistry((request, response) => {
    if (request.method === 'POST' && request.url === '/-/npm/v1/security/advisories/bulk') return sendJson(response, 200, BULK_RESPONSE);
    sendJson(response, 404, { error: 'Not found' });
  });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-bulk-'));
});

afterEach(async () => {
  await registry.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('queryNpmBulk', () => {
  it('posts a gzipped {name: [versions]} body and keeps advisories whose range holds the version', async () => {
    const matches = await queryNpmBulk(
      [
        { name: 'lodash', version: '4.17.20' },
        { name: 'lodash', version: '4.17.21' },
        { name: 'minimist', version: '1.2.5' },
        { name: 'pre-pkg', version: '2.0.0-rc.1' },
      ],
      fastClient(registry.url, cacheDir),
      new AbortController().signal,
    );
    const [request] = registry.requests;
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(request!.body).toString('utf8'))).toEqual({ lodash: ['4.17.20', '4.17.21'], minimist: ['1.2.5'], 'pre-pkg': ['2.0.0-rc.1'] });
    expect(matches.map((match) => `${match.query.name}@${match.query.version} ${match.advisory.id}`)).toEqual([
      'lodash@4.17.20 GHSA-35jh-r3h4-6jhm',
      'minimist@1.2.5 GHSA-xvch-5gv4-984h',
      // Prereleases count: 2.0.0-rc.1 is below 2.0.0.
      'pre-pkg@2.0.0-rc.1 NPM-7',
    ]);
    expect(matches[0]?.advisory).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['NPM-1106913'],
      summary: 'Command Injection in lodash',
      details: undefined,
      severity: 'high',
      cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 7.2 },
      malicious: false,
      published: undefined,
      modified: '',
      references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm'],
      cwes: ['CWE-77', 'CWE-94'],
      sources: ['npm'],
    });
    expect(matches[2]?.advisory).toMatchObject({ id: 'NPM-7', aliases: [], severity: 'low', cvss: undefined });
  });

  it('a registry without the endpoint (404) is a SourceUnavailableError that says so', async () => {
    registry.handle((_request, response) => sendJson(response, 404, { error: 'Not found' }));
    await expect(queryNpmBulk([{ name: 'lodash', version: '1.0.0' }], fastClient(registry.url, cacheDir), new AbortController().signal)).rejects.toThrow(
      `${new URL(registry.url).host}: the registry has no bulk advisory endpoint (404 for POST /-/npm/v1/security/advisories/bulk)`,
    );
  });

  it('an answer that is not an object is refused', async () => {
    registry.handle((_request, response) => sendJson(response, 200, ['nope']));
    await expect(queryNpmBulk([{ name: 'lodash', version: '1.0.0' }], fastClient(registry.url, cacheDir), new AbortController().signal)).rejects.toThrow(
      'the bulk advisory endpoint answered something other than an object',
    );
  });
});
