/**
 * OSV's querybatch answers per `name@version` (the ids and `modified` times of the records that
 * affect it), kept for a short while: a second audit of the same lockfile soon after the first —
 * the CI re-run, the developer fixing one finding — then asks OSV nothing at all. The price is
 * that an advisory published within the window is seen on the next run after it, so the window
 * is short (`advisories.cacheMinutes`, default 60; 0 turns it off).
 *
 * One JSON file, read once per audit and written once, atomically; a damaged file is ignored.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface CachedVulnRef {
  readonly id: string;
  readonly modified: string;
}

interface Entry {
  /** Milliseconds since the epoch when OSV answered. */
  readonly at: number;
  readonly vulns: readonly CachedVulnRef[];
}

export class BatchCache {
  readonly #file: string;
  readonly #maxAgeMs: number;
  readonly #now: number;
  #entries: Map<string, Entry> | undefined;
  #dirty = false;

  constructor(cacheDir: string, baseUrl: string, maxAgeMs: number, now: number) {
    // One file per OSV instance: answers of a mirror or a test server never mix with OSV's.
    const instance = Buffer.from(baseUrl).toString('base64url').slice(0, 80);
    this.#file = path.join(cacheDir, 'advisories', `osv-batch-${instance}.json`);
    this.#maxAgeMs = maxAgeMs;
    this.#now = now;
  }

  async #load(): Promise<Map<string, Entry>> {
    if (this.#entries) return this.#entries;
    this.#entries = new Map();
    if (this.#maxAgeMs <= 0) return this.#entries;
    try {
      const stored = JSON.parse(await readFile(this.#file, 'utf8')) as unknown;
      for (const [key, value] of Object.entries((stored as Record<string, unknown> | null) ?? {})) {
        const entry = value as Partial<Entry> | null;
        if (typeof entry?.at === 'number' && Array.isArray(entry.vulns) && this.#now - entry.at < this.#maxAgeMs) {
          this.#entries.set(key, { at: entry.at, vulns: entry.vulns.filter(isRef) });
        }
      }
    } catch {
      // Missing or damaged: every query goes to OSV.
    }
    return this.#entries;
  }

  /** The cached answer for `key` (`name@version`) while it is fresh. */
  async get(key: string): Promise<readonly CachedVulnRef[] | undefined> {
    return (await this.#load()).get(key)?.vulns;
  }

  async set(key: string, vulns: readonly CachedVulnRef[]): Promise<void> {
    if (this.#maxAgeMs <= 0) return;
    (await this.#load()).set(key, { at: this.#now, vulns });
    this.#dirty = true;
  }

  /** Writes the fresh entries (expired ones are dropped); a cache that cannot be written is no error. */
  async save(): Promise<void> {
    if (!this.#dirty || !this.#entries) return;
    try {
      await mkdir(path.dirname(this.#file), { recursive: true });
      const temporary = `${this.#file}.${randomUUID()}.tmp`;
      await writeFile(temporary, JSON.stringify(Object.fromEntries(this.#entries)));
      await rename(temporary, this.#file);
      this.#dirty = false;
    } catch {
      // Read-only cache dir: the next run asks OSV again, which is correct, only slower.
    }
  }
}

function isRef(value: unknown): value is CachedVulnRef {
  const ref = value as Partial<CachedVulnRef> | null;
  return typeof ref?.id === 'string' && typeof ref.modified === 'string';
}
