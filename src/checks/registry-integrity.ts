/**
 * @file Compares each registry package of the lockfile with the registry's own record of that
 * version: the integrity hash must be the one the registry serves, and the version (and the
 * package) must exist there.
 *
 * Threat: lockfile injection. A pull request that edits `resolved` and `integrity` together
 * passes every offline check (the hash is well-formed and consistent), and `npm ci` then installs
 * whatever tarball the new hash names. Only the registry knows the true hash of a published
 * version. A version the registry no longer has was unpublished or taken down (often as malware),
 * or the name now belongs to another registry; either way the lockfile installs something nobody
 * can re-verify.
 */
import { defineCheck } from '../core/check.ts';
import type { PackageNode } from '../core/graph.ts';
import type { RegistryIntegrityOptions } from './registry-integrity/options.ts';
import { compareIntegrity } from './registry-integrity/compare.ts';
import { lookUpTargets, registryLabel, sharedRegistryTargets, targetNotes, withoutUncachedRegistries } from './registry-integrity/targets.ts';

export type { RegistryIntegrityOptions } from './registry-integrity/options.ts';

/** zod loads only when a configuration sets options: it is not on the start-up path. */
async function loadOptionsSchema() {
  return (await import('./registry-integrity/options.ts')).optionsSchema;
}

const HOUR_MS = 60 * 60 * 1000;

export default defineCheck({
  meta: {
    id: 'registry-integrity',
    description: "Compare each registry package's integrity with the registry's record, and require the version to exist",
    rationale:
      "A lockfile entry's integrity hash decides which tarball gets installed, and a pull request can change it " +
      'together with the download URL (lockfile injection) without any offline check noticing. This check asks ' +
      "the registry that serves each package for its record of the locked version and flags a hash that differs " +
      "from the registry's, a version the registry does not have (unpublished, taken down, or the name now " +
      'resolves elsewhere) and a package the registry does not know.',
    defaultSeverity: 'critical',
    requiresNetwork: true,
    runsOffline: true,
    docs: 'https://github.com/pkgguard/pkgguard#registry-integrity',
    tags: ['integrity', 'tampering', 'registry'],
    rules: {
      mismatch: {
        description: "The lockfile's integrity differs from the registry's for the same version",
        message:
          '{{name}}@{{version}} is locked with {{actual}} but {{registry}} serves {{expected}} for this version: the lockfile entry was changed or the registry serves another tarball',
        severity: 'critical',
      },
      'version-not-found': {
        description: 'The locked version does not exist on its registry',
        message:
          '{{name}}@{{version}} does not exist on {{registry}} ({{versionCount}} other versions, latest {{latest}}): it was unpublished or taken down, or the name now resolves elsewhere',
        severity: 'high',
      },
      'package-not-found': {
        description: 'The locked package does not exist on its registry',
        message: '{{name}} does not exist on {{registry}}: it was removed, or it is served by another registry that your configuration does not name',
        severity: 'high',
      },
    },
    options: {
      defaults: { recheckAfterHours: 24 } satisfies RegistryIntegrityOptions,
      schema: loadOptionsSchema,
    },
  },
  async run(context) {
    const facts = await context.services.registryFacts();
    const all = await sharedRegistryTargets(context, facts);
    for (const note of targetNotes(all)) context.note(note);
    // Offline, the packages of registries with an empty cache are counted, not looked up.
    const { targets, notCached: uncached } = await withoutUncachedRegistries(facts, all);
    let total = uncached;
    let notCached = uncached;
    let incomparable = 0;
    const registryOf = (node: PackageNode): string => registryLabel(facts.registryFor(node.name));
    try {
      await lookUpTargets(context, facts, targets, { maxAgeMs: context.options.recheckAfterHours * HOUR_MS }, (node, lookup) => {
        total += 1;
        switch (lookup.status) {
          case 'not-cached':
            notCached += 1;
            return;
          case 'package-not-found':
            context.report({
              node,
              rule: 'package-not-found',
              data: { registry: registryOf(node) },
              fix: { description: `Remove ${node.name}, or map its scope to the registry that publishes it in .npmrc` },
            });
            return;
          case 'version-not-found':
            context.report({
              node,
              rule: 'version-not-found',
              data: { registry: registryOf(node), latest: lookup.latest ?? 'none', versionCount: lookup.versionCount },
              fix: { description: `Move ${node.name} to a version its registry publishes and review the change` },
            });
            return;
          case 'found': {
            // yarn Berry records its own zip checksum, not the tarball's SRI: existence is all that can be checked.
            if (node.integrity === undefined) return;
            const comparison = compareIntegrity(node.integrity, lookup.facts);
            if (comparison.kind === 'incomparable') incomparable += 1;
            if (comparison.kind !== 'mismatch') return;
            context.report({
              node,
              rule: 'mismatch',
              data: { algorithm: comparison.algorithm, actual: comparison.actual, expected: comparison.expected, registry: registryOf(node) },
              fix: {
                description: `Find out who changed this entry (git log -p on the lockfile); if the registry's value is right, re-resolve ${node.name} with your package manager`,
              },
            });
            return;
          }
        }
      });
    } finally {
      await facts.flush();
    }
    if (incomparable > 0) {
      context.note(`${incomparable} ${incomparable === 1 ? 'package has' : 'packages have'} no hash algorithm in common with the registry's record: not compared`);
    }
    if (notCached > 0 && notCached === total) {
      // Nothing to work from (a first run offline): skipped, as checks without their database are.
      context.skip("offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)");
    }
    if (notCached > 0) {
      // --offline is the user's choice to check what local data allows, as for skipped checks:
      // said in the report, not an unreachable source.
      context.note(`${notCached} of ${total} registry packages are not in pkgguard's registry cache and were not checked (offline); run once without --offline to check them`);
    }
  },
});
