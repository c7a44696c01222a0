/**
 * `pkgguard db update` and `pkgguard db status`: the offline advisory database that `audit
 * --offline` (and a failing network source) falls back to. Exit codes: 0 done; 3 no database
 * (status); 4 the download failed; 2 bad usage.
 */
import os from 'node:os';
import path from 'node:path';
import { ExitCode } from '../../core/errors.ts';
import type { Logger } from '../../core/check.ts';
import { sanitize } from '../../reporters/sanitize.ts';
import type { CliIO } from '../io.ts';

interface DbFlags {
  readonly url?: string | undefined;
  readonly advisoryDb?: string | undefined;
  readonly json?: boolean | undefined;
  readonly debug?: boolean | undefined;
}

async function cacheDirOf(io: CliIO): Promise<string> {
  const { resolveCacheDir } = await import('../../registry/cache-dir.ts');
  return resolveCacheDir({ env: io.env, homedir: os.homedir(), platform: io.platform ?? process.platform });
}

function logger(io: CliIO, flags: DbFlags): Logger {
  return {
    debug: (message) => {
      if (flags.debug) io.stderr.write(`pkgguard debug: ${sanitize(message)}\n`);
    },
    warn: (message) => io.stderr.write(`pkgguard warning: ${sanitize(message)}\n`),
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function day(timestamp: string | undefined): string {
  return timestamp === undefined ? 'unknown' : timestamp.slice(0, 10);
}

export async function runDbUpdate(raw: Record<string, unknown>, io: CliIO): Promise<number> {
  const flags = raw as DbFlags;
  const { updateDatabase } = await import('../../advisories/db/download.ts');
  const { DEFAULT_DB_URL } = await import('../../advisories/settings.ts');
  const log = logger(io, flags);
  const url = flags.url ?? DEFAULT_DB_URL;
  if (!flags.json) io.stderr.write(`pkgguard: checking ${sanitize(url)}\n`);
  const result = await updateDatabase({ url, cacheDir: await cacheDirOf(io), now: new Date(), signal: new AbortController().signal, log });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ schemaVersion: 1, path: result.path, changed: result.changed, download: result.meta, index: result.index }, null, 2)}\n`);
    return ExitCode.Ok;
  }
  const { index } = result;
  io.stdout.write(
    [
      result.changed ? `downloaded ${megabytes(result.meta.size)} to ${result.path}` : `up to date: ${result.path} has not changed since ${day(result.meta.downloadedAt)}`,
      `  ${index.npmRecords.toLocaleString('en-US')} npm records (${index.withdrawn.toLocaleString('en-US')} withdrawn), newest ${day(index.newestModified)}`,
      '',
    ].join('\n'),
  );
  return ExitCode.Ok;
}

export async function runDbStatus(raw: Record<string, unknown>, io: CliIO): Promise<number> {
  const flags = raw as DbFlags;
  const { databaseStatus } = await import('../../advisories/db/status.ts');
  const log = logger(io, flags);
  const status = await databaseStatus({
    cacheDir: await cacheDirOf(io),
    db: flags.advisoryDb === undefined ? undefined : path.resolve(io.cwd, flags.advisoryDb),
    now: new Date(),
    onBuild: (source) => log.warn(`indexing the advisory database ${source} (once per version of it)`),
  });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ schemaVersion: 1, database: status ?? null }, null, 2)}\n`);
    return status ? ExitCode.Ok : ExitCode.Input;
  }
  if (!status) {
    io.stdout.write('no offline advisory database: run `pkgguard db update` (or pass --advisory-db <dir|all.zip>)\n');
    return ExitCode.Input;
  }
  const { index } = status;
  const lines = [
    `advisory database: ${sanitize(status.path)} (${status.kind === 'zip' ? 'zip' : 'directory'})`,
    `  records: ${index.npmRecords.toLocaleString('en-US')} npm records, ${index.withdrawn.toLocaleString('en-US')} withdrawn${index.invalid > 0 ? `, ${index.invalid} unreadable files` : ''}`,
    `  newest record: ${day(index.newestModified)}${status.ageDays === undefined ? '' : ` (${status.ageDays} ${status.ageDays === 1 ? 'day' : 'days'} old)`}`,
  ];
  if (status.download) lines.push(`  downloaded: ${status.download.downloadedAt} from ${sanitize(status.download.url)}, last checked ${status.download.checkedAt}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.Ok;
}
