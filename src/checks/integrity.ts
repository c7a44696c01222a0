/**
 * @file Flags lockfile entries whose integrity hash is missing, malformed, weak (sha1 only) or
 * different between two copies of the same name@version.
 *
 * Threat: the integrity hash is the only thing that ties a lockfile entry to the exact tarball
 * that was reviewed. Without a usable one, a compromised registry, mirror or proxy can swap the
 * tarball and the package manager installs it without complaint; sha1 can be forged
 * (SHAttered); and two copies of one release with different hashes mean one was edited by hand
 * or by an attacker, since a registry serves exactly one tarball per name@version.
 */
import { type CheckContext, defineCheck } from '../core/check.ts';
import type { PackageNode } from '../core/graph.ts';
import { malformedFix, mismatchFix, missingFix, weakFix } from './integrity/fix.ts';
import { ALGORITHMS_BY_STRENGTH, type DigestsByAlgorithm, digestsFor, integrityOf, isCanonicalSha512, readSri, STRONG_ALGORITHMS } from './integrity/sri.ts';

type RuleKey = 'missing' | 'malformed' | 'weak' | 'mismatch';

/** One downloaded copy of a release, with the well-formed tokens of its integrity value. */
interface Copy {
  readonly node: PackageNode;
  readonly tokens: readonly string[];
}

/** A mismatched copy, with the value and location it is compared against. */
interface Disagreement {
  readonly copy: Copy;
  readonly algorithm: string;
  readonly actual: string;
  readonly expected: string;
  readonly other: PackageNode;
  readonly basis: 'majority' | 'no-majority';
}

/**
 * Registry and remote tarballs are downloaded, so they need a hash. Git, directory, link and
 * workspace sources have none by design, a local `file:` tarball is part of the repository, and
 * a bundled package ships inside its parent's (hashed) tarball.
 */
function needsIntegrity(node: PackageNode): boolean {
  if (node.flags.bundled) return false;
  // Old npm records optional packages it skipped for the platform as bare `{ "optional": true }`
  // placeholders: no version, nothing resolved, nothing downloaded, so nothing to hash.
  if (node.flags.optional && node.version === '' && node.resolved === undefined && node.integrity === undefined) return false;
  // yarn Berry pins downloads with its own checksum (not SRI), and builds a patched package from
  // another entry, whose download that entry's checksum pins.
  if (node.checksum !== undefined || node.patchedFrom !== undefined) return false;
  if (node.source.type === 'registry') return true;
  return node.source.type === 'tarball' && /^https?:\/\//i.test(node.source.url);
}

function isDownloaded(node: PackageNode): boolean {
  return node.source.type === 'registry' || node.source.type === 'tarball';
}

/**
 * Which release of its name a downloaded package is a copy of: its version, or, for a remote
 * tarball with no recorded version (bun, yarn), its URL.
 */
function releaseOf(node: PackageNode): string {
  return node.version === '' && node.source.type === 'tarball' ? ` ${node.source.url}` : node.version;
}

/**
 * Within one name@version, compares the copies per algorithm, strongest first (sha1 and sha512
 * of one tarball are not comparable). A copy is reported when it disagrees with the strict
 * majority, or, when there is none, whenever another copy differs; each copy at most once.
 * Each copy is compared with the first copy in lockfile order that holds the majority value
 * (or, without a majority, a different value).
 */
function findDisagreements(copies: readonly Copy[]): Disagreement[] {
  const found: Disagreement[] = [];
  const reported = new Set<Copy>();
  const integrities = new Map<Copy, DigestsByAlgorithm>(copies.map((copy) => [copy, integrityOf(copy.tokens)]));
  for (const algorithm of ALGORITHMS_BY_STRENGTH) {
    const values = new Map<Copy, string>();
    /** First copy holding each distinct value, in lockfile order, and how many hold it. */
    const holders = new Map<string, { first: Copy; count: number }>();
    for (const [copy, integrity] of integrities) {
      const value = digestsFor(integrity, algorithm);
      if (value === undefined) continue;
      values.set(copy, value);
      const holder = holders.get(value);
      if (holder) holder.count += 1;
      else holders.set(value, { first: copy, count: 1 });
    }
    const distinct = [...holders];
    // Without a majority, a copy is compared with the first value in lockfile order, or with
    // the second when it holds the first.
    const [first, second] = distinct;
    if (!first || !second) continue;
    const majority = distinct.find(([, holder]) => holder.count * 2 > values.size);
    for (const [copy, actual] of values) {
      if (reported.has(copy) || actual === majority?.[0]) continue;
      const other = majority ?? (actual === first[0] ? second : first);
      reported.add(copy);
      found.push({
        copy,
        algorithm,
        actual,
        expected: other[0],
        other: other[1].first.node,
        basis: majority ? 'majority' : 'no-majority',
      });
    }
  }
  return found;
}

export default defineCheck({
  meta: {
    id: 'integrity',
    description: 'Require a well-formed, strong and consistent integrity hash for every downloaded package',
    rationale:
      'The integrity hash in a lockfile is what lets the package manager detect a swapped tarball. ' +
      'This check flags registry and remote-tarball packages without one, values that are not valid ' +
      'Subresource Integrity (unknown algorithm, broken base64, wrong digest length), values that only ' +
      'use sha1, which can be forged, and copies of one name@version whose hashes differ, a sign that ' +
      'one copy was edited.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#integrity',
    tags: ['integrity', 'tampering'],
    rules: {
      missing: {
        description: 'A registry or remote-tarball package has no integrity hash',
        message: '{{name}}@{{version}} has no integrity hash, so a swapped tarball would install unnoticed',
        severity: 'high',
      },
      malformed: {
        description: 'An integrity value is not valid Subresource Integrity',
        message: '{{name}}@{{version}} has a malformed integrity value: {{detail}}',
        severity: 'high',
      },
      weak: {
        description: 'An integrity value uses only sha1, which can be forged',
        message: '{{name}}@{{version}} is pinned only by {{algorithm}}, which can be forged; expected sha512',
        severity: 'moderate',
      },
      mismatch: {
        description: 'Copies of the same name@version have different integrity hashes',
        message:
          '{{name}}@{{version}} has {{actual}} here but {{expected}} at {{otherId}} (line {{otherLine}}): one copy was edited',
        severity: 'critical',
      },
    },
  },
  run(context) {
    const { graph } = context;
    /**
     * The first copy of each release, by name: one node, or, once the name has several releases,
     * its releases' first copies by release. Keyed by the name the parser made, not a
     * `name@version` string built per package: that concatenation and its hashing showed in cold
     * profiles, and most names have one release.
     */
    const firstCopies = new Map<string, PackageNode | Map<string, PackageNode>>();
    /** All copies of the releases that have several, by their first copy, in the order found. */
    const releasesWithCopies = new Map<PackageNode, PackageNode[]>();
    const addCopy = (first: PackageNode, node: PackageNode): void => {
      const copies = releasesWithCopies.get(first);
      if (copies) copies.push(node);
      else releasesWithCopies.set(first, [first, node]);
    };
    const { packages } = graph;
    // An indexed loop: an iterator over thousands of packages shows in cold profiles.
    for (let i = 0; i < packages.length; i++) {
      const node = packages[i] as PackageNode;
      if (node.integrity === undefined) {
        if (needsIntegrity(node)) {
          context.report({ node, rule: 'missing', data: { source: node.source.type }, fix: missingFix(graph, node) });
        }
        continue;
      }
      // Nearly every value is one canonical sha512 token: well-formed and strong, nothing to report.
      if (!isCanonicalSha512(node.integrity) && !reportValue(context, node, node.integrity)) continue;
      if (!isDownloaded(node)) continue;
      // Copies of one release must carry one hash, wherever they were downloaded from.
      const known = firstCopies.get(node.name);
      if (known === undefined) firstCopies.set(node.name, node);
      else if (!(known instanceof Map)) {
        if (releaseOf(known) === releaseOf(node)) addCopy(known, node);
        else firstCopies.set(node.name, new Map([[releaseOf(known), known], [releaseOf(node), node]]));
      } else {
        const release = releaseOf(node);
        const first = known.get(release);
        if (first) addCopy(first, node);
        else known.set(release, node);
      }
    }
    for (const nodes of releasesWithCopies.values()) {
      // The same value everywhere (the usual case) cannot disagree in any algorithm.
      if (nodes.every((node) => node.integrity === nodes[0]?.integrity)) continue;
      const copies = nodes.map((node) => ({ node, tokens: readSri(node.integrity ?? '').tokens }));
      for (const { copy, algorithm, actual, expected, other, basis } of findDisagreements(copies)) {
        context.report({
          node: copy.node,
          rule: 'mismatch',
          data: { algorithm, actual, expected, otherId: other.id, otherLine: other.location.line, basis },
          fix: mismatchFix(graph, copy.node),
        });
      }
    }
  },
});

/**
 * Reports what is wrong with one integrity value (malformed tokens, sha1 only); true when it holds
 * a well-formed token, so its copies can be compared.
 */
function reportValue(context: CheckContext<RuleKey>, node: PackageNode, integrity: string): boolean {
  const { graph } = context;
  const { strongest, problems } = readSri(integrity);
  for (const problem of problems) {
    context.report({
      node,
      rule: 'malformed',
      data: { problem: problem.code, detail: problem.detail, token: problem.token },
      // npm reads an empty string as "no integrity", so only the missing-integrity remedy works.
      fix: integrity === '' ? missingFix(graph, node) : malformedFix(graph, node),
      // One finding per broken token of a value.
      discriminator: problem.token,
    });
  }
  if (strongest === undefined) return false;
  if (!STRONG_ALGORITHMS.has(strongest)) {
    context.report({ node, rule: 'weak', data: { algorithm: strongest, integrity }, fix: weakFix(graph, node) });
  }
  return true;
}
