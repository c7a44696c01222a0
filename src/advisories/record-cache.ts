/**
 * Full OSV records fetched from the API, kept on disk by id and `modified`: a record is asked for
 * again only when OSV reports a newer `modified` for it, so a warm audit fetches no records.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Ids come from the network: only OSV's id alphabet may become a file name. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export function isSafeRecordId(id: string): boolean {
  return SAFE_ID.test(id) && !id.includes('..') && id.length <= 200;
}

export class RecordCache {
  readonly #dir: string;

  constructor(cacheDir: string) {
    this.#dir = path.join(cacheDir, 'advisories', 'osv-records');
  }

  #file(id: string): string {
    return path.join(this.#dir, `${id.replaceAll(':', '_')}.json`);
  }

  /** The cached record's JSON when its `modified` is exactly `modified`. */
  async get(id: string, modified: string): Promise<unknown> {
    if (!isSafeRecordId(id)) return undefined;
    try {
      const cached = JSON.parse(await readFile(this.#file(id), 'utf8')) as unknown;
      const cachedModified = (cached as { modified?: unknown } | null)?.modified;
      return cachedModified === modified ? cached : undefined;
    } catch {
      // Missing, unreadable or torn: fetch it again.
      return undefined;
    }
  }

  async put(id: string, record: unknown): Promise<void> {
    if (!isSafeRecordId(id)) return;
    await mkdir(this.#dir, { recursive: true });
    const file = this.#file(id);
    // Write-then-rename: a concurrent audit never reads half a record.
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(record));
    await rename(temporary, file);
  }
}
