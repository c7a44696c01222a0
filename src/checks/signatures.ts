/**
 * @file Verifies the registry signatures of every registry package in the lockfile, like
 * `npm audit signatures` but from the lockfile alone.
 *
 * Threat: a registry, mirror or proxy that serves metadata it did not get from the publisher. The
 * registry signs `${name}@${version}:${integrity}` when a version is published; a signature that
 * does not verify means the integrity the registry now reports is not the one it signed, and a
 * version without a signature from a registry that signs everything was never published through
 * it. Key expiry is judged against the version's publish time: a key that expired afterwards
 * still vouches for versions it signed while it was current.
 */
import { defineCheck } from '../core/check.ts';
import type { PackageNode } from '../core/graph.ts';
import type { VersionFacts } from '../registry/facts-types.ts';
import { lookUpTargets, registryLabel, sharedRegistryTargets, type RegistryTargets, targetNotes, withoutUncachedRegistries } from './registry-integrity/targets.ts';
import { isValidSignature, signatureMessage, signedIntegrity, type VerificationKey, verificationKeys, verifiedMark } from './signatures/verify.ts';

/** A signature by a key that has expired since: valid only for a version published before. */
interface ExpiredKeySignature {
  readonly node: PackageNode;
  readonly key: VerificationKey;
}

function countOf(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export default defineCheck({
  meta: {
    id: 'signatures',
    description: 'Verify the registry signature of every registry package',
    rationale:
      'Registries such as npm sign each version they publish (ECDSA P-256 over name, version and integrity) and ' +
      'publish their public keys at /-/npm/v1/keys. This check verifies every signature with those keys: a ' +
      'signature that does not verify, one made with a key the registry does not list or made after its key ' +
      'expired, or a missing signature from a registry that signs, means the metadata did not come from the ' +
      'registry as published. Registries without keys are reported as not applicable.',
    defaultSeverity: 'critical',
    requiresNetwork: true,
    runsOffline: true,
    docs: 'https://github.com/pkgguard/pkgguard#signatures',
    tags: ['signatures', 'tampering', 'registry'],
    rules: {
      invalid: {
        description: 'A registry signature does not verify',
        message: '{{name}}@{{version}} has a registry signature by {{keyid}} that does not verify for {{integrity}} ({{registry}})',
        severity: 'critical',
      },
      missing: {
        description: 'A package has no signature although its registry signs',
        message: '{{name}}@{{version}} has no registry signature, but {{registry}} signs the versions it publishes',
        severity: 'high',
      },
      'unknown-key': {
        description: 'A signature names a key the registry does not publish',
        message: '{{name}}@{{version}} is signed with key {{keyid}}, which {{registry}} does not list among its signing keys',
        severity: 'high',
      },
      'expired-key': {
        description: 'A signature was made with a key after it expired',
        message: '{{name}}@{{version}} was published at {{publishedAt}}, after its signing key {{keyid}} expired at {{expires}} ({{registry}})',
        severity: 'high',
      },
    },
  },
  async run(context) {
    const facts = await context.services.registryFacts();
    const all = await sharedRegistryTargets(context, facts);
    for (const note of targetNotes(all)) context.note(note);

    // Keys per registry first: a registry without keys does not sign, so its packages are not asked about.
    const keysByRegistry = new Map<string, Map<string, VerificationKey>>();
    /** Registries whose keys came from the cache: a key id they lack may belong to a newer key. */
    const cachedKeys = new Set<string>();
    /** Packages that could not be judged offline: their facts, or their registry's keys, are not cached. */
    let notCached = 0;
    let total = 0;
    /** Registries with keys: their packages are looked up. */
    const signing: string[] = [];
    // Per registry, in the order of its first package: a registry's packages share its keys.
    for (const [registry, entries] of all.registries) {
      total += entries;
      const keys = await facts.keys(registry);
      if (keys.status === 'none' || (keys.status === 'keys' && keys.keys.length === 0)) {
        context.note(`${registryLabel(registry)} publishes no signing keys: signatures are not applicable to its packages`);
      }
      if (keys.status === 'keys' && keys.cached) cachedKeys.add(registry);
      const verifying = keys.status === 'keys' ? verificationKeys(keys.keys, registryLabel(registry)) : new Map<string, VerificationKey>();
      keysByRegistry.set(registry, verifying);
      if (keys.status === 'not-cached') notCached += entries;
      else if (verifying.size > 0) signing.push(registry);
    }
    // Offline, the packages of signing registries with an empty cache are counted, not looked up.
    const { targets: signed, notCached: uncached } = await withoutUncachedRegistries(facts, all, signing);
    notCached += uncached;

    const now = context.services.now.getTime();
    const expired: ExpiredKeySignature[] = [];
    let unverifiable = 0;
    /** Versions signed by a key id missing from cached keys: judged again once the keys are fetched afresh. */
    const unknownKeyIds: { readonly node: PackageNode; readonly facts: VersionFacts }[] = [];
    const labels = new Map<string, string>();
    const judge = (node: PackageNode, versionFacts: VersionFacts): void => {
      const registry = facts.registryFor(node.name);
      const keys = keysByRegistry.get(registry) ?? new Map<string, VerificationKey>();
      let label = labels.get(registry);
      if (label === undefined) {
        // Parsing the URL for every package showed in profiles.
        label = registryLabel(registry);
        labels.set(registry, label);
      }
      const signatures = versionFacts.signatures ?? [];
      if (signatures.length === 0) {
        context.report({
          node,
          rule: 'missing',
          data: { registry: label },
          fix: { description: `Check where ${node.name}@${node.version} came from; reinstall it from ${label} or remove it` },
        });
        return;
      }
      const integrity = signedIntegrity(versionFacts);
      if (integrity === undefined) {
        unverifiable += 1;
        return;
      }
      for (const { keyid, sig } of signatures) {
        const key = keys.get(keyid);
        if (!key) {
          if (cachedKeys.has(registry) && !context.offline) unknownKeyIds.push({ node, facts: versionFacts });
          else context.report({ node, rule: 'unknown-key', data: { keyid, registry: label }, discriminator: keyid });
          continue;
        }
        const mark = verifiedMark(key, sig);
        const accept = (): void => {
          facts.markVerified(node.name, node.version, mark);
          if (key.expiresAt !== undefined && !(key.expiresAt > now)) expired.push({ node, key });
        };
        if (versionFacts.verified?.includes(mark)) {
          accept();
          continue;
        }
        verifications.push(
          isValidSignature(key, signatureMessage(node.name, node.version, integrity), sig).then((valid) => {
            if (valid) {
              accept();
              return;
            }
            context.report({
              node,
              rule: 'invalid',
              data: { keyid, integrity, signature: sig, registry: label },
              fix: { description: `Do not install ${node.name}@${node.version} until its registry metadata is explained; report it to the registry` },
              discriminator: keyid,
            });
          }),
        );
      }
    };
    /** Signature checks under way (they run on the thread pool while responses keep arriving). */
    const verifications: Promise<void>[] = [];
    const verified = async (): Promise<void> => {
      await Promise.all(verifications);
      verifications.length = 0;
    };

    const lookUp = async (targets: RegistryTargets, publishTime: boolean, onFound: (node: PackageNode, found: VersionFacts) => void): Promise<void> => {
      await lookUpTargets(context, facts, targets, { publishTime }, (node, lookup) => {
        if (lookup.status === 'not-cached') notCached += 1;
        // A version or package the registry does not have is registry-integrity's finding.
        if (lookup.status === 'found') onFound(node, lookup.facts);
      });
    };

    try {
      await lookUp(signed, false, judge);
      await verified();
      if (unknownKeyIds.length > 0) {
        // The registry may have rotated its keys since they were cached.
        for (const registry of new Set(unknownKeyIds.map(({ node }) => facts.registryFor(node.name)))) {
          const keys = await facts.keys(registry, { refresh: true });
          cachedKeys.delete(registry);
          if (keys.status === 'keys') keysByRegistry.set(registry, verificationKeys(keys.keys, registryLabel(registry)));
        }
        for (const { node, facts: versionFacts } of unknownKeyIds) judge(node, versionFacts);
        await verified();
      }
      // Keys that have expired since: the publish time decides, and it costs the full packument.
      const expiredByName = new Map<string, PackageNode[]>();
      const keyOf = new Map<PackageNode, VerificationKey[]>();
      for (const { node, key } of expired) {
        // A version judged twice (after a key refresh) lists its keys once.
        const keys = keyOf.get(node) ?? [];
        if (!keys.some((listed) => listed.keyid === key.keyid)) keys.push(key);
        keyOf.set(node, keys);
        const nodes = expiredByName.get(node.name) ?? [];
        if (!nodes.includes(node)) nodes.push(node);
        expiredByName.set(node.name, nodes);
      }
      let unknownTime = 0;
      await lookUp({ byName: expiredByName, withheld: 0 }, true, (node, found) => {
        const publishedAt = found.publishedAt === undefined || found.publishedAt === null ? Number.NaN : Date.parse(found.publishedAt);
        for (const key of keyOf.get(node) ?? []) {
          if (Number.isNaN(publishedAt)) unknownTime += 1;
          else if (publishedAt >= (key.expiresAt ?? Infinity)) {
            context.report({
              node,
              rule: 'expired-key',
              data: { keyid: key.keyid, expires: key.expires ?? '', publishedAt: found.publishedAt ?? '', registry: registryLabel(facts.registryFor(node.name)) },
              discriminator: key.keyid,
            });
          }
        }
      });
      if (unknownTime > 0) {
        context.note(
          `${countOf(unknownTime, 'signature was', 'signatures were')} made with a key that has expired since, and the registry gives no publish time to show it was made before: accepted`,
        );
      }
    } finally {
      // A failed lookup leaves checks under way: let them finish before what they verified is saved.
      await Promise.allSettled(verifications);
      await facts.flush();
    }
    if (unverifiable > 0) context.note(`${countOf(unverifiable, 'package has', 'packages have')} signatures but no integrity value in the registry's record: not verified`);
    if (notCached > 0 && notCached === total) {
      context.skip("offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)");
    }
    if (notCached > 0) {
      // As in registry-integrity: --offline checks what local data allows, and says what it left out.
      context.note(
        `${notCached} of ${total} registry packages, or their registry's signing keys, are not in pkgguard's registry cache and were not verified (offline); run once without --offline to verify them`,
      );
    }
  },
});
