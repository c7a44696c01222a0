/**
 * Comparing a lockfile's integrity with the registry's record of the same version.
 *
 * Digests of different algorithms say nothing about each other, so the comparison is made in the
 * strongest algorithm both sides have: usually sha512 (`dist.integrity`); for a lockfile that
 * only has sha1 (old npm and yarn 1 lockfiles) the registry's `dist.shasum`, the hex sha1 of the
 * same tarball, is the other side. Within that algorithm the two agree when they share a digest
 * (an SRI value may list several). Values are read strictly (integrity/sri.ts): a malformed
 * lockfile token is the integrity check's finding, not a mismatch here.
 */
import type { VersionFacts } from '../../registry/facts-types.ts';
import { ALGORITHMS_BY_STRENGTH, type DigestsByAlgorithm, digestsFor, integrityOf, readSri, type SriAlgorithm } from '../integrity/sri.ts';

export type Comparison =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch'; readonly algorithm: SriAlgorithm; readonly expected: string; readonly actual: string }
  /** No algorithm in common (or nothing usable on one side): nothing can be said. */
  | { readonly kind: 'incomparable' };

const HEX_SHA1 = /^[0-9a-f]{40}$/i;

/** The registry's digests: `dist.integrity` plus `dist.shasum` as a sha1 token. */
export function registryIntegrity(facts: VersionFacts): DigestsByAlgorithm {
  const tokens = facts.integrity === undefined ? [] : [...readSri(facts.integrity).tokens];
  if (facts.shasum !== undefined && HEX_SHA1.test(facts.shasum)) {
    tokens.push(`sha1-${Buffer.from(facts.shasum, 'hex').toString('base64')}`);
  }
  return integrityOf(tokens);
}

function digestSet(integrity: DigestsByAlgorithm, algorithm: SriAlgorithm): Set<string> | undefined {
  const hashes = Object.hasOwn(integrity, algorithm) ? integrity[algorithm] : undefined;
  return hashes && hashes.length > 0 ? new Set(hashes.map((hash) => hash.digest)) : undefined;
}

export function compareIntegrity(lockfileValue: string, facts: VersionFacts): Comparison {
  // Nearly always the lockfile holds the registry's value verbatim: skip parsing for those.
  if (lockfileValue === facts.integrity) return { kind: 'match' };
  const { tokens } = readSri(lockfileValue);
  if (tokens.length === 0) return { kind: 'incomparable' };
  const locked = integrityOf(tokens);
  const served = registryIntegrity(facts);
  for (const algorithm of ALGORITHMS_BY_STRENGTH) {
    const ours = digestSet(locked, algorithm);
    const theirs = digestSet(served, algorithm);
    if (!ours || !theirs) continue;
    for (const digest of ours) if (theirs.has(digest)) return { kind: 'match' };
    return {
      kind: 'mismatch',
      algorithm,
      expected: digestsFor(served, algorithm) ?? '',
      actual: digestsFor(locked, algorithm) ?? '',
    };
  }
  return { kind: 'incomparable' };
}
