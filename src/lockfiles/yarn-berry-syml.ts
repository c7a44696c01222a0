/**
 * A fast reader for the YAML that yarn Berry writes to yarn.lock; @yarnpkg/parsers' parseSyml
 * (js-yaml with the failsafe schema and json mode: every scalar a string, an empty value null,
 * a repeated key overwriting the earlier value) remains the parser of record.
 *
 * yarn's stringifySyml writes a narrow style: comment lines at the top, then block mappings
 * indented by two spaces per level, each key plain or double-quoted (JSON.stringify's quoting),
 * each value a plain or double-quoted scalar on the key's line, or nothing and a nested
 * mapping on the lines below. One regular expression first proves that every line has one of
 * those shapes (the regex engine does that character work natively, which matters in a
 * short-lived process where JavaScript runs cold); the loop over the lines then only records,
 * in typed arrays, where each key and value sits (places the shape fixes), its line and its
 * nesting, which a stack of open mappings derives from the indentation (scanBerrySyml). No
 * object or string is made per line: the Berry parser slices only what the graph keeps
 * (yarn-berry-entries.ts), and symlData builds parseSyml's objects from the same lines for
 * the files that parser does not take and for the tests. Building those objects was most of
 * the time this reader took: each property added under a new name is a hidden-class
 * transition, and the collector copied every object while the parse went on.
 *
 * It is not a YAML parser: at anything outside that style (flow collections, sequences,
 * anchors, tags, block or multi-line scalars, explicit `? ` keys, comments after values,
 * tabs, lone CRs, escapes JSON does not share, odd indentation, `__proto__`, control or
 * surrogate characters, yarn 1's header) it returns undefined and the caller hands the whole
 * text to parseSyml, which also judges every syntax error. The contract, held by a
 * differential test over real lockfiles and thousands of damaged ones: whenever readBerrySyml
 * returns data, it deep-equals parseSyml's result for the same text.
 */
import type { TextPosition } from './locate/position.ts';
import { unquoteDouble } from './locate/yarn.ts';

export interface BerrySyml {
  readonly data: Record<string, unknown>;
  /** Each top-level key's descriptors (split at commas, first occurrence wins) → its line, as locate/yarn.ts indexEntryHeaders gives them. */
  readonly index: Map<string, TextPosition>;
}

/** Characters left to parseSyml: controls (tab included; CRLF is dealt with before), YAML's extra line breaks, BOMs, surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

/** parseSyml reads a file with yarn 1's header through yarn 1's grammar instead of js-yaml (the pattern @yarnpkg/parsers tests). */
const LEGACY_HEADER = /^(#.*(\r?\n))*?#\s+yarn\s+lockfile\s+v1\r?\n/i;

/** Deeper nesting than any lockfile has; keeps a hostile file from growing the stack without end. */
const MAX_DEPTH = 64;

/**
 * A double-quoted scalar on one line (so no line-continuation escape), quotes included. JSON's
 * escapes mean the same in YAML, so unquoteDouble (JSON.parse) decodes them; YAML's others
 * (`\x`, `\0`, `\e`, `\N`, …) make it give up, which leaves the text to parseSyml. Loops are
 * unrolled (`a*(?:b a*)*`) here and below: the regex engine then runs through ordinary
 * characters without a backtracking step for each.
 */
const QUOTED = String.raw`("[^"\\\n]*(?:\\.[^"\\\n]*)*")`;
/** A plain scalar's first character: none of YAML's indicators (nor `<`, so never a merge key), the set stringifySyml quotes. */
const PLAIN_FIRST = String.raw`[^\s"'#&*!|>%@\x60,\[\]{}?:<-]`;
/** Later characters: no `:` or `#` (no key or comment can hide inside), no flow indicators, spaces only between words. */
const PLAIN_NEXT = String.raw`[^\s:#,\[\]{}]`;
const PLAIN_KEY = `(${PLAIN_FIRST}${PLAIN_NEXT}*)`;
const PLAIN_VALUE = `(${PLAIN_FIRST}${PLAIN_NEXT}*(?: +${PLAIN_NEXT}+)*)`;
/**
 * One line of yarn's style: indentation, then `key:` with an optional ` value` (groups 1–4:
 * quoted key with its quotes, plain key, quoted value with its quotes, plain value), or a
 * comment, or nothing.
 */
const LINE = String.raw` *(?:(?:${QUOTED}|${PLAIN_KEY}):(?: (?:${QUOTED}|${PLAIN_VALUE}))?|#.*)?`;
/** The start of the first line that is not of that shape. */
const ODD_LINE = new RegExp(`^(?!${LINE}$)`, 'm');
/** One whole line read with its parts, for the rare lines holding an escape. */
const ESCAPED_LINE = new RegExp(`${LINE}$`, 'my');

type SymlMap = Record<string, unknown>;

/**
 * The lines of a text in yarn's style, as offsets: line `i` holds a key at nesting `depth[i]`
 * (0 for the top level) and, unless `valueStart[i]` is NO_VALUE, a scalar value. A key
 * without a value opens a mapping when the next line is deeper, else it is empty (null).
 * Offsets index `text` (quotes excluded); a negative offset `-1 - k` stands for `decoded[k]`,
 * the decoded text of a part holding an escape. Typed arrays rather than objects or strings
 * per line: the collector never copies them, and a reader slices only the strings it keeps.
 */
export interface SymlLines {
  /** The text the offsets index: CRLF turned into LF, a final line break added. */
  readonly text: string;
  readonly count: number;
  readonly depth: Uint8Array;
  /** 1-based line number in the text. */
  readonly line: Int32Array;
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  readonly valueStart: Int32Array;
  readonly valueEnd: Int32Array;
  readonly decoded: readonly string[];
}

/** `valueStart` of a key with no value on its line. */
export const NO_VALUE = -0x7fffffff;

/** The lines of `text` when it is in yarn's style, else undefined (parseSyml's to read). */
export function scanBerrySyml(text: string): SymlLines | undefined {
  if (LEGACY_HEADER.test(text)) return undefined;
  // Windows checkouts may turn every line end into CRLF; one-line scalars read the same either way.
  let source = text.includes('\r') ? text.replaceAll('\r\n', '\n') : text;
  if (UNSUPPORTED_CHARACTERS.test(source)) return undefined;
  // js-yaml reads a missing final line break as present.
  if (!source.endsWith('\n')) source += '\n';
  try {
    if (ODD_LINE.test(source)) return undefined;
    return scanLines(source);
  } catch (error) {
    // The regex engine runs out of backtracking stack on a line of millions of words or escapes.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** parseSyml's result for `text` with each top-level key's position, or undefined when the text leaves yarn's style. */
export function readBerrySyml(text: string): BerrySyml | undefined {
  const lines = scanBerrySyml(text);
  return lines === undefined ? undefined : symlData(lines);
}

/** The per-line arrays while they fill; they double when full. */
class LineArrays {
  depth: Uint8Array;
  line: Int32Array;
  keyStart: Int32Array;
  keyEnd: Int32Array;
  valueStart: Int32Array;
  valueEnd: Int32Array;

  constructor(capacity: number) {
    this.depth = new Uint8Array(capacity);
    this.line = new Int32Array(capacity);
    this.keyStart = new Int32Array(capacity);
    this.keyEnd = new Int32Array(capacity);
    this.valueStart = new Int32Array(capacity);
    this.valueEnd = new Int32Array(capacity);
  }

  grow(): void {
    const capacity = this.depth.length * 2;
    const depth = new Uint8Array(capacity);
    depth.set(this.depth);
    this.depth = depth;
    this.line = widened(this.line, capacity);
    this.keyStart = widened(this.keyStart, capacity);
    this.keyEnd = widened(this.keyEnd, capacity);
    this.valueStart = widened(this.valueStart, capacity);
    this.valueEnd = widened(this.valueEnd, capacity);
  }
}

function widened(old: Int32Array, capacity: number): Int32Array {
  const fresh = new Int32Array(capacity);
  fresh.set(old);
  return fresh;
}

/** Lines already known to have yarn's shape, as offsets; undefined when their nesting is not yarn's. */
function scanLines(text: string): SymlLines | undefined {
  // Lockfile lines average ~40 characters; the arrays double for a text of shorter ones.
  const arrays = new LineArrays(Math.max(64, text.length >> 5));
  const decoded: string[] = [];
  // The indentation of the open mappings' keys, outermost first; `mapIndent` is the innermost's.
  const indents: number[] = [0];
  let mapIndent = 0;
  // The previous key had no value on its line: the next line decides whether it opens a mapping.
  let pending = false;
  let count = 0;
  let topKeys = 0;
  // Lines before the next backslash hold no escape: their keys and values are sliced, not decoded.
  let nextEscape = escapeAfter(text, 0);
  let lineNumber = 0;
  // One flat loop over locals: measured cold, it beat a method call per line by ~15%.
  let lineEnd = 0;
  for (let lineStart = 0; lineStart < text.length; lineStart = lineEnd + 1) {
    lineEnd = text.indexOf('\n', lineStart);
    lineNumber++;
    let start = lineStart;
    while (text.charCodeAt(start) === 0x20) start++;
    if (start === lineEnd || text.charCodeAt(start) === 0x23 /* # */) continue;
    const indent = start - lineStart;
    if (pending) {
      // A deeper line opens the pending key's mapping; any other leaves the key empty (null).
      if (indent > mapIndent) {
        if (indents.length > MAX_DEPTH) return undefined;
        indents.push(indent);
        mapIndent = indent;
      }
      pending = false;
    }
    if (indent !== mapIndent) {
      // Deeper than its siblings after a scalar: a continuation line, left to parseSyml.
      if (indent > mapIndent) return undefined;
      do {
        indents.pop();
        mapIndent = indents[indents.length - 1]!;
      } while (indent < mapIndent);
      if (indent !== mapIndent) return undefined;
    }
    let keyStart: number;
    let keyEnd: number;
    let valueStart: number;
    let valueEnd = 0;
    if (lineEnd > nextEscape) {
      const parts = splitEscapedLine(text, start);
      if (parts === undefined) return undefined;
      const [key, value] = parts;
      // An own __proto__ is defined by js-yaml, not assigned: left to it.
      if (key === '__proto__') return undefined;
      // Decoded parts are kept aside; `-length` after the push is `-1 - index`.
      keyStart = keyEnd = -decoded.push(key);
      valueStart = value === undefined ? NO_VALUE : -decoded.push(value);
      nextEscape = escapeAfter(text, lineEnd);
    } else {
      // Without escapes the line's shape says where everything is: a quoted key ends at the
      // next quote, a plain one at the first colon; a quoted value runs to the line's end.
      let colon: number;
      if (text.charCodeAt(start) === 0x22 /* " */) {
        keyStart = start + 1;
        keyEnd = text.indexOf('"', keyStart);
        colon = keyEnd + 1;
      } else {
        keyStart = start;
        colon = keyEnd = text.indexOf(':', start);
      }
      if (keyEnd - keyStart === 9 && text.startsWith('__proto__', keyStart)) return undefined;
      if (colon + 1 === lineEnd) {
        valueStart = NO_VALUE;
      } else if (text.charCodeAt(colon + 2) === 0x22) {
        valueStart = colon + 3;
        valueEnd = lineEnd - 1;
      } else {
        valueStart = colon + 2;
        valueEnd = lineEnd;
      }
    }
    if (count === arrays.depth.length) arrays.grow();
    arrays.depth[count] = indents.length - 1;
    arrays.line[count] = lineNumber;
    arrays.keyStart[count] = keyStart;
    arrays.keyEnd[count] = keyEnd;
    arrays.valueStart[count] = valueStart;
    arrays.valueEnd[count] = valueEnd;
    count++;
    if (indents.length === 1) topKeys++;
    pending = valueStart === NO_VALUE;
  }
  // An empty document is parseSyml's to judge (it reads one as an empty mapping).
  if (topKeys === 0) return undefined;
  const { depth, line, keyStart, keyEnd, valueStart, valueEnd } = arrays;
  return { text, count, depth, line, keyStart, keyEnd, valueStart, valueEnd, decoded };
}

/** The key on line `i`. */
export function keyOf(lines: SymlLines, i: number): string {
  const start = lines.keyStart[i]!;
  return start < 0 ? lines.decoded[-1 - start]! : lines.text.slice(start, lines.keyEnd[i]);
}

/** The value on line `i`, or undefined when its key has none there. */
export function valueOf(lines: SymlLines, i: number): string | undefined {
  const start = lines.valueStart[i]!;
  if (start === NO_VALUE) return undefined;
  return start < 0 ? lines.decoded[-1 - start]! : lines.text.slice(start, lines.valueEnd[i]);
}

/** True when the key on line `i` is `name`; nothing is sliced. */
export function keyIs(lines: SymlLines, i: number, name: string): boolean {
  const start = lines.keyStart[i]!;
  if (start < 0) return lines.decoded[-1 - start] === name;
  return lines.keyEnd[i]! - start === name.length && lines.text.startsWith(name, start);
}

/** True when the value on line `i` is `value`; nothing is sliced. */
export function valueIs(lines: SymlLines, i: number, value: string): boolean {
  const start = lines.valueStart[i]!;
  if (start === NO_VALUE) return false;
  if (start < 0) return lines.decoded[-1 - start] === value;
  return lines.valueEnd[i]! - start === value.length && lines.text.startsWith(value, start);
}

/**
 * The mapping lines `from` to `to - 1` spell (none shallower than line `from`), as parseSyml
 * builds it: a repeated key overwrites the value and keeps its place.
 */
export function symlMap(lines: SymlLines, from: number, to: number): SymlMap {
  const { depth } = lines;
  const base = depth[from]!;
  const root: SymlMap = {};
  const maps: SymlMap[] = [root];
  for (let i = from; i < to; i++) {
    const level = depth[i]! - base;
    if (level < maps.length - 1) maps.length = level + 1;
    const map = maps[level]!;
    const key = keyOf(lines, i);
    const value = valueOf(lines, i);
    if (value !== undefined) {
      map[key] = value;
    } else if (i + 1 < to && depth[i + 1]! > depth[i]!) {
      const child: SymlMap = {};
      map[key] = child;
      maps.push(child);
    } else {
      map[key] = null;
    }
  }
  return root;
}

/** The data and the header index of scanned lines, as parseSyml and locate/yarn.ts give them. */
export function symlData(lines: SymlLines): BerrySyml {
  const index = new Map<string, TextPosition>();
  for (let i = 0; i < lines.count; i++) {
    if (lines.depth[i] === 0) addToIndex(index, keyOf(lines, i), { line: lines.line[i]!, column: 1 });
  }
  return { data: symlMap(lines, 0, lines.count), index };
}

/** Offset of the first backslash from `from`, or the text's length when there is none. */
function escapeAfter(text: string, from: number): number {
  const at = text.indexOf('\\', from);
  return at === -1 ? text.length : at;
}

/** Key and value (undefined when none) of a line holding a backslash, decoded; undefined for an escape YAML has and JSON has not. */
function splitEscapedLine(text: string, start: number): [string, string | undefined] | undefined {
  ESCAPED_LINE.lastIndex = start;
  const [, quotedKey, plainKey, quotedValue, plainValue] = ESCAPED_LINE.exec(text)!;
  const key = plainKey ?? unquoteDouble(quotedKey!);
  const value = quotedValue === undefined ? plainValue : unquoteDouble(quotedValue);
  if (key === undefined || (quotedValue !== undefined && value === undefined)) return undefined;
  return [key, value];
}

/** The descriptors of a key as locate/yarn.ts splitHeader gives them: the whole key, or its comma-separated parts trimmed. */
function addToIndex(index: Map<string, TextPosition>, key: string, at: TextPosition): void {
  if (!key.includes(',')) {
    if (key !== '' && !index.has(key)) index.set(key, at);
    return;
  }
  for (const part of key.split(',')) {
    const descriptor = part.trim();
    if (descriptor !== '' && !index.has(descriptor)) index.set(descriptor, at);
  }
}
