/**
 * The provenance check against a fake registry on 127.0.0.1 that serves packuments with
 * `dist.attestations`, the attestation endpoint and the keys endpoint, with bundles signed by a
 * private Sigstore instance (test/checks/provenance/sigstore-fixture.ts) whose trusted root the
 * check is configured with: nothing reaches the public Sigstore or npm services.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import provenance from '../../src/checks/provenance.ts';
import type { Logger } from '../../src/core/check.ts';
import { ConfigError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { runChecks, type RunChecksResult } from '../../src/core/engine.ts';
import { selectChecks } from '../../src/core/select.ts';
import { createAuditServices } from '../../src/services.ts';
import { expectFindings } from '../helpers/check-tester.ts';
import { graphOf, sha1Of } from '../helpers/graph.ts';
import { type FakeRegistry, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import {
  type AttestationEntry,
  type AttestingRegistry,
  integrityOf,
  serveAttestingRegistry,
  sha512HexOf,
  type VersionSpec,
} from './provenance/attesting-registry.ts';
import { type MockSigstore, NPM_PUBLISH_V01, p256, startMockSigstore, statementFor } from './provenance/sigstore-fixture.ts';

const SILENT: Logger = { debug() {}, warn() {} };
const REGISTRY_KEY = p256();
const REGISTRY_KEYID = 'SHA256:pkgguard-test-registry-key';
const DAY = (day: number): string => `2024-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;

let sigstore: MockSigstore;
let untrusted: MockSigstore;
let registry: FakeRegistry;
let dir: string;
let trustedRootFile: string;

beforeAll(async () => {
  [sigstore, untrusted] = await Promise.all([startMockSigstore(), startMockSigstore()]);
  // Signing goes through the mock Fulcio and Rekor over HTTP: done once, here, under the hook's
  // longer timeout, so a loaded machine cannot push a test past its own.
  for (const [name, version] of [['widget', '2.0.0'], ['widget', '1.1.0'], ['widget', '1.2.0'], ['widget', '1.5.0'], ['@acme/gadget', '1.0.0']] as const) {
    await publishedWithProvenance(name, version);
  }
  await publishedWithProvenance('widget', '2.0.0', untrusted);
});

afterAll(async () => {
  await Promise.all([sigstore.close(), untrusted.close()]);
});

beforeEach(async () => {
  registry = await startFakeRegistry();
  dir = await mkdtemp(path.join(tmpdir(), 'pkgguard-provenance-'));
  await mkdir(path.join(dir, 'home'));
  trustedRootFile = path.join(dir, 'trusted_root.json');
  await writeFile(trustedRootFile, JSON.stringify(sigstore.trustedRoot));
});

afterEach(async () => {
  await registry.close();
  await rm(dir, { recursive: true, force: true });
});

const published = new Map<string, Promise<AttestationEntry[]>>();

/** What `npm publish --provenance` attaches: SLSA provenance plus npm's publish attestation, both for this tarball (memoized). */
function publishedWithProvenance(name: string, version: string, signWith: MockSigstore = sigstore): Promise<AttestationEntry[]> {
  const key = `${name}@${version}${signWith === sigstore ? '' : ' untrusted'}`;
  let entries = published.get(key);
  if (!entries) published.set(key, (entries = sign(name, version, signWith)));
  return entries;
}

async function sign(name: string, version: string, signWith: MockSigstore): Promise<AttestationEntry[]> {
  const purl = `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
  const digest = sha512HexOf(name, version);
  return [
    { predicateType: NPM_PUBLISH_V01, bundle: await signWith.attestWithKey(statementFor(purl, digest, NPM_PUBLISH_V01), REGISTRY_KEY, REGISTRY_KEYID) },
    { predicateType: 'https://slsa.dev/provenance/v1', bundle: await signWith.attest(statementFor(purl, digest)) },
  ];
}

function serve(packages: AttestingRegistry['packages']): void {
  registry.handle(serveAttestingRegistry({ packages, keys: [{ keyid: REGISTRY_KEYID, publicKey: REGISTRY_KEY.publicKey }] }));
}

/** A lockfile graph of `name@version` entries whose integrity is what the fake registry publishes. */
function lockfileOf(...specs: readonly string[]): DependencyGraph {
  return graphOf(
    specs.map((spec) => {
      const at = spec.lastIndexOf('@');
      const name = spec.slice(0, at);
      const version = spec.slice(at + 1);
      // Resolved from the configured registry: anything else would make the name private.
      const resolved = `${registry.url}${name}/-/${name.split('/').pop() ?? name}-${version}.tgz`;
      return { name, version, resolved, integrity: integrityOf(name, version) };
    }),
  );
}

async function runProvenance(
  graph: DependencyGraph,
  options: Record<string, unknown> = { trustedRoot: trustedRootFile },
  log: Logger = SILENT,
  timeoutMs = 5000,
): Promise<RunChecksResult> {
  const signal = new AbortController().signal;
  const { selected } = await selectChecks([provenance], { offline: false, settings: { provenance: { options } } });
  const services = await createAuditServices({
    projectDir: dir,
    environment: { env: {}, homedir: path.join(dir, 'home'), platform: 'linux', execPath: path.join(dir, 'bin', 'node') },
    registry: registry.url,
    cacheDir: path.join(dir, 'cache'),
    offline: false,
    privacy: { privateScopes: ['@corp'], internalPackages: [] },
    settings: {},
    now: new Date(DAY(30)),
    signal,
    log,
    client: { retries: 1, retryDelayMs: 1, timeoutMs },
  });
  return runChecks([graph], selected, { offline: false, signal, log, servicesFor: (g) => services.servicesFor(g) });
}

/** Requests the fake registry received; packuments asked for in full are marked. */
function paths(): string[] {
  return registry.requests.map((request) => {
    const full = !request.url.startsWith('/-/') && request.headers.accept === 'application/json';
    return `${request.url}${full ? ' (full)' : ''}`;
  });
}

describe('verified provenance', () => {
  it('verifies SLSA provenance and the publish attestation: no finding, a note, no full packument', async () => {
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: await publishedWithProvenance('widget', '2.0.0') }] });
    const debug: string[] = [];
    const result = await runProvenance(lockfileOf('widget@2.0.0'), { trustedRoot: trustedRootFile }, { debug: (line) => debug.push(line), warn() {} });
    expect(result.incomplete).toEqual([]);
    expectFindings(result.findings, []);
    expect(result.notes.map((note) => note.message)).toEqual(['1 package has verified provenance']);
    expect(paths()).toEqual(['/widget', '/-/npm/v1/attestations/widget@2.0.0', '/-/npm/v1/keys']);
    // Who built it: the identity in the Fulcio certificate (here the mock's OIDC subject).
    expect(debug.filter((line) => line.startsWith('provenance:'))).toEqual([
      `provenance: widget@2.0.0 verified: ${NPM_PUBLISH_V01} signed by registry key; https://slsa.dev/provenance/v1 signed by repo:acme/widgets:ref:refs/heads/main`,
    ]);
  });

  it('addresses scoped packages as npm does: %2f in the endpoint, %40 in the package URL', async () => {
    serve({ '@acme/gadget': [{ version: '1.0.0', publishedAt: DAY(1), attestations: await publishedWithProvenance('@acme/gadget', '1.0.0') }] });
    const result = await runProvenance(lockfileOf('@acme/gadget@1.0.0'));
    expectFindings(result.findings, []);
    expect(result.notes.map((note) => note.message)).toEqual(['1 package has verified provenance']);
    expect(paths()).toContain('/-/npm/v1/attestations/@acme%2fgadget@1.0.0');
  });

  it('needs no trust root, and loads none, when no package has attestations', async () => {
    serve({
      plain: [
        { version: '1.0.0', publishedAt: DAY(1) },
        { version: '1.1.0', publishedAt: DAY(2) },
      ],
    });
    // A trustedRoot that does not exist would be a ConfigError if it were read.
    const result = await runProvenance(lockfileOf('plain@1.1.0'), { trustedRoot: 'missing.json' });
    expect(result.incomplete).toEqual([]);
    expectFindings(result.findings, []);
    expect(result.notes).toEqual([]);
    expect(paths()).toEqual(['/plain']);
  });
});

describe('invalid attestations', () => {
  it('reports an attestation whose subject digest is not the lockfile tarball', async () => {
    const purl = 'pkg:npm/widget@2.0.0';
    const otherDigest = sha512HexOf('widget', 'evil');
    serve({
      widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: await sigstore.attest(statementFor(purl, otherDigest)) }] }],
    });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expectFindings(result.findings, [
      {
        ruleId: 'provenance/invalid',
        package: 'widget@2.0.0',
        line: 2,
        column: 5,
        severity: 'critical',
        message: `widget@2.0.0 has an attestation (https://slsa.dev/provenance/v1) that fails verification: it attests a tarball with sha512 ${otherDigest}, but the lockfile's tarball has ${sha512HexOf('widget', '2.0.0')}`,
        data: {
          predicateType: 'https://slsa.dev/provenance/v1',
          problem: 'subject-digest',
          detail: `it attests a tarball with sha512 ${otherDigest}, but the lockfile's tarball has ${sha512HexOf('widget', '2.0.0')}`,
          expected: sha512HexOf('widget', '2.0.0'),
          actual: otherDigest,
          digestSource: 'lockfile',
        },
      },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('reports a genuine attestation of another version replayed for this one', async () => {
    const replayed = await sigstore.attest(statementFor('pkg:npm/widget@1.0.0', sha512HexOf('widget', '2.0.0')));
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: replayed }] }] });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expectFindings(result.findings, [
      {
        ruleId: 'provenance/invalid',
        package: 'widget@2.0.0',
        line: 2,
        column: 5,
        data: {
          predicateType: 'https://slsa.dev/provenance/v1',
          problem: 'subject-name',
          detail: 'it is about pkg:npm/widget@1.0.0, expected pkg:npm/widget@2.0.0',
          expected: 'pkg:npm/widget@2.0.0',
          actual: 'pkg:npm/widget@1.0.0',
          digestSource: 'lockfile',
        },
      },
    ]);
  });

  it('compares with the registry sha512 when the lockfile only has sha1', async () => {
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: await publishedWithProvenance('widget', '2.0.0') }] });
    const resolved = `${registry.url}widget/-/widget-2.0.0.tgz`;
    const result = await runProvenance(graphOf([{ name: 'widget', version: '2.0.0', resolved, integrity: sha1Of('widget') }]));
    expectFindings(result.findings, []);
    expect(result.notes.map((note) => note.message)).toEqual(['1 package has verified provenance']);
  });

  it('reports a bundle signed by a Sigstore instance the trusted root does not trust', async () => {
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: (await publishedWithProvenance('widget', '2.0.0', untrusted)).slice(1) }] });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expect(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.data['problem']])).toEqual([
      ['provenance/invalid', 'critical', 'signature'],
    ]);
    expect(result.findings[0]?.message).toMatch(/^widget@2\.0\.0 has an attestation \(https:\/\/slsa\.dev\/provenance\/v1\) that fails verification: the Sigstore bundle does not verify: /);
  });

  it('reports an envelope whose statement was edited after signing', async () => {
    const bundle = await sigstore.attest(statementFor('pkg:npm/widget@2.0.0', sha512HexOf('widget', '1.0.0')));
    const envelope = bundle['dsseEnvelope'] as { payload: string };
    envelope.payload = Buffer.from(JSON.stringify(statementFor('pkg:npm/widget@2.0.0', sha512HexOf('widget', '2.0.0')))).toString('base64');
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle }] }] });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expect(result.findings.map((finding) => [finding.ruleId, finding.data['problem']])).toEqual([['provenance/invalid', 'signature']]);
    expect(result.notes).toEqual([]);
  });

  it('reports a publish attestation signed with a key the registry does not publish', async () => {
    const purl = 'pkg:npm/widget@2.0.0';
    const statement = statementFor(purl, sha512HexOf('widget', '2.0.0'), NPM_PUBLISH_V01);
    const bundle = await sigstore.attestWithKey(statement, p256(), 'SHA256:unknown-key');
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: [{ predicateType: NPM_PUBLISH_V01, bundle }] }] });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expect(result.findings.map((finding) => [finding.ruleId, finding.data['predicateType'], finding.data['problem']])).toEqual([
      ['provenance/invalid', NPM_PUBLISH_V01, 'signature'],
    ]);
    expect(result.findings[0]?.message).toContain('the registry publishes no key "SHA256:unknown-key"');
  });
  it('reports a publish attestation logged after its registry key expired', async () => {
    const purl = 'pkg:npm/widget@2.0.0';
    const bundle = await sigstore.attestWithKey(statementFor(purl, sha512HexOf('widget', '2.0.0'), NPM_PUBLISH_V01), REGISTRY_KEY, REGISTRY_KEYID);
    registry.handle(
      serveAttestingRegistry({
        packages: { widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: [{ predicateType: NPM_PUBLISH_V01, bundle }] }] },
        keys: [{ keyid: REGISTRY_KEYID, publicKey: REGISTRY_KEY.publicKey, expires: '2020-01-01T00:00:00.000Z' }],
      }),
    );
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expect(result.findings.map((finding) => [finding.ruleId, finding.data['predicateType'], finding.data['problem']])).toEqual([
      ['provenance/invalid', NPM_PUBLISH_V01, 'signature'],
    ]);
  });
});

describe('dropped provenance', () => {
  const history = async (): Promise<VersionSpec[]> => [
    { version: '1.0.0', publishedAt: DAY(1) },
    { version: '1.1.0', publishedAt: DAY(2), attestations: await publishedWithProvenance('widget', '1.1.0') },
    { version: '1.2.0', publishedAt: DAY(3), attestations: await publishedWithProvenance('widget', '1.2.0') },
    { version: '1.3.0', publishedAt: DAY(4) },
  ];

  it('reports a release without provenance after releases with it, naming the last attested one', async () => {
    serve({ widget: await history() });
    const result = await runProvenance(lockfileOf('widget@1.3.0'));
    expectFindings(result.findings, [
      {
        ruleId: 'provenance/dropped',
        package: 'widget@1.3.0',
        line: 2,
        column: 5,
        severity: 'moderate',
        message: `widget@1.3.0 (published ${DAY(4)}) has no provenance, but the earlier 1.2.0 (published ${DAY(3)}) had: it may not come from the project's CI`,
        data: { attestedVersion: '1.2.0', attestedPublishedAt: DAY(3), publishedAt: DAY(4), expected: 'provenance attestations', actual: 'none' },
        fix: {
          description: "Check that widget@1.3.0 was published by the project's own release process (its repository's tags and CI runs); if not, stay on widget@1.2.0",
        },
      },
    ]);
    // The abbreviated document suggests the drop; the full one, with publish times, confirms it.
    expect(paths()).toEqual(['/widget', '/widget (full)']);
  });

  it('does not report versions from before provenance was adopted', async () => {
    serve({ widget: await history() });
    const result = await runProvenance(lockfileOf('widget@1.0.0'));
    expectFindings(result.findings, []);
    expect(paths()).toEqual(['/widget']);
  });

  it('does not report a backport published after a later attested release', async () => {
    serve({
      widget: [
        { version: '1.0.0', publishedAt: DAY(1) },
        { version: '2.0.0', publishedAt: DAY(2) },
        // An attested 1.x backport, published after 2.0.0: earlier by semver, not by time.
        { version: '1.5.0', publishedAt: DAY(3), attestations: await publishedWithProvenance('widget', '1.5.0') },
      ],
    });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expectFindings(result.findings, []);
    expect(paths()).toEqual(['/widget', '/widget (full)']);
  });

  it('skips private names: they are never sent to the registry', async () => {
    serve({ '@corp/internal': await history() });
    const result = await runProvenance(lockfileOf('@corp/internal@1.3.0'));
    expectFindings(result.findings, []);
    expect(result.notes.map((note) => note.message)).toEqual(['1 private package was not checked for provenance']);
    expect(paths()).toEqual([]);
  });
});

describe('registry problems', () => {
  it('notes attestations that are advertised but not served, without a finding', async () => {
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: 'not-served' }] });
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expectFindings(result.findings, []);
    expect(result.notes.map((note) => note.message)).toEqual(['the registry advertises attestations for 1 package but serves no provenance for them (widget@2.0.0): not verified']);
  });

  it('marks the audit incomplete when the attestation endpoint fails with 500', async () => {
    const attested = serveAttestingRegistry({ packages: { widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: await publishedWithProvenance('widget', '2.0.0') }] } });
    registry.handle((request, response) =>
      request.url.startsWith('/-/npm/v1/attestations/') ? sendJson(response, 500, { error: 'Internal Server Error' }) : attested(request, response),
    );
    const result = await runProvenance(lockfileOf('widget@2.0.0'));
    expectFindings(result.findings, []);
    expect(result.incomplete).toEqual([
      {
        checkId: 'provenance',
        lockfile: 'package-lock.json',
        kind: 'source-unavailable',
        code: 'ESOURCE',
        message: `${registry.url.replace(/^http:\/\/|\/$/g, '')}: 500 Internal Server Error for GET /-/npm/v1/attestations/widget@2.0.0 (2 attempts)`,
      },
    ]);
  });

  it('marks the audit incomplete when the packument never arrives (timeout)', async () => {
    registry.handle(() => new Promise(() => undefined));
    const result = await runProvenance(lockfileOf('widget@2.0.0'), { trustedRoot: trustedRootFile }, SILENT, 300);
    expect(result.incomplete.map((entry) => [entry.kind, entry.message])).toEqual([
      ['source-unavailable', `${registry.url.replace(/^http:\/\/|\/$/g, '')}: no complete response within 0.3 s for GET widget (2 attempts)`],
    ]);
  });

  it('is a configuration error when the configured trusted root cannot be read', async () => {
    serve({ widget: [{ version: '2.0.0', publishedAt: DAY(1), attestations: await publishedWithProvenance('widget', '2.0.0') }] });
    await expect(runProvenance(lockfileOf('widget@2.0.0'), { trustedRoot: 'missing.json' })).rejects.toThrow(ConfigError);
  });
});
