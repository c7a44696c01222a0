/**
 * bun.lock is JSON with trailing commas, and bun's reader accepts `//` and `/* *\/` comments
 * too. One pass over the text does two jobs:
 *
 * - it blanks every comment and every trailing comma to spaces, which turns the text into
 *   strict JSON of the same length with the same line breaks, so `JSON.parse` (native, and the
 *   judge of validity) can read it and every offset and position stays that of the original;
 * - it records where the keys pkgguard reports are: the top-level keys and the keys of the
 *   top-level `workspaces` and `packages` objects, as 1-based line and column (the column of
 *   the key's opening quote, in UTF-16 code units, as in locate/json.ts).
 *
 * Measured on a 2,658-entry bun.lock (650 kB): this pass plus `JSON.parse` takes less time than
 * `jsonc-parser` or `json5` need for the parse alone (numbers in src/lockfiles/bun.ts).
 *
 * The pass never throws and never loops on malformed text: it stops at an unterminated string
 * or comment and leaves the judgement to `JSON.parse`. Strings are skipped with indexOf;
 * whatever they hold (brackets, commas, comment-like `//` in URLs) is never touched.
 */
import type { TextPosition } from './position.ts';

export interface BunLockScan {
  /** The text with comments and trailing commas turned into spaces: strict JSON if the input was valid. */
  readonly json: string;
  /** Keys of the top-level object. */
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  /** Keys of the top-level `workspaces` object (workspace paths, "" for the root). */
  readonly workspaces: ReadonlyMap<string, TextPosition>;
  /** Keys of the top-level `packages` object (bun's package paths). */
  readonly packages: ReadonlyMap<string, TextPosition>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Which map an object's keys go to. */
const RECORD_NONE = 0;
const RECORD_TOP = 1;
const RECORD_WORKSPACES = 2;
const RECORD_PACKAGES = 3;

export function scanBunLock(text: string): BunLockScan {
  const end = text.length;
  const maps = [undefined, new Map<string, TextPosition>(), new Map<string, TextPosition>(), new Map<string, TextPosition>()] as const;
  /** [start, end) ranges to blank, in text order. */
  const blanks: number[] = [];
  /** Per open container: RECORD_* for objects, -1 for arrays. */
  const stack: number[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let expectKey = false;
  /** True right after a value: only a comma there can be a trailing one (never in `[,]` or `[1,,]`). */
  let afterValue = false;
  /** A comma that followed a value, while only whitespace and comments followed it. */
  let pendingComma = -1;
  /** The key being read in the top-level object: it decides what its object value records. */
  let topKey: string | undefined;

  /** Counts the line breaks in [from, to), as positionAt does (\n, \r\n, lone \r). */
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === NEWLINE || (c === RETURN && text.charCodeAt(k + 1) !== NEWLINE)) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
    } else if (c === NEWLINE || c === RETURN) {
      if (c === NEWLINE || text.charCodeAt(i + 1) !== NEWLINE) {
        line++;
        lineStart = i + 1;
      }
      i++;
    } else if (c === QUOTE) {
      const close = closingQuote(text, i + 1);
      if (close === -1) break; // unterminated: JSON.parse will say where
      const frame = stack.length > 0 ? stack[stack.length - 1]! : RECORD_NONE;
      if (expectKey && frame > RECORD_NONE) {
        const key = decodeString(text, i, close + 1);
        const map = maps[frame as 1 | 2 | 3];
        // A repeated key keeps its first position, as in locate/json.ts.
        if (!map.has(key)) map.set(key, { line, column: i - lineStart + 1 });
        if (frame === RECORD_TOP) topKey = key;
      }
      afterValue = !(expectKey && frame >= RECORD_NONE);
      expectKey = false;
      pendingComma = -1;
      i = close + 1;
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      let stop = i + 2;
      while (stop < end && text.charCodeAt(stop) !== NEWLINE && text.charCodeAt(stop) !== RETURN) stop++;
      blanks.push(i, stop);
      i = stop;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) break; // unterminated comment: left for JSON.parse to reject
      blanks.push(i, close + 2);
      countLines(i, close + 2);
      i = close + 2;
    } else if (c === COMMA) {
      pendingComma = afterValue ? i : -1;
      afterValue = false;
      expectKey = stack.length > 0 && stack[stack.length - 1]! >= RECORD_NONE;
      i++;
    } else if (c === OPEN_BRACE) {
      const depth = stack.length;
      const parent = depth > 0 ? stack[depth - 1]! : RECORD_NONE;
      stack.push(
        depth === 0
          ? RECORD_TOP
          : parent === RECORD_TOP && depth === 1 && topKey === 'workspaces'
            ? RECORD_WORKSPACES
            : parent === RECORD_TOP && depth === 1 && topKey === 'packages'
              ? RECORD_PACKAGES
              : RECORD_NONE,
      );
      expectKey = true;
      afterValue = false;
      pendingComma = -1;
      i++;
    } else if (c === OPEN_BRACKET) {
      stack.push(-1);
      expectKey = false;
      afterValue = false;
      pendingComma = -1;
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (pendingComma !== -1) blanks.push(pendingComma, pendingComma + 1);
      pendingComma = -1;
      stack.pop();
      expectKey = false;
      afterValue = true;
      i++;
    } else {
      // A colon, or a number, a literal or a stray character (which JSON.parse judges).
      if (c === COLON) expectKey = false;
      afterValue = c !== COLON;
      pendingComma = -1;
      i++;
    }
  }

  return {
    json: blanks.length === 0 ? text : blank(text, blanks),
    topLevel: maps[RECORD_TOP],
    workspaces: maps[RECORD_WORKSPACES],
    packages: maps[RECORD_PACKAGES],
  };
}

/** Offset of the quote closing the string that starts at `from`, or -1 when there is none. */
function closingQuote(text: string, from: number): number {
  let at = from;
  for (;;) {
    const close = text.indexOf('"', at);
    if (close === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    at = close + 1;
  }
}

/** The string between `start` and `end` (quotes included); JSON.parse only when it holds escapes. */
function decodeString(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return raw; // a broken escape: JSON.parse rejects the whole text anyway
  }
}

/** The text with the given ranges turned into spaces, keeping their line breaks. */
function blank(text: string, ranges: readonly number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const start = ranges[k]!;
    const stop = ranges[k + 1]!;
    parts.push(text.slice(from, start));
    parts.push(stop - start === 1 ? ' ' : text.slice(start, stop).replace(/[^\r\n]/g, ' '));
    from = stop;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
