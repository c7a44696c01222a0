/**
 * @file Verifies the provenance attestations of registry packages with Sigstore, and flags a
 * release published without provenance after releases that had it.
 *
 * Threat: provenance ties a tarball to the public CI run and commit that built it. An attestation
 * that does not verify, or that names another package or another tarball, means what is served
 * is not what was built; a release that suddenly comes without provenance is what a stolen npm
 * token, publishing from an attacker's machine, looks like.
 *
 * Model: per package name, the packument (abbreviated) says which versions carry
 * `dist.attestations`. For a locked version that does, the bundles are fetched from the
 * registry's attestation endpoint and verified offline against Sigstore's trusted root (loaded
 * once, lazily, only when some package has attestations); the in-toto subject must be the
 * package URL and the lockfile's sha512. For one that does not, an earlier attested version is
 * looked for, by semver first and then, to confirm, by publish time from the full packument, so
 * the large full documents are fetched only for the few suspects.
 */
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { CheckContext } from '../core/check.ts';
import { defineCheck } from '../core/check.ts';
import type { PackageNode } from '../core/graph.ts';
import type { AttestationRecord, RegistrySigningKey } from '../registry/attestations.ts';
import { registryFor } from '../registry/registry-config.ts';
import type { Packument, RegistryClient } from '../registry/types.ts';
import type * as DroppedModule from './provenance/dropped.ts';
import type { ProvenanceOptions } from './provenance/options.ts';
import {
  compareSubject,
  isSlsaProvenance,
  NPM_PUBLISH_PREDICATE,
  packageUrl,
  readStatementSubjects,
  sha512Hex,
  type SubjectMismatch,
} from './provenance/subject.ts';
import type { BundleVerifier } from './provenance/verify.ts';
import { loadSsri } from './integrity/sri.ts';

export type { ProvenanceOptions } from './provenance/options.ts';

type Rule = 'invalid' | 'dropped';

/** One array for every certificate-signed bundle: the verifier caches its trust material per key list. */
const NO_KEYS: readonly RegistrySigningKey[] = [];
type Context = CheckContext<Rule, ProvenanceOptions>;

/** One attestation's verdict for one version; digest comparison is per lockfile copy. */
interface CheckedAttestation {
  readonly predicateType: string;
  /** Why the bundle itself does not verify (signature, certificate, log entry, shape). */
  readonly failure?: string | undefined;
  /** Who signed a verified bundle: the build's identity (workflow URI) or "registry key". */
  readonly signer?: string | undefined;
  readonly subjects: readonly { readonly name: string; readonly sha512?: string | undefined }[];
}

interface Tally {
  verified: number;
  notServed: string[];
  privateSkipped: number;
}

/** zod loads only when a configuration sets options: it is not on the start-up path. */
async function loadOptionsSchema() {
  return (await import('./provenance/options.ts')).optionsSchema;
}

/** sigstore's verifier is heavy: loaded only when a locked version has attestations. */
async function loadVerifyModule() {
  return import('./provenance/verify.ts');
}

async function loadVerifier(trustedRoot: TrustedRoot): Promise<BundleVerifier> {
  return (await loadVerifyModule()).createBundleVerifier(trustedRoot);
}

async function loadTrustedRoot(context: Context): Promise<TrustedRoot> {
  const { loadTrustedRoot: load } = await import('../registry/attestations-trust.ts');
  return load({ cacheDir: context.services.cacheDir, baseDir: context.services.projectDir, file: context.options.trustedRoot });
}

async function loadAttestationsModule() {
  return import('../registry/attestations.ts');
}

/** Registry packages with a version, grouped by name, in lockfile order. */
function registryPackagesByName(nodes: readonly PackageNode[]): Map<string, PackageNode[]> {
  const byName = new Map<string, PackageNode[]>();
  for (const node of nodes) {
    if (node.source.type !== 'registry' || node.version === '' || node.flags.bundled) continue;
    const list = byName.get(node.name);
    if (list) list.push(node);
    else byName.set(node.name, [node]);
  }
  return byName;
}

function groupByVersion(nodes: readonly PackageNode[]): Map<string, PackageNode[]> {
  const byVersion = new Map<string, PackageNode[]>();
  for (const node of nodes) byVersion.set(node.version, [...(byVersion.get(node.version) ?? []), node]);
  return byVersion;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** semver comes with it (≈ 50 ms): loaded only when a run reaches a registry answer. */
async function loadDropped(): Promise<typeof DroppedModule> {
  return import('./provenance/dropped.ts');
}

class ProvenanceRun {
  readonly tally: Tally = { verified: 0, notServed: [], privateSkipped: 0 };
  readonly context: Context;
  readonly client: RegistryClient;
  #verifier: Promise<BundleVerifier> | undefined;

  constructor(context: Context, client: RegistryClient) {
    this.context = context;
    this.client = client;
  }

  async checkPackage(name: string, nodes: readonly PackageNode[]): Promise<void> {
    // A private name must not reach the default registry (it may resolve to someone else's package there).
    if ((await this.context.services.privateNameReason(name)) !== undefined) {
      this.tally.privateSkipped += 1;
      return;
    }
    const packument = await this.#packument(name, false);
    // Unknown packages and versions are registry-integrity's findings, not provenance's.
    if (packument === undefined) return;
    const { hasAttestations } = await loadDropped();
    for (const [version, copies] of groupByVersion(nodes)) {
      // Own keys only: a "version" named "constructor" must not find Object.prototype's.
      const manifest = Object.hasOwn(packument.versions, version) ? packument.versions[version] : undefined;
      if (manifest === undefined) continue;
      if (hasAttestations(manifest)) await this.#verifyVersion(name, version, copies, manifest.dist?.integrity);
      else await this.#checkDropped(name, version, copies, packument);
    }
  }

  async #verifyVersion(name: string, version: string, copies: readonly PackageNode[], registryIntegrity: string | undefined): Promise<void> {
    const { fetchAttestations } = await loadAttestationsModule();
    const records = await this.context.services.shared(`provenance:attestations\n${this.#registry(name)}\n${name}@${version}`, () =>
      fetchAttestations(this.client, name, version, this.context.signal),
    );
    const recognized = (records ?? []).filter((record) => isSlsaProvenance(record.predicateType) || record.predicateType === NPM_PUBLISH_PREDICATE);
    if (recognized.length === 0) {
      this.tally.notServed.push(`${name}@${version}`);
      return;
    }
    const checked = await Promise.all(recognized.map((record) => this.#checkAttestation(name, record)));
    const purl = packageUrl(name, version);
    const ssri = await loadSsri();
    let allValid = true;
    for (const node of copies) {
      // The lockfile's hash is what gets installed; without a sha512 there, the registry's stands in.
      const lockfileSha512 = sha512Hex(ssri, node.integrity);
      const sha512 = lockfileSha512 ?? sha512Hex(ssri, registryIntegrity);
      let valid = true;
      for (const attestation of checked) {
        const mismatch = attestation.failure === undefined ? compareSubject(attestation.subjects, purl, sha512) : undefined;
        if (attestation.failure === undefined && mismatch === undefined) continue;
        valid = false;
        this.#reportInvalid(node, attestation, mismatch, lockfileSha512 === undefined ? 'registry' : 'lockfile');
      }
      allValid &&= valid;
    }
    if (allValid && checked.some((attestation) => isSlsaProvenance(attestation.predicateType))) {
      this.tally.verified += 1;
      const signers = checked.map((attestation) => `${attestation.predicateType} signed by ${attestation.signer ?? 'unknown'}`);
      this.context.log.debug(`provenance: ${name}@${version} verified: ${signers.join('; ')}`);
    }
  }

  async #checkAttestation(name: string, record: AttestationRecord): Promise<CheckedAttestation> {
    const envelope = (record.bundle as { dsseEnvelope?: unknown } | null)?.dsseEnvelope;
    const statement = readStatementSubjects(envelope);
    if ('problem' in statement) return { predicateType: record.predicateType, failure: statement.problem, subjects: [] };
    const verifier = await this.#loadVerifier();
    const { usesPublicKey } = await loadVerifyModule();
    const keys = usesPublicKey(record.bundle) ? await this.#signingKeys(this.#registry(name)) : NO_KEYS;
    const outcome = verifier.verify(record.bundle, keys);
    return outcome.ok
      ? { predicateType: record.predicateType, signer: outcome.signer, subjects: statement.subjects }
      : { predicateType: record.predicateType, failure: outcome.reason, subjects: statement.subjects };
  }

  #reportInvalid(node: PackageNode, attestation: CheckedAttestation, mismatch: SubjectMismatch | undefined, digestSource: string): void {
    const base = { predicateType: attestation.predicateType };
    const fix = {
      description: `Do not install ${node.name}@${node.version} until its attestation verifies: compare the tarball with the project's release and report it to the registry`,
    };
    if (mismatch === undefined) {
      this.context.report({
        node,
        rule: 'invalid',
        data: { ...base, problem: 'signature', detail: `the Sigstore bundle does not verify: ${attestation.failure ?? 'unknown reason'}` },
        fix,
        discriminator: attestation.predicateType,
      });
      return;
    }
    const detail =
      mismatch.kind === 'name'
        ? `it is about ${mismatch.actual}, expected ${mismatch.expected}`
        : `it attests a tarball with sha512 ${mismatch.actual}, but the ${digestSource === 'lockfile' ? "lockfile's" : "registry's"} tarball has ${mismatch.expected}`;
    this.context.report({
      node,
      rule: 'invalid',
      data: { ...base, problem: mismatch.kind === 'name' ? 'subject-name' : 'subject-digest', detail, expected: mismatch.expected, actual: mismatch.actual, digestSource },
      fix,
      discriminator: attestation.predicateType,
    });
  }

  async #checkDropped(name: string, version: string, copies: readonly PackageNode[], abbreviated: Packument): Promise<void> {
    const { lastAttestedBefore } = await loadDropped();
    // Semver alone over-approximates "earlier"; only a hit is worth the full document's times.
    if (lastAttestedBefore(abbreviated, version) === undefined) return;
    const full = await this.#packument(name, true);
    const predecessor = full === undefined ? undefined : lastAttestedBefore(full, version);
    if (predecessor === undefined) return;
    const publishedAt = full?.time?.[version];
    for (const node of copies) {
      this.context.report({
        node,
        rule: 'dropped',
        data: {
          attestedVersion: predecessor.version,
          attestedPublishedAt: predecessor.publishedAt ?? 'unknown',
          publishedAt: publishedAt ?? 'unknown',
          expected: 'provenance attestations',
          actual: 'none',
        },
        fix: {
          description: `Check that ${name}@${version} was published by the project's own release process (its repository's tags and CI runs); if not, stay on ${name}@${predecessor.version}`,
        },
      });
    }
  }

  #registry(name: string): string {
    return registryFor(this.client.config, name);
  }

  /** Shared with other checks of this audit: one request per packument and kind. */
  #packument(name: string, full: boolean): Promise<Packument | undefined> {
    return this.context.services.shared(`packument\n${this.#registry(name)}\n${name}\n${full ? 'full' : 'abbreviated'}`, () =>
      this.client.packument(name, { full, signal: this.context.signal }),
    );
  }

  #signingKeys(registry: string): Promise<RegistrySigningKey[]> {
    return this.context.services.shared(`provenance:keys\n${registry}`, async () =>
      (await loadAttestationsModule()).fetchSigningKeys(this.client, registry, this.context.signal),
    );
  }

  #loadVerifier(): Promise<BundleVerifier> {
    const file = this.context.options.trustedRoot ?? '';
    this.#verifier ??= this.context.services
      .shared(`provenance:trusted-root\n${this.context.services.projectDir}\n${file}`, () => loadTrustedRoot(this.context))
      .then(loadVerifier);
    return this.#verifier;
  }
}

export default defineCheck({
  meta: {
    id: 'provenance',
    description: 'Verify the provenance attestations of registry packages and flag releases that dropped provenance',
    rationale:
      'npm packages published from CI with provenance carry Sigstore-signed attestations that tie the tarball to ' +
      'the source commit and build that produced it. This check fetches them from the registry and verifies them ' +
      "offline against Sigstore's trusted root: the signature, certificate and transparency-log entry must verify, " +
      "and the attested subject must be this package's URL and the lockfile's sha512. A version published without " +
      'provenance after earlier versions that had it (by semver order and publish time) is flagged too: it is what ' +
      "a stolen publish token, used outside the project's CI, looks like.",
    defaultSeverity: 'critical',
    requiresNetwork: true,
    docs: 'https://github.com/pkgguard/pkgguard#provenance',
    tags: ['provenance', 'supply-chain', 'tampering'],
    rules: {
      invalid: {
        description: 'A provenance or publish attestation does not verify or does not match the package',
        message: '{{name}}@{{version}} has an attestation ({{predicateType}}) that fails verification: {{detail}}',
        severity: 'critical',
      },
      dropped: {
        description: 'A release was published without provenance after earlier releases that had it',
        message:
          '{{name}}@{{version}} (published {{publishedAt}}) has no provenance, but the earlier {{attestedVersion}} (published {{attestedPublishedAt}}) had: it may not come from the project\'s CI',
        severity: 'moderate',
      },
    },
    options: {
      defaults: {} satisfies ProvenanceOptions,
      schema: loadOptionsSchema,
    },
  },
  async run(context) {
    const byName = registryPackagesByName(context.graph.packages);
    if (byName.size === 0) return;
    const run = new ProvenanceRun(context, await context.services.registryClient());
    await Promise.all([...byName].map(([name, nodes]) => run.checkPackage(name, nodes)));
    const { verified, notServed, privateSkipped } = run.tally;
    if (verified > 0) context.note(`${plural(verified, 'package has', 'packages have')} verified provenance`);
    if (notServed.length > 0) {
      const sample = notServed.sort().slice(0, 3).join(', ');
      context.note(
        `the registry advertises attestations for ${plural(notServed.length, 'package', 'packages')} but serves no provenance for them (${sample}${notServed.length > 3 ? ', …' : ''}): not verified`,
      );
    }
    if (privateSkipped > 0) context.note(`${plural(privateSkipped, 'private package was', 'private packages were')} not checked for provenance`);
  },
});
