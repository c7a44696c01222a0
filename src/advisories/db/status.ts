/** `pkgguard db status`: which offline database an audit would use, how old and how large it is. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { downloadedDbPath } from '../settings.ts';
import { type DbIndexInfo, openDbIndex } from './db-index.ts';
import { type DownloadMeta, readDownloadMeta } from './download.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DatabaseStatus {
  readonly path: string;
  readonly kind: 'zip' | 'dir';
  /** Set for the database `pkgguard db update` manages. */
  readonly download?: DownloadMeta | undefined;
  readonly index: DbIndexInfo;
  /** Whole days since the newest record's `modified`; undefined without dated records. */
  readonly ageDays?: number | undefined;
}

export interface StatusOptions {
  readonly cacheDir: string;
  /** `--advisory-db`; default the downloaded database. */
  readonly db?: string | undefined;
  readonly now: Date;
  readonly onBuild?: ((source: string) => void) | undefined;
}

/** Undefined when there is no database at all (nothing downloaded, none named). */
export async function databaseStatus(options: StatusOptions): Promise<DatabaseStatus | undefined> {
  const source = options.db === undefined ? downloadedDbPath(options.cacheDir) : path.resolve(options.db);
  try {
    await stat(source);
  } catch {
    if (options.db === undefined) return undefined;
    throw new ConfigError(`advisory database ${source} does not exist`);
  }
  const index = await openDbIndex(source, { cacheDir: options.cacheDir, now: options.now, onBuild: options.onBuild });
  const newest = index.info.newestModified === undefined ? Number.NaN : Date.parse(index.info.newestModified);
  return {
    path: source,
    kind: index.info.source.kind,
    download: options.db === undefined ? await readDownloadMeta(options.cacheDir) : undefined,
    index: index.info,
    ageDays: Number.isNaN(newest) ? undefined : Math.floor((options.now.getTime() - newest) / DAY_MS),
  };
}
