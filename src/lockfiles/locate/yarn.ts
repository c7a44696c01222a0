/**
 * Entry headers of a yarn.lock, classic or Berry, found by one scan over the lines.
 *
 * Both formats start every entry at column 1 with its descriptors and a colon:
 * classic writes `debug@^2.6.9:`, `wrappy@1, wrappy@1.0.2:` or `"@s/a@^1", "@s/a@^1.2":`;
 * Berry writes one quoted list, `"str@npm:string-width@4.2.3, string-width@npm:^4.2.0":`,
 * and, for a key longer than 1,024 characters, YAML's explicit form `? "…"` with the colon
 * on the next line. Everything indented belongs to the entry above it.
 */
import type { TextPosition } from './position.ts';

/** One header: its descriptors, unquoted and split, and where it starts. */
export interface YarnEntryHeader {
  readonly descriptors: readonly string[];
  readonly line: number;
  readonly column: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const COMMA = 0x2c;
const QUESTION = 0x3f;
const RETURN = 0x0d;

/**
 * The descriptors of a header line with its trailing colon already removed, or undefined when
 * a quoted part is not closed. Each comma-separated part may be quoted (JSON escapes for
 * double quotes, YAML's doubled apostrophe for single quotes); a quoted part may itself hold
 * a comma-separated list, as Berry writes them.
 */
export function splitHeader(header: string): string[] | undefined {
  // Fast paths for the common headers: one bare descriptor, or one quoted without escapes.
  if (!header.includes(',')) {
    const first = header.charCodeAt(0);
    if (first !== QUOTE && first !== APOSTROPHE && first !== SPACE && first !== TAB) {
      const trimmed = header.trimEnd();
      return trimmed === '' ? [] : [trimmed];
    }
    if (first === QUOTE && header.length > 1 && header.indexOf('"', 1) === header.length - 1 && !header.includes('\\')) {
      return header.length === 2 ? [] : [header.slice(1, -1)];
    }
  }
  const descriptors: string[] = [];
  let i = 0;
  const end = header.length;
  while (i < end) {
    while (i < end && (header.charCodeAt(i) === SPACE || header.charCodeAt(i) === TAB)) i++;
    if (i >= end) break;
    const first = header.charCodeAt(i);
    let part: string;
    if (first === QUOTE || first === APOSTROPHE) {
      const close = closingQuote(header, i);
      if (close === -1) return undefined;
      const raw = header.slice(i, close + 1);
      const unquoted = first === QUOTE ? unquoteDouble(raw) : raw.slice(1, -1).replaceAll("''", "'");
      if (unquoted === undefined) return undefined;
      part = unquoted;
      i = close + 1;
      while (i < end && header.charCodeAt(i) !== COMMA) i++;
    } else {
      const comma = header.indexOf(',', i);
      const stop = comma === -1 ? end : comma;
      part = header.slice(i, stop).trimEnd();
      i = stop;
    }
    i++; // the comma
    if (part.includes(',')) {
      for (const piece of part.split(',')) {
        const trimmed = piece.trim();
        if (trimmed !== '') descriptors.push(trimmed);
      }
    } else if (part !== '') {
      descriptors.push(part);
    }
  }
  return descriptors;
}

/** Index of the quote closing the one at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote === QUOTE && c === 0x5c) {
      i++; // skip the escaped character
    } else if (c === quote) {
      if (quote === APOSTROPHE && text.charCodeAt(i + 1) === APOSTROPHE) {
        i++; // '' is an apostrophe inside single quotes
      } else {
        return i;
      }
    }
  }
  return -1;
}

/** A double-quoted string's value; JSON.parse only when there is an escape to decode. */
export function unquoteDouble(raw: string): string | undefined {
  if (!raw.includes('\\')) return raw.slice(1, -1);
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * End of the key on a header line: the first colon outside quotes that ends the line or is
 * followed by a space (`a@1:`, `"a@1", "a@2":`, `"a@npm:1": value`); -1 when there is none.
 */
function headerColon(text: string, start: number, end: number): number {
  let quote = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (quote === QUOTE && c === 0x5c) i++;
      else if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) {
      quote = c;
    } else if (c === 0x3a) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : SPACE;
      if (next === SPACE || next === TAB || next === RETURN) return i;
    }
  }
  return -1;
}

/**
 * Every entry header in the text, in order. Lines at column 1 that are not comments and hold
 * a key and a colon are headers (`__metadata:` included); `? key` lines are Berry's long keys.
 * Headers whose quoting is broken are left out: the parser reports those.
 */
export function scanEntryHeaders(text: string): YarnEntryHeader[] {
  const headers: YarnEntryHeader[] = [];
  // The regex engine finds the unindented lines (a small share of a lockfile) natively; lines
  // are counted by jumping from newline to newline with indexOf.
  const unindented = /^[^ \t#\r\n][^\n]*/gm;
  let line = 1;
  let counted = 0;
  for (let match = unindented.exec(text); match !== null; match = unindented.exec(text)) {
    const start = match.index;
    // `^` also matches after a lone \r or U+2028 in the middle of a line: only \n starts one here.
    if (start > 0 && text.charCodeAt(start - 1) !== 0x0a) continue;
    for (let newline = text.indexOf('\n', counted); newline !== -1 && newline < start; newline = text.indexOf('\n', newline + 1)) {
      line++;
      counted = newline + 1;
    }
    const end = start + match[0].length;
    let descriptors: string[] | undefined;
    if (text.charCodeAt(start) === QUESTION && text.charCodeAt(start + 1) === SPACE) {
      descriptors = splitHeader(text.slice(start + 2, end).trim());
    } else {
      const colon = headerColon(text, start, end);
      if (colon !== -1) descriptors = splitHeader(text.slice(start, colon));
    }
    // A lone ":" is the value line of a `? key`, not a header.
    if (descriptors && descriptors.length > 0) headers.push({ descriptors, line, column: 1 });
  }
  return headers;
}

/** Position of every descriptor's entry header, from one scan: the lockfile's position index. */
export function indexEntryHeaders(text: string): Map<string, TextPosition> {
  const index = new Map<string, TextPosition>();
  for (const header of scanEntryHeaders(text)) {
    const at: TextPosition = { line: header.line, column: header.column };
    for (const descriptor of header.descriptors) if (!index.has(descriptor)) index.set(descriptor, at);
  }
  return index;
}
