/**
 * provenance through the built CLI: the `clean` project (debug@4.3.7 and ms@2.1.3, a lockfile
 * made by npm) audited against a fake registry on 127.0.0.1 that serves attestations signed by a
 * private Sigstore instance, whose trusted root the project's configuration names. The user's
 * configuration is sandboxed (throwaway HOME, no npmrc files, a fresh cache dir).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AttestationEntry, serveAttestingRegistry } from '../checks/provenance/attesting-registry.ts';
import { type MockSigstore, NPM_PUBLISH_V01, p256, startMockSigstore, statementFor } from '../checks/provenance/sigstore-fixture.ts';
import { type FakeRegistry, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import { assertBuilt, copyProject, makeTempDir, parseReport, removeTempDir, runCli } from './helpers.ts';

/** Integrity values of the `clean` fixture, as npm wrote them. */
const DEBUG_SHA512 = 'Er2nc/H7RrMXZBFCEim6TCmMk02Z8vLC2Rbi1KEBggpo0fS6l0S1nnapwmIi3yW/+GOJap1Krg4w0Hg80oCqgQ==';
const hex = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');
const REGISTRY_KEY = p256();
const KEYID = 'SHA256:pkgguard-e2e-key';

let sandbox: string;
let env: Record<string, string>;
let sigstore: MockSigstore;
let registry: FakeRegistry;
let projectDir: string;
let debugAttestations: AttestationEntry[];
let msAttestations: AttestationEntry[];

beforeAll(async () => {
  assertBuilt();
  sandbox = await makeTempDir('pkgguard-e2e-provenance-');
  sigstore = await startMockSigstore();
  debugAttestations = [
    { predicateType: NPM_PUBLISH_V01, bundle: await sigstore.attestWithKey(statementFor('pkg:npm/debug@4.3.7', hex(DEBUG_SHA512), NPM_PUBLISH_V01), REGISTRY_KEY, KEYID) },
    { predicateType: 'https://slsa.dev/provenance/v1', bundle: await sigstore.attest(statementFor('pkg:npm/debug@4.3.7', hex(DEBUG_SHA512))) },
  ];
  // ms@2.1.2 (not in the lockfile) had provenance; its digest is irrelevant: it is never verified.
  msAttestations = [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: await sigstore.attest(statementFor('pkg:npm/ms@2.1.2', hex('AA=='))) }];
});

afterAll(async () => {
  await sigstore.close();
  await removeTempDir(sandbox);
});

beforeEach(async () => {
  registry = await startFakeRegistry(
    serveAttestingRegistry({
      packages: {
        debug: [{ version: '4.3.7', publishedAt: '2024-09-06T00:00:00.000Z', attestations: debugAttestations }],
        ms: [
          { version: '2.1.2', publishedAt: '2019-06-06T17:31:55.859Z', attestations: msAttestations },
          { version: '2.1.3', publishedAt: '2020-12-08T13:54:35.223Z' },
        ],
      },
      keys: [{ keyid: KEYID, publicKey: REGISTRY_KEY.publicKey }],
    }),
  );
  const run = `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  projectDir = await copyProject('clean', sandbox, `${run}/project`);
  // Resolved from the registry pkgguard is pointed at, as after `npm install --registry <it>`.
  const lockfile = path.join(projectDir, 'package-lock.json');
  await writeFile(lockfile, (await readFile(lockfile, 'utf8')).replaceAll('https://registry.npm.example/', registry.url));
  await writeFile(path.join(projectDir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
  await writeFile(
    path.join(projectDir, 'pkgguard.config.json'),
    `${JSON.stringify({ checks: { provenance: ['moderate', { trustedRoot: 'trusted_root.json' }] } }, null, 2)}\n`,
  );
  env = {
    HOME: path.join(sandbox, run),
    USERPROFILE: path.join(sandbox, run),
    npm_config_userconfig: path.join(sandbox, 'no-user-npmrc'),
    npm_config_globalconfig: path.join(sandbox, 'no-global-npmrc'),
    PKGGUARD_CACHE_DIR: path.join(sandbox, run, 'cache'),
  };
});

afterEach(async () => {
  await registry.close();
});

describe('pkgguard audit --checks provenance', () => {
  it('verifies debug, reports the provenance ms dropped, and notes the verified count (exit 1)', async () => {
    const run = await runCli(['audit', projectDir, '--checks', 'provenance', '--registry', registry.url, '--format', 'json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map(({ ruleId, severity, package: pkg, location, message }) => ({ ruleId, severity, package: `${pkg.name}@${pkg.version}`, line: location.line, message }))).toEqual([
      {
        ruleId: 'provenance/dropped',
        severity: 'moderate',
        package: 'ms@2.1.3',
        line: 31,
        message:
          "ms@2.1.3 (published 2020-12-08T13:54:35.223Z) has no provenance, but the earlier 2.1.2 (published 2019-06-06T17:31:55.859Z) had: it may not come from the project's CI",
      },
    ]);
    expect(report.notes).toEqual([{ checkId: 'provenance', lockfile: 'package-lock.json', message: '1 package has verified provenance' }]);
    expect(report.incomplete).toEqual([]);
  });

  it('is incomplete (exit 4) when the attestation endpoint keeps failing', async () => {
    const attesting = serveAttestingRegistry({
      packages: { debug: [{ version: '4.3.7', publishedAt: '2024-09-06T00:00:00.000Z', attestations: debugAttestations }], ms: [{ version: '2.1.3', publishedAt: '2020-12-08T13:54:35.223Z' }] },
    });
    registry.handle((request, response) =>
      request.url.startsWith('/-/npm/v1/attestations/')
        ? sendJson(response, 503, { error: 'Service Unavailable' }, { 'retry-after': '0' })
        : attesting(request, response),
    );
    const run = await runCli(['audit', projectDir, '--checks', 'provenance', '--registry', registry.url, '--format', 'json'], { env });
    expect(run.code).toBe(4);
    const report = parseReport(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.incomplete.map((entry) => [entry.checkId, entry.kind, entry.message])).toEqual([
      ['provenance', 'source-unavailable', `${registry.url.replace(/^http:\/\/|\/$/g, '')}: 503 Service Unavailable for GET /-/npm/v1/attestations/debug@4.3.7 (4 attempts)`],
    ]);
  });

  it('is skipped under --offline', async () => {
    const run = await runCli(['audit', projectDir, '--checks', 'provenance', '--offline', '--format', 'json'], { env });
    expect(run.code).toBe(0);
    expect(parseReport(run.stdout).skipped.map((entry) => entry.checkId)).toEqual(['provenance']);
    expect(registry.requests).toEqual([]);
  });
});
