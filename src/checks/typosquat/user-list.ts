/**
 * Parses a user's popular-name list (`typosquat.popularList`). The config loader reads the
 * file; this only interprets its text, so the check stays free of I/O.
 *
 * Accepted forms: a JSON array of names or of `{ "name": ..., "downloads": ... }` objects, or
 * plain text with one `name [monthly-downloads]` per line (`#` starts a comment). A name
 * without a count is protected unconditionally, like `typosquat.protect`.
 */
import type { PopularEntry } from './popular-index.ts';

export interface ParsedUserList {
  readonly entries: PopularEntry[];
  /** One message per rejected line or element, with its 1-based position. */
  readonly errors: string[];
}

const NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[\w.~-]+$/i;

export function parseUserList(text: string): ParsedUserList {
  return /^\s*[[{]/.test(text) ? parseJsonList(text) : parseTextList(text);
}

function parseTextList(text: string): ParsedUserList {
  const entries: PopularEntry[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const [name = '', count, ...rest] = line.split(/\s+/);
    const downloads = count === undefined ? Infinity : Number(count);
    if (!NAME.test(name) || rest.length > 0 || !(downloads >= 0)) {
      errors.push(`line ${i + 1}: expected "<package name> [monthly downloads]", got "${line.slice(0, 80)}"`);
      return;
    }
    entries.push({ name, downloads });
  });
  return { entries, errors };
}

function parseJsonList(text: string): ParsedUserList {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { entries: [], errors: [`invalid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (!Array.isArray(value)) return { entries: [], errors: ['expected a JSON array'] };
  const entries: PopularEntry[] = [];
  const errors: string[] = [];
  value.forEach((item: unknown, i) => {
    const entry = toEntry(item);
    if (entry) entries.push(entry);
    else errors.push(`element ${i + 1}: expected a package name or { "name": string, "downloads": number }`);
  });
  return { entries, errors };
}

function toEntry(item: unknown): PopularEntry | undefined {
  if (typeof item === 'string') return NAME.test(item) ? { name: item, downloads: Infinity } : undefined;
  if (typeof item !== 'object' || item === null) return undefined;
  const { name, downloads } = item as { name?: unknown; downloads?: unknown };
  if (typeof name !== 'string' || !NAME.test(name)) return undefined;
  if (downloads === undefined) return { name, downloads: Infinity };
  return typeof downloads === 'number' && downloads >= 0 ? { name, downloads } : undefined;
}
