/**
 * "Provenance dropped": a release without provenance after releases that had it. Projects that
 * publish from CI with `--provenance` keep doing so; a version without it is what a maintainer's
 * stolen token, published from a laptop, looks like (the pattern of several npm account
 * takeovers). "After" means both lower in semver order and published earlier, so a backport
 * published later on an old line (1.9.5 after 2.0.0) is compared only with its own past.
 */
import semver from 'semver';
import type { Packument, PackumentVersion } from '../../registry/types.ts';

export interface AttestedPredecessor {
  readonly version: string;
  /** Publish time (ISO 8601) when the packument has one. */
  readonly publishedAt?: string | undefined;
}

export function hasAttestations(manifest: PackumentVersion | undefined): boolean {
  const attestations = manifest?.dist?.attestations;
  return typeof attestations === 'object' && attestations !== null && typeof attestations.url === 'string';
}

/**
 * The highest version that precedes `locked` and was published with attestations. Publish times
 * are compared when the packument has them for both versions (full documents); without them
 * (abbreviated documents) semver order alone decides, which can only over-approximate: callers
 * confirm a hit with the full document.
 */
export function lastAttestedBefore(packument: Packument, locked: string): AttestedPredecessor | undefined {
  if (semver.valid(locked) === null) return undefined;
  const lockedTime = publishTime(packument, locked);
  let best: AttestedPredecessor | undefined;
  for (const [version, manifest] of Object.entries(packument.versions)) {
    if (semver.valid(version) === null || !semver.lt(version, locked) || !hasAttestations(manifest)) continue;
    const time = publishTime(packument, version);
    if (lockedTime !== undefined && time !== undefined && time >= lockedTime) continue;
    if (best === undefined || semver.gt(version, best.version)) {
      best = { version, publishedAt: packument.time?.[version] };
    }
  }
  return best;
}

function publishTime(packument: Packument, version: string): number | undefined {
  const value = packument.time?.[version];
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
