/**
 * registry-integrity against a real HTTP registry on 127.0.0.1: real packument documents
 * (fixtures/registry) or documents in the same shape built from the published integrity values of
 * real lockfiles, scripted failures, and the facts cache across runs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import registryIntegrity from '../../src/checks/registry-integrity.ts';
import { runChecks } from '../../src/core/engine.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { withoutServices } from '../../src/core/services.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import { createRegistryFacts } from '../../src/registry/facts.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import type { RegistryFacts } from '../../src/registry/facts-types.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';
import { type FakeRegistry, readPackumentFixture, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import { buildPackument, editPackument, serveSigningRegistry, type SigningRegistryModel } from '../registry/signing-registry.ts';
import { findingLines, type RegistryAuditSandbox, registryAuditSandbox } from '../helpers/registry-audit.ts';

const CHECKS = ['registry-integrity'];
const IS_NUMBER_6 = 'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==';
const IS_NUMBER_7 = 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==';
/** Lines of the two entries in fixtures/projects/registry-demo/package-lock.json. */
const LINE_ISAACS = 15;
const LINE_IS_NUMBER = 21;

function demoModel(): SigningRegistryModel {
  return {
    packuments: {
      'is-number': readPackumentFixture('is-number'),
      '@isaacs/string-locale-compare': readPackumentFixture('@isaacs/string-locale-compare'),
    },
  };
}

let registry: FakeRegistry;
let sandbox: RegistryAuditSandbox;

beforeEach(async () => {
  registry = await startFakeRegistry();
  sandbox = await registryAuditSandbox('projects/registry-demo');
});

afterEach(async () => {
  await registry.close();
  await sandbox.remove();
});

const packumentRequests = (): string[] => registry.requests.map((request) => request.url);

describe('registry-integrity: findings', () => {
  it('reports nothing when the registry serves the locked integrity, with one request per package', async () => {
    registry.handle(serveSigningRegistry(demoModel()));
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(result.incomplete).toEqual([]);
    expect(findingLines(result)).toEqual([]);
    expect(packumentRequests().sort()).toEqual(['/@isaacs%2fstring-locale-compare', '/is-number']);
    // Abbreviated metadata is enough for dist.integrity.
    expect(registry.requests.every((request) => request.headers.accept?.startsWith('application/vnd.npm.install-v1+json'))).toBe(true);
  });

  it('reports a tampered integrity as critical, with both values', async () => {
    const model = demoModel();
    model.packuments['is-number'] = editPackument(readPackumentFixture('is-number'), { '7.0.0': { integrity: IS_NUMBER_6 } });
    registry.handle(serveSigningRegistry(model));
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(findingLines(result)).toEqual([`critical registry-integrity/mismatch is-number@7.0.0 line ${LINE_IS_NUMBER}`]);
    const [finding] = result.findings;
    const host = registry.url.replace(/^http:\/\//, '').replace(/\/$/, '');
    expect(finding?.data).toEqual({ name: 'is-number', version: '7.0.0', algorithm: 'sha512', actual: IS_NUMBER_7, expected: IS_NUMBER_6, registry: host });
    expect(finding?.message).toBe(
      `is-number@7.0.0 is locked with ${IS_NUMBER_7} but ${host} serves ${IS_NUMBER_6} for this version: the lockfile entry was changed or the registry serves another tarball`,
    );
  });

  it('reports an unpublished version and an unknown package as high', async () => {
    const model = demoModel();
    model.packuments['is-number'] = editPackument(readPackumentFixture('is-number'), { '7.0.0': { remove: true } });
    delete model.packuments['@isaacs/string-locale-compare'];
    registry.handle(serveSigningRegistry(model));
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(findingLines(result)).toEqual([
      `high registry-integrity/package-not-found @isaacs/string-locale-compare@1.1.0 line ${LINE_ISAACS}`,
      `high registry-integrity/version-not-found is-number@7.0.0 line ${LINE_IS_NUMBER}`,
    ]);
    expect(result.findings[1]?.data).toMatchObject({ latest: '6.0.0', versionCount: 1 });
  });

  it('compares a sha1-only lockfile through dist.shasum', async () => {
    const own = await registryAuditSandbox('projects/weak-integrity');
    try {
      // The lockfile's sha1 values are the registry's shasums (fixtures/projects/README.md); inherits is served isarray's.
      const isarrayShasum = Buffer.from('u5NdSFgsuhaMBoNJV6VKPgcSTxE=', 'base64').toString('hex');
      registry.handle(
        serveSigningRegistry({
          packuments: {
            isarray: buildPackument('isarray', [{ version: '1.0.0', shasum: isarrayShasum }]),
            inherits: buildPackument('inherits', [{ version: '2.0.1', shasum: isarrayShasum }]),
          },
        }),
      );
      const result = await own.run({ registry: registry.url, checks: CHECKS });
      expect(findingLines(result)).toEqual(['critical registry-integrity/mismatch inherits@2.0.1 line 17']);
      expect(result.findings[0]?.data).toMatchObject({ algorithm: 'sha1', actual: 'sha1-sX0I0ya0Qj5Wjv9xn5GwscvfafE=', expected: 'sha1-u5NdSFgsuhaMBoNJV6VKPgcSTxE=' });
    } finally {
      await own.remove();
    }
  });

  it('checks only existence for yarn Berry entries, whose checksum is not the tarball SRI', async () => {
    const own = await registryAuditSandbox('lockfiles/yarn-berry/basic');
    try {
      // Integrity values from fixtures/lockfiles/npm/v3 (the published ones); debug's is deliberately wrong and must not matter.
      registry.handle(
        serveSigningRegistry({
          packuments: {
            debug: buildPackument('debug', [{ version: '2.6.9', integrity: IS_NUMBER_6 }]),
            ms: buildPackument('ms', [{ version: '2.1.3', integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==' }]),
            once: buildPackument('once', [{ version: '1.4.0', integrity: 'sha512-lNaJgI+2Q5URQBkccEKHTQOPaXdUxnZZElQTZY0MFUAuaEqe1E+Nyvgdz/aIyNi6Z9MzO5dv1H8n58/GELp3+w==' }]),
            wrappy: buildPackument('wrappy', [{ version: '1.0.2' }]),
          },
        }),
      );
      const result = await own.run({ registry: registry.url, checks: CHECKS });
      expect(findingLines(result)).toEqual(['high registry-integrity/version-not-found ms@2.0.0 line 27']);
    } finally {
      await own.remove();
    }
  });

  it('asks a scope mapped in the user .npmrc at its own registry', async () => {
    const scoped = await startFakeRegistry(serveSigningRegistry({ packuments: { '@isaacs/string-locale-compare': readPackumentFixture('@isaacs/string-locale-compare') } }));
    try {
      await sandbox.sandbox.write('home/.npmrc', `@isaacs:registry=${scoped.url}\n`);
      registry.handle(serveSigningRegistry({ packuments: { 'is-number': readPackumentFixture('is-number') } }));
      const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
      expect(result.incomplete).toEqual([]);
      expect(findingLines(result)).toEqual([]);
      expect(packumentRequests()).toEqual(['/is-number']);
      expect(scoped.requests.map((request) => request.url)).toEqual(['/@isaacs%2fstring-locale-compare']);
    } finally {
      await scoped.close();
    }
  });
});

/** The five packages of the `basic` fixtures, with their published integrity values (from the real lockfiles). */
function basicModel(tamperMs213 = false): SigningRegistryModel {
  return {
    packuments: {
      debug: buildPackument('debug', [{ version: '2.6.9', integrity: 'sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==' }]),
      ms: buildPackument('ms', [
        { version: '2.0.0', integrity: 'sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==' },
        { version: '2.1.3', integrity: tamperMs213 ? IS_NUMBER_6 : 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==' },
      ]),
      once: buildPackument('once', [{ version: '1.4.0', integrity: 'sha512-lNaJgI+2Q5URQBkccEKHTQOPaXdUxnZZElQTZY0MFUAuaEqe1E+Nyvgdz/aIyNi6Z9MzO5dv1H8n58/GELp3+w==' }]),
      wrappy: buildPackument('wrappy', [{ version: '1.0.2', integrity: 'sha512-l4Sp/DRseor9wL6EvV2+TuQn63dMkPjZ/sp9XkghTEbV9KlPS1xUsZ3u7/IQO4wxtcFB4bgpQPRcR3QCvezPcQ==' }]),
    },
  };
}

describe.each([
  ['npm', 'lockfiles/npm/v3'],
  ['yarn classic', 'lockfiles/yarn-classic/basic'],
  ['pnpm 9', 'lockfiles/pnpm/basic/pnpm9'],
  ['bun', 'lockfiles/bun/basic'],
])('registry-integrity on a %s lockfile', (_format, fixture) => {
  it('is clean against the published values, and flags the one the registry contradicts', async () => {
    const own = await registryAuditSandbox(fixture);
    try {
      registry.handle(serveSigningRegistry(basicModel()));
      const clean = await own.run({ registry: registry.url, checks: CHECKS });
      expect(clean.incomplete).toEqual([]);
      expect(findingLines(clean)).toEqual([]);
      expect(packumentRequests().sort()).toEqual(['/debug', '/ms', '/once', '/wrappy']);
      const tampered = await registryAuditSandbox(fixture);
      try {
        registry.handle(serveSigningRegistry(basicModel(true)));
        const result = await tampered.run({ registry: registry.url, checks: CHECKS });
        expect(result.findings.map((finding) => `${finding.ruleId} ${finding.package.name}@${finding.package.version}`)).toEqual(['registry-integrity/mismatch ms@2.1.3']);
      } finally {
        await tampered.remove();
      }
    } finally {
      await own.remove();
    }
  });
});

describe('registry-integrity: registry failures', () => {
  it('retries a 500 and a 429 with Retry-After, then succeeds', async () => {
    const serve = serveSigningRegistry(demoModel());
    let calls = 0;
    registry.handle((request, response) => {
      calls += 1;
      if (calls === 1) return sendJson(response, 500, { error: 'Internal Server Error' }, { 'retry-after': '0' });
      if (calls === 2) return sendJson(response, 429, { error: 'Too Many Requests' }, { 'retry-after': '0' });
      return serve(request, response);
    });
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(result.incomplete).toEqual([]);
    expect(findingLines(result)).toEqual([]);
    expect(registry.requests).toHaveLength(4);
  });

  it('marks the audit incomplete when the registry keeps failing', async () => {
    registry.handle((_request, response) => sendJson(response, 503, { error: 'Service Unavailable' }, { 'retry-after': '0' }));
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(result.findings).toEqual([]);
    expect(result.incomplete).toHaveLength(1);
    expect(result.incomplete[0]).toMatchObject({ checkId: 'registry-integrity', kind: 'source-unavailable', code: 'ESOURCE' });
    expect(result.incomplete[0]?.message).toMatch(/^127\.0\.0\.1:\d+: 503 Service Unavailable for GET (is-number|@isaacs\/string-locale-compare) \(3 attempts\)$/);
    expect(result.summary.incomplete).toBe(true);
  });

  it('marks the audit incomplete when the registry does not answer in time', async () => {
    registry.handle(() => undefined);
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS, timeoutMs: 100 });
    expect(result.incomplete[0]?.message).toMatch(/: no complete response within 0\.1 s for GET .* \(3 attempts\)$/);
  });

  it('marks the audit incomplete on malformed JSON', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"name": "is-number", "versions": {');
    });
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(result.incomplete[0]?.message).toMatch(/^127\.0\.0\.1:\d+: invalid JSON in the response for (is-number|@isaacs\/string-locale-compare)$/);
  });
});

describe('registry-integrity: facts cache', () => {
  it('answers a warm run without a single request, and an offline run from the cache', async () => {
    registry.handle(serveSigningRegistry(demoModel()));
    await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(registry.requests).toHaveLength(2);
    registry.requests.length = 0;
    const warm = await sandbox.run({ registry: registry.url, checks: CHECKS });
    expect(warm.incomplete).toEqual([]);
    expect(findingLines(warm)).toEqual([]);
    const offline = await sandbox.run({ registry: registry.url, checks: CHECKS, offline: true });
    expect(offline.incomplete).toEqual([]);
    expect(offline.skipped).toEqual([]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with nothing cached: skipped, without a request', async () => {
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS, offline: true });
    expect(result.incomplete).toEqual([]);
    expect(result.skipped).toEqual([
      {
        checkId: 'registry-integrity',
        lockfile: 'package-lock.json',
        reason: "offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)",
      },
    ]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with part of the lockfile cached: checks the cached part and says how many it left out', async () => {
    // A package the registry does not know is never cached.
    registry.handle(serveSigningRegistry({ packuments: { 'is-number': readPackumentFixture('is-number') } }));
    await sandbox.run({ registry: registry.url, checks: CHECKS });
    registry.requests.length = 0;
    const result = await sandbox.run({ registry: registry.url, checks: CHECKS, offline: true });
    expect(result.incomplete).toEqual([]);
    expect(result.notes.map((note) => note.message)).toContain(
      "1 of 2 registry packages are not in pkgguard's registry cache and were not checked (offline); run once without --offline to check them",
    );
    expect(registry.requests).toEqual([]);
  });

  it('asks again once a cached version is older than recheckAfterHours, and sees the unpublish', async () => {
    const own = await registryAuditSandbox('projects/registry-demo', { checks: { 'registry-integrity': ['high', { recheckAfterHours: 0 }] } });
    try {
      const model = { ...demoModel(), cacheControl: 'no-cache' };
      registry.handle(serveSigningRegistry(model));
      await own.run({ registry: registry.url, checks: CHECKS });
      model.packuments['is-number'] = editPackument(readPackumentFixture('is-number'), { '7.0.0': { remove: true } });
      // Entries are at least 1 ms old on the second run.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const result = await own.run({ registry: registry.url, checks: CHECKS });
      expect(findingLines(result)).toEqual([`high registry-integrity/version-not-found is-number@7.0.0 line ${LINE_IS_NUMBER}`]);
    } finally {
      await own.remove();
    }
  });
});

/** Facts whose per-registry and per-package questions are written down, in order. */
function countedFacts(facts: RegistryFacts, calls: string[]): RegistryFacts {
  const asked = new Set(['versions', 'knownVersions', 'knowsNothingOf', 'knowsNothingOn', 'keys']);
  return new Proxy(facts, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]): unknown => {
        if (asked.has(key)) calls.push(`${key} ${String(args[0])}`);
        return (value as (...parameters: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function demoGraph(): Promise<DependencyGraph> {
  const lockfile = path.join(REPO_ROOT, 'fixtures/projects/registry-demo/package-lock.json');
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === 'npm');
  if (!parser) throw new Error('no npm parser');
  return parser.parse({ path: 'package-lock.json', absolutePath: lockfile, text: await readFile(lockfile, 'utf8') });
}

/** registry-integrity alone on the registry-demo lockfile, with these facts and privacy answers. */
async function runWithFacts(facts: RegistryFacts, offline: boolean, privateScope?: string) {
  const reason = (name: string) => (privateScope !== undefined && name.startsWith(`${privateScope}/`) ? ('private-scope' as const) : undefined);
  return runChecks([await demoGraph()], [{ check: registryIntegrity, options: registryIntegrity.meta.options?.defaults }], {
    offline,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
    servicesFor: () => ({
      ...withoutServices(),
      registryFacts: () => Promise.resolve(facts),
      privateNameReason: (name) => Promise.resolve(reason(name)),
      privateNames: () => Promise.resolve(reason),
    }),
  });
}

describe('registry-integrity: offline with registries whose cache is empty', () => {
  const NOT_IN_CACHE = "offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)";
  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-uncached-'));
  });
  afterEach(() => rm(cacheDir, { recursive: true, force: true }));

  const factsFor = (config: RegistryConfig, offline: boolean, publicRegistry = 'https://registry.npm.example/') =>
    createRegistryFacts({ client: createRegistryClient({ config, offline, retries: 0 }), cacheDir, publicRegistry });

  it('skips with the notes it gave before, asking once per registry and never per package', async () => {
    const config: RegistryConfig = { source: 'npm', defaultRegistry: registry.url, scopes: {}, fetchOptions: {}, files: [], warnings: [] };
    const calls: string[] = [];
    // The local registry plays the public one: the private scope's entry is withheld, and said so first.
    const result = await runWithFacts(countedFacts(factsFor(config, true, registry.url), calls), true, '@isaacs');
    expect(result.incomplete).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      '1 package was not looked up: private names are never sent to the public registry (1 in privateScopes); map their scope to the registry that serves them in .npmrc to check them',
    ]);
    expect(result.skipped).toEqual([{ checkId: 'registry-integrity', lockfile: 'package-lock.json', reason: NOT_IN_CACHE }]);
    expect(calls).toEqual([`knowsNothingOn ${registry.url}`]);
    expect(registry.requests).toEqual([]);
  });

  it('checks the cached registry and counts the other when only one of two has a cache file', async () => {
    const scoped = 'http://127.0.0.1:9/scoped/';
    registry.handle(serveSigningRegistry(demoModel()));
    // Both names cached under the default registry; then the scope moves to a registry never asked.
    const unscoped: RegistryConfig = { source: 'npm', defaultRegistry: registry.url, scopes: {}, fetchOptions: {}, files: [], warnings: [] };
    expect((await runWithFacts(factsFor(unscoped, false), false)).incomplete).toEqual([]);
    registry.requests.length = 0;
    const config: RegistryConfig = { ...unscoped, scopes: { '@isaacs': scoped }, fetchOptions: { '@isaacs:registry': scoped } };
    const calls: string[] = [];
    const result = await runWithFacts(countedFacts(factsFor(config, true), calls), true);
    expect(result.incomplete).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([
      "1 of 2 registry packages are not in pkgguard's registry cache and were not checked (offline); run once without --offline to check them",
    ]);
    expect(calls).toEqual([`knowsNothingOn ${scoped}`, `knowsNothingOn ${registry.url}`, 'knowsNothingOf is-number', 'knownVersions is-number']);
    expect(registry.requests).toEqual([]);
  });

  it('looks every package up as before when the one cache file holds other names', async () => {
    registry.handle(serveSigningRegistry({ packuments: { 'is-number': readPackumentFixture('is-number') } }));
    const config: RegistryConfig = { source: 'npm', defaultRegistry: registry.url, scopes: {}, fetchOptions: {}, files: [], warnings: [] };
    const writer = factsFor(config, false);
    await writer.versions('is-number', ['6.0.0']);
    await writer.flush();
    const calls: string[] = [];
    const result = await runWithFacts(countedFacts(factsFor(config, true), calls), true);
    expect(result.skipped).toEqual([{ checkId: 'registry-integrity', lockfile: 'package-lock.json', reason: NOT_IN_CACHE }]);
    expect(calls.slice(0, 1)).toEqual([`knowsNothingOn ${registry.url}`]);
    expect(calls.filter((call) => call.startsWith('knowsNothingOf')).sort()).toEqual(['knowsNothingOf @isaacs/string-locale-compare', 'knowsNothingOf is-number']);
  });
});

describe('registry-integrity: privacy', () => {
  it('never asks the public registry about a private name, and says how many were left out', async () => {
    registry.handle(serveSigningRegistry(demoModel()));
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-privacy-'));
    try {
      const lockfile = path.join(REPO_ROOT, 'fixtures/projects/registry-demo/package-lock.json');
      const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === 'npm');
      if (!parser) throw new Error('no npm parser');
      const graph = await parser.parse({ path: 'package-lock.json', absolutePath: lockfile, text: await readFile(lockfile, 'utf8') });
      const config = { source: 'npm' as const, defaultRegistry: registry.url, scopes: {}, fetchOptions: {}, files: [], warnings: [] };
      // The local registry plays the public one here.
      const facts = createRegistryFacts({ client: createRegistryClient({ config, retries: 0 }), cacheDir, publicRegistry: registry.url });
      const result = await runChecks([graph], [{ check: registryIntegrity, options: registryIntegrity.meta.options?.defaults }], {
        offline: false,
        signal: new AbortController().signal,
        log: { debug() {}, warn() {} },
        servicesFor: () => ({
          ...withoutServices(),
          registryFacts: () => Promise.resolve(facts),
          privateNameReason: (name) => Promise.resolve(name.startsWith('@isaacs/') ? 'private-scope' : undefined),
          privateNames: () => Promise.resolve((name) => (name.startsWith('@isaacs/') ? 'private-scope' : undefined)),
        }),
      });
      expect(result.incomplete).toEqual([]);
      expect(registry.requests.map((request) => request.url)).toEqual(['/is-number']);
      expect(result.notes.map((note) => note.message)).toEqual([
        '1 package was not looked up: private names are never sent to the public registry (1 in privateScopes); map their scope to the registry that serves them in .npmrc to check them',
      ]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
