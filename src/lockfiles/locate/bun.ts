/**
 * bun.lock is JSON with trailing commas, and bun's reader accepts `//` and `/* *\/` comments
 * too. Two ways in, both keeping every offset and line break of the file, so a position in
 * the JSON that `JSON.parse` reads is a position in the file:
 *
 * - The fast path, for the files bun writes (no comments): `stripTrailingCommas` blanks the
 *   trailing commas with one native regex, and `locateBunKeys` finds the reported keys in the
 *   JSON that `JSON.parse` accepted, skipping each value with one native regex match.
 *   Measured cold (a fresh process each, after JSON.parse, 2-core machine under load) on the
 *   2,658-entry bench lockfile (650 kB): the walk 5-11 ms, `scanBunLock` 11-18 ms.
 * - The careful path, when `JSON.parse` refuses the fast path's output (comments, or a
 *   malformed file): `scanBunLock` walks the text once, blanking every comment and trailing
 *   comma and recording the key positions as it goes. Its output decides what is valid and
 *   where an error is, so malformed files get the same errors whichever path ran first.
 *
 * The keys recorded are the top-level keys and the keys of the top-level `workspaces` and
 * `packages` objects, as 1-based line and column (the column of the key's opening quote, in
 * UTF-16 code units, as in locate/json.ts). Neither walk throws or loops on malformed text.
 * Strings are skipped with indexOf; whatever they hold (brackets, commas, comment-like `//` in
 * URLs) is never touched.
 */
import type { SourceLocation } from '../../core/graph.ts';
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

/** A comma that only whitespace and then a closing bracket follow. */
const TRAILING_COMMA = /,(?=[ \t\r\n]*[}\]])/g;

/**
 * The fast path's JSON: `text` with its trailing commas turned into spaces, by one native
 * regex (bun writes them at line ends, and inside lines after the last item of an inline
 * array: `"cpu": [ "x64", "arm64", ]`). Exact when `JSON.parse` accepts the result, which is
 * then `scanBunLock(text).json` character for character:
 *
 * - JSON strings hold no raw line break, so in an accepted text a line starts outside any
 *   string, and a comma is inside one exactly when an odd number of unescaped quotes precede
 *   it on its line (blanking commas moves no quote). Commas a line break follows are never
 *   inside one; the few others are counted (`StringTracker`) and kept when inside;
 * - a comma is blanked only after a value (not after `[`, `{`, `,` or `:`), as `scanBunLock`
 *   blanks it, so a stray comma stays and JSON.parse still refuses it;
 * - JSON.parse refuses comments and any trailing comma left, so the result has none.
 *
 * When JSON.parse refuses it, `scanBunLock` decides.
 */
export function stripTrailingCommas(text: string): string {
  let strings: StringTracker | undefined;
  return text.replace(TRAILING_COMMA, (comma: string, offset: number) => {
    if (!followsValue(text, offset)) return comma;
    if (endsLine(text, offset + 1)) return ' ';
    return (strings ??= new StringTracker(text)).isInside(offset) ? comma : ' ';
  });
}

/** Whether the last character before `offset` that is not whitespace ends a value, as in `scanBunLock`'s afterValue. */
function followsValue(text: string, offset: number): boolean {
  let k = offset - 1;
  let c = text.charCodeAt(k);
  while (c === SPACE || c === TAB || c === NEWLINE || c === RETURN) c = text.charCodeAt(--k);
  return k >= 0 && c !== COMMA && c !== OPEN_BRACKET && c !== OPEN_BRACE && c !== COLON;
}

/** Whether only spaces and tabs stand between `offset` and a line break. */
function endsLine(text: string, offset: number): boolean {
  let c = text.charCodeAt(offset);
  while (c === SPACE || c === TAB) c = text.charCodeAt(++offset);
  return c === NEWLINE || c === RETURN;
}

/**
 * Whether offsets, asked in increasing order, are inside a string of their line (see
 * `stripTrailingCommas`). Each search resumes where the last one stopped and the next quote
 * and line breaks are remembered, so all the calls together read the text once, however many
 * commas a hostile line holds.
 */
class StringTracker {
  /** Quotes before this offset, on its line, are counted in `inside`. */
  #scanned = 0;
  #inside = false;
  /** The next quote, line feed and carriage return at or after `#scanned` (-1: none left; -2: not searched yet). */
  #quote = -2;
  #lineFeed = -2;
  #return = -2;

  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  isInside(offset: number): boolean {
    const text = this.#text;
    if (this.#lineFeed !== -1 && this.#lineFeed < this.#scanned) this.#lineFeed = text.indexOf('\n', this.#scanned);
    if (this.#return !== -1 && this.#return < this.#scanned) this.#return = text.indexOf('\r', this.#scanned);
    // A line break since the last count: start again at the beginning of the offset's line.
    const lineFeed = this.#lineFeed !== -1 && this.#lineFeed < offset ? text.lastIndexOf('\n', offset - 1) : -1;
    const carriageReturn = this.#return !== -1 && this.#return < offset ? text.lastIndexOf('\r', offset - 1) : -1;
    if (lineFeed !== -1 || carriageReturn !== -1) {
      this.#scanned = Math.max(lineFeed, carriageReturn) + 1;
      this.#inside = false;
    }
    for (;;) {
      if (this.#quote !== -1 && this.#quote < this.#scanned) this.#quote = text.indexOf('"', this.#scanned);
      if (this.#quote === -1 || this.#quote >= offset) break;
      let k = this.#quote - 1;
      while (text.charCodeAt(k) === BACKSLASH) k--;
      if ((this.#quote - 1 - k) % 2 === 0) this.#inside = !this.#inside;
      this.#scanned = this.#quote + 1;
    }
    this.#scanned = offset;
    return this.#inside;
  }
}

export interface BunKeyIndex {
  /** Keys of the top-level object. */
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  /** Keys of the top-level `workspaces` object. */
  readonly workspaces: ReadonlyMap<string, TextPosition>;
  /**
   * The key of `packages` that `JSON.parse` lists at `index` (for-in order), or undefined when
   * the key at that place in the text is another one. Keys are met in text order, which is
   * the for-in order except for integer-like keys, and a key written with escapes is not
   * compared: the caller then asks `scanBunLock`, which decodes every key.
   */
  packageAt(index: number, key: string): SourceLocation | undefined;
}

/** A JSON string without raw line breaks (valid JSON has none). */
const STRING = String.raw`"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"`;
/** A character that is neither part of a string, a bracket nor a line break. */
const PLAIN = String.raw`[^"[\]{}\n\r]`;

/**
 * An array or object on one line, nested at most five deep (bun's package tuples nest three:
 * tuple, info, dependencies). Brackets are counted, not matched by kind: the text is JSON that
 * JSON.parse accepted. Every alternative starts with its own character, so a failing match
 * backtracks in linear time; a value it cannot match (deeper, or spread over lines) is skipped
 * character by character instead.
 */
const ONE_LINE_CONTAINER = new RegExp(
  Array.from({ length: 4 }).reduce<string>(
    (inner) => String.raw`[\[{](?:${STRING}|${inner}|${PLAIN})*[\]}]`,
    String.raw`[\[{](?:${STRING}|${PLAIN})*[\]}]`,
  ),
  'y',
);

/**
 * Finds the reported keys of `json`, a text that `JSON.parse` accepted (the walk trusts its
 * structure; on anything else it stops early, never loops or throws). Package keys get their
 * graph location (`file`, line, column) right away: one object per package, kept by its node.
 */
export function locateBunKeys(json: string, file: string): BunKeyIndex {
  const end = json.length;
  const topLevel = new Map<string, TextPosition>();
  const workspaces = new Map<string, TextPosition>();
  /** Per package key in text order: where its quotes are, [open, close, open, close, …]. */
  const quotes: number[] = [];
  const locations: SourceLocation[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  /** Skips whitespace, counting lines as positionAt does; returns the character it stops at. */
  const skipSpace = (): number => {
    for (;;) {
      const c = json.charCodeAt(i);
      if (c === SPACE || c === TAB) {
        i++;
      } else if (c === NEWLINE || c === RETURN) {
        i++;
        if (c === NEWLINE || json.charCodeAt(i) !== NEWLINE) {
          line++;
          lineStart = i;
        }
      } else {
        return c;
      }
    }
  };

  /** Skips the value at `i`: a string, a container, or a number or literal. */
  const skipValue = (c: number): void => {
    if (c === QUOTE) {
      const close = closingQuote(json, i + 1);
      i = close === -1 ? end : close + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (matchesOneLine(json, i)) i = ONE_LINE_CONTAINER.lastIndex;
      else skipContainer();
    } else {
      while (i < end && !isScalarEnd(json.charCodeAt(i))) i++;
    }
  };

  /** Skips the container whose opening bracket is at `i`, counting brackets outside strings and lines. */
  const skipContainer = (): void => {
    let depth = 0;
    do {
      const c = skipSpace();
      if (c === QUOTE) {
        const close = closingQuote(json, i + 1);
        i = close === -1 ? end : close + 1;
        continue;
      }
      i++;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    } while (depth > 0 && i < end);
  };

  /** Walks the object whose `{` is at `i`; `record` is RECORD_* for the keys it holds. */
  const walkObject = (record: number): void => {
    i++;
    for (;;) {
      if (skipSpace() !== QUOTE) break; // `}` of an empty object (or of the text's end)
      const open = i;
      const close = closingQuote(json, open + 1);
      if (close === -1) break;
      let key: string | undefined;
      if (record === RECORD_PACKAGES) {
        quotes.push(open, close);
        locations.push({ file, line, column: open - lineStart + 1 });
      } else {
        key = decodeString(json, open, close + 1);
        const map = record === RECORD_TOP ? topLevel : workspaces;
        // A repeated key keeps its first position, as in scanBunLock.
        if (!map.has(key)) map.set(key, { line, column: open - lineStart + 1 });
      }
      i = close + 1;
      skipSpace();
      i++; // the colon
      const c = skipSpace();
      if (record === RECORD_TOP && c === OPEN_BRACE && (key === 'workspaces' || key === 'packages')) {
        walkObject(key === 'workspaces' ? RECORD_WORKSPACES : RECORD_PACKAGES);
      } else {
        skipValue(c);
      }
      if (skipSpace() !== COMMA) break;
      i++;
    }
    i++; // the closing brace
  };

  if (skipSpace() === OPEN_BRACE) walkObject(RECORD_TOP);

  return {
    topLevel,
    workspaces,
    packageAt(index, key) {
      const open = quotes[2 * index];
      if (open === undefined) return undefined;
      // Same length and same characters: the key is written without escapes, exactly as read.
      return quotes[2 * index + 1]! - open - 1 === key.length && json.startsWith(key, open + 1) ? locations[index] : undefined;
    },
  };
}

/** Whether a one-line container starts at `from` (its end is then ONE_LINE_CONTAINER.lastIndex). */
function matchesOneLine(json: string, from: number): boolean {
  ONE_LINE_CONTAINER.lastIndex = from;
  try {
    return ONE_LINE_CONTAINER.test(json);
  } catch {
    return false; // a line too long for the regex engine's backtracking stack: counted by hand
  }
}

/** The end of a number or literal: whitespace, a comma or a closing bracket. */
function isScalarEnd(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === SPACE || c === NEWLINE || c === RETURN || c === TAB;
}
