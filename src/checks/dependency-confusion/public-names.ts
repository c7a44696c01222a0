/**
 * The questions asked of the public registry, and what the answers mean: which versions of an
 * internal name anyone can install from there, and whether a published workspace name is ours.
 */
import semver from 'semver';
import type { Packument } from '../../registry/types.ts';
import { normalizeRepository } from './workspaces.ts';

/** The highest valid version the public registry lists, or undefined when it lists none. */
export function highestVersion(packument: Packument): string | undefined {
  const versions = Object.keys(packument.versions).filter((version) => semver.valid(version) !== null);
  return versions.length === 0 ? undefined : semver.rsort(versions)[0];
}

/** True when `candidate` is a valid version above `locked` (an invalid locked version compares as nothing). */
export function isAbove(candidate: string | undefined, locked: string): boolean {
  return candidate !== undefined && semver.valid(locked) !== null && semver.gt(candidate, locked);
}

/**
 * The public package is the workspace's own when it lists the workspace's version (published
 * from here) or names the same repository. An unpublished bump with no `repository` in either
 * reads as foreign: the README says so.
 */
export function isOwnPublication(packument: Packument, version: string | undefined, repository: string | undefined): boolean {
  if (version !== undefined && Object.hasOwn(packument.versions, version)) return true;
  if (repository === undefined) return false;
  const own = normalizeRepository(repository);
  const published = publishedRepository(packument);
  return own !== undefined && published !== undefined && normalizeRepository(published) === own;
}

function publishedRepository(packument: Packument): string | undefined {
  // Only full packuments carry `repository`, and it comes from the network: test every step.
  const value: unknown = (packument as unknown as Record<string, unknown>)['repository'];
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const url = (value as Record<string, unknown>)['url'];
    if (typeof url === 'string') return url;
  }
  return undefined;
}
