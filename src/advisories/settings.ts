/**
 * The `advisories` section of pkgguard's configuration with its defaults applied. The loader has
 * validated it with the config schema; this only fills in defaults and resolves paths.
 */
import path from 'node:path';
import type { CheckServices } from '../core/services.ts';
import type { AdvisorySettings, AdvisorySourceId } from './types.ts';

export const DEFAULT_OSV_URL = 'https://api.osv.dev/';
/** OSV's export of every npm record, refreshed by OSV continuously. */
export const DEFAULT_DB_URL = 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip';
export const DEFAULT_SOURCES: readonly AdvisorySourceId[] = ['osv'];
export const DEFAULT_MAX_DB_AGE_DAYS = 7;
export const DEFAULT_CACHE_MINUTES = 60;

/** Where `pkgguard db update` keeps the export, and where audits look for it when no `db` is set. */
export function downloadedDbPath(cacheDir: string): string {
  return path.join(cacheDir, 'advisories', 'npm-all.zip');
}

export interface ResolvedAdvisorySettings {
  readonly sources: readonly AdvisorySourceId[];
  readonly osvUrl: string;
  /** Absolute path of the configured database (`--advisory-db` or `advisories.db`), if any. */
  readonly db?: string | undefined;
  readonly maxDbAgeDays: number;
  readonly cacheMinutes: number;
}

export function resolveAdvisorySettings(services: CheckServices): ResolvedAdvisorySettings {
  const settings = (services.settings['advisories'] ?? {}) as AdvisorySettings;
  return {
    sources: settings.sources && settings.sources.length > 0 ? [...new Set(settings.sources)] : DEFAULT_SOURCES,
    osvUrl: settings.osvUrl ?? DEFAULT_OSV_URL,
    db: settings.db === undefined ? undefined : path.resolve(services.projectDir, settings.db),
    maxDbAgeDays: settings.maxDbAgeDays ?? DEFAULT_MAX_DB_AGE_DAYS,
    cacheMinutes: settings.cacheMinutes ?? DEFAULT_CACHE_MINUTES,
  };
}
