/**
 * Positions of keys in a block-style YAML lockfile (pnpm-lock.yaml), found in one pass over
 * the lines, without parsing values.
 *
 * Model: a lockfile is a top-level mapping whose sections (`importers`, `packages`,
 * `snapshots`) map keys to entries. The index records where each top-level key starts and,
 * for the sections asked for, where each key of the section's own mapping starts: the first
 * line indented under the section key fixes that mapping's indentation, and every later line
 * at exactly that indentation holds one of its keys. Deeper lines (the entries' contents) are
 * skipped after a look at their first character.
 *
 * Keys are decoded as YAML writes them: plain, 'single-quoted' ('' for a quote) or
 * "double-quoted" (JSON escapes). Only the last document counts, since in a multi-document
 * lockfile the last one is the lockfile proper. Lines end at `\n` or `\r\n`; columns count
 * UTF-16 code units (position.ts). A key the index does not find (flow style, explicit `? `
 * keys) simply has no position: callers fall back to the section's own.
 */
import type { TextPosition } from './position.ts';

export interface YamlKeyIndex {
  /** Keys of the top-level mapping of the last document. */
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  /** Keys of each requested section's mapping, by section name. */
  readonly sections: ReadonlyMap<string, SectionKeys>;
}

/**
 * The keys of one section's mapping: they all sit at one column, so each key keeps only its
 * line (a number, where an object per key would be thousands of allocations to build and
 * for the collector to copy); `positionOf` makes the TextPosition of the one asked for.
 */
export class SectionKeys {
  /** The 1-based column of the keys; 0 while there are none. */
  column = 0;
  readonly lines = new Map<string, number>();

  /** Records a key's position unless the key was recorded before (the first occurrence counts). */
  add(key: string, line: number, column: number): void {
    if (this.lines.has(key)) return;
    this.column = column;
    this.lines.set(key, line);
  }

  positionOf(key: string): TextPosition | undefined {
    const line = this.lines.get(key);
    return line === undefined ? undefined : { line, column: this.column };
  }
}

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const RETURN = 0x0d;

/** Indexes the top-level keys of `text` and the keys of the named sections, in one pass. */
export function indexYamlKeys(text: string, sectionNames: readonly string[]): YamlKeyIndex {
  const wanted = new Set(sectionNames);
  let topLevel = new Map<string, TextPosition>();
  let sections = new Map<string, SectionKeys>();
  /** A `---` was seen: the next top-level key starts a new document and a new index. */
  let newDocument = false;
  let section: SectionKeys | undefined;
  let sectionIndent = -1;

  let line = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    line++;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === RETURN ? lineEnd - 1 : lineEnd;
    let indent = lineStart;
    while (indent < contentEnd && text.charCodeAt(indent) === SPACE) indent++;
    const first = text.charCodeAt(indent);
    if (indent < contentEnd && first !== HASH) {
      const column = indent - lineStart;
      if (column === 0) {
        if (first === DASH && text.startsWith('---', indent) && isMarkerEnd(text.charCodeAt(indent + 3))) {
          newDocument = true;
          section = undefined;
        } else {
          const key = keyAt(text, indent, contentEnd);
          if (key !== undefined) {
            if (newDocument) {
              topLevel = new Map();
              sections = new Map();
              newDocument = false;
            }
            if (!topLevel.has(key)) topLevel.set(key, { line, column: 1 });
            section = wanted.has(key) && !sections.has(key) ? new SectionKeys() : undefined;
            if (section) sections.set(key, section);
            sectionIndent = -1;
          } else {
            section = undefined;
          }
        }
      } else if (section) {
        if (sectionIndent === -1) sectionIndent = column;
        if (column === sectionIndent) {
          const key = keyAt(text, indent, contentEnd);
          if (key !== undefined) section.add(key, line, column + 1);
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  return { topLevel, sections };
}

/** `---` ends a document only when followed by the line end or a space. */
function isMarkerEnd(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === RETURN || c === 0x0a;
}

/** The mapping key that starts at `start` on a line ending at `end`; undefined when the line holds none. */
export function keyAt(text: string, start: number, end: number): string | undefined {
  const first = text.charCodeAt(start);
  if (first === 0x27 /* ' */) {
    let value = '';
    let from = start + 1;
    for (;;) {
      const quote = text.indexOf("'", from);
      if (quote === -1 || quote >= end) return undefined;
      value += text.slice(from, quote);
      if (text.charCodeAt(quote + 1) !== 0x27) return text.charCodeAt(quote + 1) === 0x3a ? value : undefined;
      value += "'";
      from = quote + 2;
    }
  }
  if (first === 0x22 /* " */) {
    let i = start + 1;
    while (i < end && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    if (i >= end || text.charCodeAt(i + 1) !== 0x3a) return undefined;
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      return undefined; // a YAML-only escape: leave the key without a position
    }
  }
  // Sequence items, explicit keys and flow collections hold no key this index records.
  if (first === DASH || first === 0x3f /* ? */ || first === 0x7b /* { */ || first === 0x5b /* [ */) return undefined;
  let colon = text.indexOf(':', start);
  while (colon !== -1 && colon < end && colon + 1 < end && text.charCodeAt(colon + 1) !== SPACE) colon = text.indexOf(':', colon + 1);
  if (colon === -1 || colon >= end) return undefined;
  return text.slice(start, colon).trimEnd();
}
