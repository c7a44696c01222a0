/**
 * Reads yarn classic's lockfile syntax (yarn.lock v1) in one pass over the lines, keeping each
 * entry's position: the format is a small indentation language, not YAML.
 *
 * Syntax, as yarn 1 writes and reads it (its src/lockfile/parse.js):
 * - `# …` lines are comments; `# yarn lockfile v1` names the version.
 * - An entry starts at column 1 with one or more comma-separated keys (each quoted or not)
 *   and a colon.
 * - Indented by two spaces per level: `key value` (a quoted string, `true`, `false`, or a bare
 *   word), or `key:` opening a nested block one level deeper.
 *
 * Measured against `@yarnpkg/lockfile` (which yarn 1 uses) and `@yarnpkg/parsers`' parseSyml:
 * identical objects on every real lockfile we hold, several times faster, and positions come
 * free (see fixtures/README.md, "yarn fixtures").
 *
 * Differences from yarn's tokenizer, all on input yarn never writes: a bare word that starts
 * with a digit stays a string (yarn makes a number of its leading digits and rejects the rest),
 * and a value followed by more text on its line is an error here.
 */
import { splitHeader, unquoteDouble } from './locate/yarn.ts';

export type ClassicValue = string | boolean | ClassicObject;
/** A nested block, in file order. A Map: keys such as `__proto__` stay plain data, and iterating it is fast. */
export type ClassicObject = Map<string, ClassicValue>;

export interface ClassicEntry {
  /** The header's keys ("descriptors"), unquoted, as written. */
  readonly descriptors: readonly string[];
  readonly fields: ClassicObject;
  readonly line: number;
  readonly column: number;
}

export interface ClassicLockfile {
  readonly entries: readonly ClassicEntry[];
  /** From a `# yarn lockfile vN` comment, when there is one. */
  readonly lockfileVersion: number | undefined;
}

/** A syntax error at a 1-based position; the parser turns it into a LockfileParseError. */
export class ClassicSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const QUOTE = 0x22;
const COLON = 0x3a;
const RETURN = 0x0d;
const VERSION_COMMENT = /^#\s*yarn lockfile v(\d+)\s*$/;

export function readClassicLockfile(text: string): ClassicLockfile {
  const entries: ClassicEntry[] = [];
  let lockfileVersion: number | undefined;
  /** Open blocks: stack[0] is the current entry's fields, stack[n] the block at indent n + 1. */
  const stack: ClassicObject[] = [];
  let line = 0;
  let start = 0;
  const length = text.length;
  while (start < length) {
    line++;
    let end = text.indexOf('\n', start);
    if (end === -1) end = length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === RETURN) end--;
    let indent = start;
    while (indent < end && text.charCodeAt(indent) === SPACE) indent++;
    const spaces = indent - start;
    if (indent === end) {
      start = next;
      continue;
    }
    const first = text.charCodeAt(indent);
    if (first === HASH) {
      const match = VERSION_COMMENT.exec(text.slice(indent, end));
      if (match && lockfileVersion === undefined) lockfileVersion = Number(match[1]);
      start = next;
      continue;
    }
    if (first === TAB) throw new ClassicSyntaxError('tab in indentation (yarn.lock indents with two spaces)', line, spaces + 1);
    if (spaces % 2 !== 0) throw new ClassicSyntaxError(`odd indentation of ${spaces} spaces (yarn.lock indents by two)`, line, spaces + 1);
    const level = spaces / 2;
    if (level === 0) {
      const fields: ClassicObject = new Map();
      entries.push({ descriptors: readHeader(text, start, end, line), fields, line, column: 1 });
      stack.length = 0;
      stack.push(fields);
    } else {
      if (stack.length === 0) throw new ClassicSyntaxError('indented line before the first entry', line, spaces + 1);
      if (level > stack.length) throw new ClassicSyntaxError('indented deeper than the block it belongs to', line, spaces + 1);
      stack.length = level;
      const block = readField(text, indent, end, line, start, stack[level - 1]!);
      if (block) stack.push(block);
    }
    start = next;
  }
  return { entries, lockfileVersion };
}

function readHeader(text: string, start: number, end: number, line: number): string[] {
  let stop = end;
  while (stop > start && (text.charCodeAt(stop - 1) === SPACE || text.charCodeAt(stop - 1) === TAB)) stop--;
  if (text.charCodeAt(stop - 1) !== COLON) {
    throw new ClassicSyntaxError('expected an entry header ending with ":"', line, stop - start + 1);
  }
  const descriptors = splitHeader(text.slice(start, stop - 1));
  if (descriptors === undefined) throw new ClassicSyntaxError('unterminated string in entry header', line, 1);
  if (descriptors.length === 0) throw new ClassicSyntaxError('entry header without a key', line, 1);
  return descriptors;
}

/** A bare value (`integrity sha512-…`) up to a space, a tab or the line's end; always matches. */
const BARE_WORD = /[^ \t\r\n]*/y;

/** Set by `stringEnd`: whether the string it just measured holds a backslash escape. */
let sawEscape = false;

/** Set by `stringEnd` when the string holds no backslash (so `sawEscape` is false): its content. */
let plainContent = '';

/** The value of the double-quoted string text[start, end) that `stringEnd` just measured. */
function stringValue(text: string, start: number, end: number): string | undefined {
  return sawEscape ? unquoteDouble(text.slice(start, end)) : plainContent;
}

/**
 * Reads `key value`, `key "value"` or `key:` into `target`; returns the new block for `key:`.
 * `lineStart` is the offset of the line's first character, for columns in errors.
 */
function readField(text: string, start: number, end: number, line: number, lineStart: number, target: ClassicObject): ClassicObject | undefined {
  let i: number;
  let key: string | undefined;
  if (text.charCodeAt(start) === QUOTE) {
    i = stringEnd(text, start, end);
    if (i === -1) return failAt('unterminated string', line, start - lineStart);
    key = stringValue(text, start, i);
    if (key === undefined) return failAt('invalid escape in string', line, start - lineStart);
  } else {
    i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === COLON || c === TAB) break;
      i++;
    }
    key = text.slice(start, i);
  }
  if (key === '') return failAt('empty key', line, start - lineStart);
  if (text.charCodeAt(i) === COLON) {
    let rest = i + 1;
    while (rest < end && text.charCodeAt(rest) === SPACE) rest++;
    if (rest === end) {
      const block: ClassicObject = new Map();
      target.set(key, block);
      return block;
    }
    i = rest - 1;
  }
  let valueStart = i;
  while (valueStart < end && (text.charCodeAt(valueStart) === SPACE || text.charCodeAt(valueStart) === TAB)) valueStart++;
  if (valueStart === end) return failAt(`"${key}" has no value`, line, valueStart - lineStart);
  let value: ClassicValue;
  let valueEnd: number;
  if (text.charCodeAt(valueStart) === QUOTE) {
    valueEnd = stringEnd(text, valueStart, end);
    if (valueEnd === -1) return failAt('unterminated string', line, valueStart - lineStart);
    const unquoted = stringValue(text, valueStart, valueEnd);
    if (unquoted === undefined) return failAt('invalid escape in string', line, valueStart - lineStart);
    value = unquoted;
  } else {
    BARE_WORD.lastIndex = valueStart;
    BARE_WORD.test(text);
    valueEnd = Math.min(BARE_WORD.lastIndex, end);
    const word = text.slice(valueStart, valueEnd);
    value = word === 'true' ? true : word === 'false' ? false : word;
  }
  let after = valueEnd;
  while (after < end && (text.charCodeAt(after) === SPACE || text.charCodeAt(after) === TAB)) after++;
  if (after < end && text.charCodeAt(after) !== HASH) return failAt(`unexpected text after the value of "${key}"`, line, after - lineStart);
  target.set(key, value);
  return undefined;
}

/** A module function, not a closure in readField: that runs for every line, and a closure is an allocation per call. */
function failAt(message: string, line: number, column0: number): never {
  throw new ClassicSyntaxError(message, line, column0 + 1);
}

/** Offset just past the string opened at `start`, or -1 when it does not close on this line. */
function stringEnd(text: string, start: number, end: number): number {
  // Native search first: URLs and hashes make most of the file, and a loop per character is
  // slow in a cold process. Only a string with a backslash needs the careful walk.
  const quote = text.indexOf('"', start + 1);
  if (quote === -1 || quote >= end) return -1;
  const content = text.slice(start + 1, quote);
  if (!content.includes('\\')) {
    sawEscape = false;
    plainContent = content;
    return quote + 1;
  }
  sawEscape = false;
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      sawEscape = true;
      i++;
    } else if (c === QUOTE) {
      return i + 1;
    }
  }
  return -1;
}
