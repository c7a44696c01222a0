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
 * short-lived process where JavaScript runs cold); the loop over the lines then only slices
 * keys and values at places the shape fixes, and a stack of open mappings turns indentation
 * into nesting. The same loop records the line of every top-level key, so the parser needs no
 * second scan for entry positions. Measured cold on a 5,600-entry lockfile it takes about half
 * the time of parseSyml and the header scan together; most of what remains is V8 creating the
 * objects, which JSON.parse of the same data does not do much faster.
 *
 * It is not a YAML parser: at anything outside that style (flow collections, sequences,
 * anchors, tags, block or multi-line scalars, explicit `? ` keys, comments after values,
 * tabs, lone CRs, escapes JSON does not share, odd indentation, `__proto__`, control or
 * surrogate characters, yarn 1's header) it returns undefined and the caller hands the whole
 * text to parseSyml, which also judges every syntax error. The contract, held by a
 * differential test over real lockfiles and thousands of damaged ones: whenever this returns
 * data, it deep-equals parseSyml's result for the same text.
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

/** parseSyml's result for `text` with each top-level key's position, or undefined when the text leaves yarn's style. */
export function readBerrySyml(text: string): BerrySyml | undefined {
  if (LEGACY_HEADER.test(text)) return undefined;
  // Windows checkouts may turn every line end into CRLF; one-line scalars read the same either way.
  let source = text.includes('\r') ? text.replaceAll('\r\n', '\n') : text;
  if (UNSUPPORTED_CHARACTERS.test(source)) return undefined;
  // js-yaml reads a missing final line break as present.
  if (!source.endsWith('\n')) source += '\n';
  try {
    if (ODD_LINE.test(source)) return undefined;
    return readLines(source);
  } catch (error) {
    // The regex engine runs out of backtracking stack on a line of millions of words or escapes.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Lines already known to have yarn's shape, into mappings; undefined when their nesting is not yarn's. */
function readLines(text: string): BerrySyml | undefined {
  const root: SymlMap = {};
  const index = new Map<string, TextPosition>();
  // The open mappings, outermost first, and the indentation of their keys; `map` is the innermost.
  const maps: SymlMap[] = [root];
  const indents: number[] = [0];
  let map = root;
  let mapIndent = 0;
  // A key written alone on its line (`key:`), in `map`: the next lines decide its value.
  let pendingKey: string | undefined;
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
    if (pendingKey !== undefined) {
      // A deeper line opens the pending key's mapping; any other leaves the key empty (null).
      if (indent > mapIndent) {
        if (maps.length > MAX_DEPTH) return undefined;
        const child: SymlMap = {};
        map[pendingKey] = child;
        maps.push(child);
        indents.push(indent);
        map = child;
        mapIndent = indent;
      } else {
        map[pendingKey] = null;
      }
      pendingKey = undefined;
    }
    if (indent !== mapIndent) {
      // Deeper than its siblings after a scalar: a continuation line, left to parseSyml.
      if (indent > mapIndent) return undefined;
      do {
        maps.pop();
        indents.pop();
        mapIndent = indents[indents.length - 1]!;
      } while (indent < mapIndent);
      if (indent !== mapIndent) return undefined;
      map = maps[maps.length - 1]!;
    }
    let key: string;
    let value: string | undefined;
    if (lineEnd > nextEscape) {
      const parts = splitEscapedLine(text, start);
      if (parts === undefined) return undefined;
      [key, value] = parts;
      nextEscape = escapeAfter(text, lineEnd);
    } else {
      // Without escapes the line's shape says where everything is: a quoted key ends at the
      // next quote, a plain one at the first colon; a quoted value runs to the line's end.
      let colon: number;
      if (text.charCodeAt(start) === 0x22 /* " */) {
        const close = text.indexOf('"', start + 1);
        key = text.slice(start + 1, close);
        colon = close + 1;
      } else {
        colon = text.indexOf(':', start);
        key = text.slice(start, colon);
      }
      if (colon + 1 === lineEnd) value = undefined;
      else if (text.charCodeAt(colon + 2) === 0x22) value = text.slice(colon + 3, lineEnd - 1);
      else value = text.slice(colon + 2, lineEnd);
    }
    // An own __proto__ is defined by js-yaml, not assigned: left to it.
    if (key === '__proto__') return undefined;
    if (map === root) {
      topKeys++;
      addToIndex(index, key, { line: lineNumber, column: 1 });
    }
    // A repeated key overwrites the value and keeps its place, in js-yaml's json mode as here.
    if (value === undefined) pendingKey = key;
    else map[key] = value;
  }
  // An empty document is parseSyml's to judge (it reads one as an empty mapping).
  if (topKeys === 0) return undefined;
  if (pendingKey !== undefined) map[pendingKey] = null;
  return { data: root, index };
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
