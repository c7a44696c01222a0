/**
 * Which advisory sources can answer at all, decided before anything is asked: where the offline
 * database is, and the error for "nobody to ask". Separate from lookup.ts so the offline check
 * ("is there a database?") does not load the lookup machinery and semver.
 */
import { statSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import { NoAdvisorySourceError } from './errors.ts';
import { downloadedDbPath, type ResolvedAdvisorySettings, resolveAdvisorySettings } from './settings.ts';
import type { AdvisoryLookupRequest } from './types.ts';

export interface DbLocation {
  readonly path: string;
  /** Named by --advisory-db or `advisories.db` (a missing file is then the user's error). */
  readonly explicit: boolean;
}

/**
 * One stat, synchronous: an offline audit without a database asks this once per audit before
 * skipping two checks, and a trip through the thread pool cost more than the answer.
 */
function exists(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

export function locateDb(settings: ResolvedAdvisorySettings, cacheDir: string): DbLocation | undefined {
  if (settings.db !== undefined) {
    if (!exists(settings.db)) {
      throw new ConfigError(`advisory database ${settings.db} does not exist`, {
        hints: ['pass a directory of OSV JSON files or OSV\'s npm all.zip, or run `pkgguard db update` and drop --advisory-db'],
      });
    }
    return { path: settings.db, explicit: true };
  }
  const downloaded = downloadedDbPath(cacheDir);
  return exists(downloaded) ? { path: downloaded, explicit: false } : undefined;
}

export function noDatabase(why: string): NoAdvisorySourceError {
  return new NoAdvisorySourceError(`no offline advisory database, and ${why}`, {
    hints: ['run `pkgguard db update` once while online, or pass --advisory-db <dir|all.zip>'],
  });
}

/**
 * Throws what `lookup` would throw for want of any source (offline without a database, or a
 * configured database that is missing) before the caller collects thousands of queries for it.
 */
export function assertSourceAvailable(request: Pick<AdvisoryLookupRequest, 'services' | 'offline'>): void {
  if (!request.offline) return;
  const db = locateDb(resolveAdvisorySettings(request.services), request.services.cacheDir);
  if (!db) throw noDatabase('pkgguard is offline');
}
