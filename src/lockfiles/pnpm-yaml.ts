/**
 * A fast reader for the YAML that pnpm writes; js-yaml remains the parser of record.
 *
 * pnpm serialises its lockfile with js-yaml's dumper in a narrow style: block mappings, block
 * sequences of scalars, one-line flow collections (`{integrity: …}`, `[x64]`), plain and
 * quoted scalars, literal blocks (`|-`) for multi-line messages, `---` between documents.
 * This reader understands exactly that style, in one loop over the lines with a stack of open
 * collections, with less work than a general parser (numbers in pnpm.ts). It is not a
 * YAML parser: the moment it meets anything outside that style (anchors, tags, folded or
 * indented blocks, multi-line scalars, comments after values, tabs, CR line ends, escapes JSON
 * does not share, duplicate keys, a scalar whose type is not obvious) it returns `undefined`,
 * and the caller hands the text to js-yaml, which also judges every syntax error.
 *
 * The contract, held by a differential test over real lockfiles and thousands of mutated
 * ones: whenever this returns documents, they deep-equal js-yaml's `loadAll` of the same text
 * (but for the values a caller asks to leave out, see `readPnpmYamlIndexed`).
 */
import type { TextPosition } from './locate/position.ts';
import { SectionKeys, type YamlKeyIndex } from './locate/yaml.ts';

/** Characters left to js-yaml: controls (tab and CR included), YAML's extra line breaks, BOMs, surrogates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

/** Deeper nesting than any lockfile has; keeps a hostile file from growing the stack without end. */
const MAX_DEPTH = 64;

/** A run of a plain scalar without spaces, each `:` in it followed by more of the run. */
const PLAIN_RUN = String.raw`[^\s:]*(?::(?=\S)[^\s:]*)*`;
/** A plain scalar as COMMON_LINE takes it (see there): no indicator first, no ` #`, `: ` or trailing `:`. */
const COMMON_PLAIN = String.raw`[^\s'"#&*!|>%@\x60{}[\],?:+\-]${PLAIN_RUN}(?: +(?![#\s])${PLAIN_RUN})*`;

/** A run of a plain scalar in a flow collection without spaces: as PLAIN_RUN, and no flow indicator. */
const FLOW_RUN = String.raw`[^\s:,[\]{}]*(?::(?=[^\s,[\]{}])[^\s:,[\]{}]*)*`;
/** A plain scalar inside a one-pair flow mapping as COMMON_LINE takes it (see there). */
const FLOW_PLAIN_SCALAR = String.raw`[^\s'"#&*!|>%@\x60{}[\],?:+\-]${FLOW_RUN}(?: +(?![#\s,[\]{}])${FLOW_RUN})*`;

/**
 * The lines pnpm writes most, taken apart by one regex instead of loops over characters: a
 * cold process reads most of a lockfile before the JIT has optimised any of the reader, and
 * the regex engine is native code from the start. The shape, after the indentation (group 1):
 *   'quoted': … | plain: …                    a key (groups 2, 3), followed by nothing (the
 *                                             value opens below), a 'quoted' (4), a
 *                                             `{integrity: sha…}` (5), a plain scalar (6) or
 *                                             a one-pair flow mapping `{node: '>=18'}` with a
 *                                             lowercase key (7; not `constructor`, which
 *                                             objects have) and a 'quoted' (8) or plain (9)
 *                                             value, an empty flow mapping `{}` (10) or a
 *                                             one-item flow sequence `[x64]` (11, 12)
 * Sequence items (`- x`) are few and take `generalLine`: a branch of their own here would
 * first run when the first block sequence comes, long after V8 has optimised `line`, and
 * deoptimise it.
 * It is a strict subset of what `generalLine` accepts and reads the same way: quoted
 * scalars without `''`; a plain key starts with a letter, holds no space, `:` or `#`, and is
 * none of the spellings js-yaml types into another string (True, NULL, …); a plain scalar
 * starts with no YAML indicator and holds no `: `, ` #`, trailing `:` or trailing space
 * (resolvePlain still types it), in a flow mapping no flow indicator either. Anything else,
 * blank lines of spaces included, takes `generalLine`.
 */
const COMMON_LINE = new RegExp(
  String.raw`( *)(?:'([^'\n]*)'|(?!(?:True|TRUE|False|FALSE|Null|NULL):)([A-Za-z][^\s:#]*)):(?: (?:'([^'\n]*)'|\{integrity: (sha[0-9]+-[A-Za-z0-9+/=]+)\}|(${COMMON_PLAIN})|\{(?!constructor:)([a-z]+): (?:'([^'\n]*)'|(${FLOW_PLAIN_SCALAR}))\}|(\{\})|\[(?:'([^'\n]*)'|(${FLOW_PLAIN_SCALAR}))\]))?(?:\n|$)`,
  'y',
);

/** Thrown inside the reader to abandon it; never escapes `readPnpmYaml`. */
const OUTSIDE_SUBSET: unique symbol = Symbol('outside the pnpm YAML subset');

function giveUp(): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a private control-flow signal, caught below
  throw OUTSIDE_SUBSET;
}

type YamlMap = Record<string, unknown>;

const EMPTY_KEYS = { topLevel: new Map<string, TextPosition>(), sections: new Map<string, SectionKeys>() };

/** An open block collection and its indentation; exactly one of `map` and `list` is set. */
interface Frame {
  readonly indent: number;
  readonly map: YamlMap | undefined;
  readonly list: unknown[] | undefined;
}

/** The documents of `text` as js-yaml's `loadAll` gives them, or undefined when the text leaves pnpm's style. */
export function readPnpmYaml(text: string): unknown[] | undefined {
  return readPnpmYamlIndexed(text, undefined)?.documents;
}

export interface IndexedYaml {
  readonly documents: unknown[];
  /** What locate/yaml.ts's `indexYamlKeys(text, sections)` gives, recorded on the way (empty when no sections were asked for). */
  readonly keys: YamlKeyIndex;
}

/**
 * `readPnpmYaml`, plus the key positions of the top level and of the named sections: the
 * reader visits every line anyway, so a second pass over them (`indexYamlKeys`) is saved.
 * The values of the entry fields named in `unread` (keys two levels below the top, like
 * `packages.<key>.engines`) are read and judged as ever but kept as null: a caller that never
 * looks at them saves the objects (thousands in a large lockfile) the collector would copy.
 */
export function readPnpmYamlIndexed(text: string, sections: readonly string[] | undefined, unread?: ReadonlySet<string>): IndexedYaml | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return readDocuments(text, sections, unread);
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return undefined;
    throw error;
  }
}

function readDocuments(text: string, sections: readonly string[] | undefined, unread: ReadonlySet<string> | undefined): IndexedYaml {
  const reader = new DocumentReader(text, sections === undefined ? undefined : new KeyRecorder(sections), unread);
  // The loop stays tiny on purpose: V8 optimises `line` as an ordinary function instead of
  // compiling one huge loop on stack replacement, which doubled the time of a cold parse.
  for (let lineStart = 0; lineStart < text.length; ) lineStart = reader.line(lineStart);
  return reader.finish();
}

/**
 * Key positions as `indexYamlKeys` records them: only the last document's (a `---` starts
 * afresh at the next top-level key), the first occurrence of a key, keys as written (a plain
 * key is not typed), top-level keys at column 1 and a section's keys at their own column.
 */
class KeyRecorder {
  private readonly wanted: ReadonlySet<string>;
  topLevel = new Map<string, TextPosition>();
  sections = new Map<string, SectionKeys>();
  /** The keys of the section the current top-level key opens, when it is a wanted one. */
  section: SectionKeys | undefined;
  newDocument = false;

  constructor(sections: readonly string[]) {
    this.wanted = new Set(sections);
  }

  topLevelKey(key: string, line: number): void {
    if (this.newDocument) {
      this.topLevel = new Map();
      this.sections = new Map();
      this.newDocument = false;
    }
    if (!this.topLevel.has(key)) this.topLevel.set(key, { line, column: 1 });
    this.section = this.wanted.has(key) && !this.sections.has(key) ? new SectionKeys() : undefined;
    if (this.section) this.sections.set(key, this.section);
  }

  sectionKey(key: string, line: number, column: number): void {
    this.section!.add(key, line, column + 1);
  }
}

/** The state of a read in progress: documents so far, the open collections, a key awaiting its value. */
class DocumentReader {
  private readonly text: string;
  private readonly documents: unknown[] = [];
  /** A `---` was seen and its document has no content yet. */
  private markerOpen = false;
  private stack: Frame[] = [];
  /** A key written alone on its line (`key:`): its value is whatever the next lines open. */
  private pendingMap: YamlMap | undefined;
  private pendingKey = '';
  private pendingIndent = -1;
  /** Whether the pending key's value is kept (see `unread`). */
  private pendingKept = true;
  private readonly keys: KeyRecorder | undefined;
  private readonly unread: ReadonlySet<string> | undefined;
  /** The 1-based number of the line being read. */
  private lineNumber = 0;

  constructor(text: string, keys: KeyRecorder | undefined, unread: ReadonlySet<string> | undefined) {
    this.text = text;
    this.keys = keys;
    this.unread = unread;
  }

  /** False for a key of a section's entry (two levels below the top) that is named in `unread`. */
  private kept(key: string): boolean {
    return this.unread === undefined || this.stack.length !== 3 || !this.unread.has(key);
  }

  /** Keys below the entries (field and package names) by their text: see `sameKey`. */
  private readonly seenKeys = new Map<string, string>();

  /**
   * The first string read with the text of `key`. Field and package names repeat thousands of
   * times; each new string would be looked up in V8's table of property names (a call into
   * the runtime, a large table) to become a property key, where the first one, already made a
   * key, is found here by a Map probe.
   */
  private sameKey(key: string): string {
    const seen = this.seenKeys.get(key);
    if (seen !== undefined) return seen;
    this.seenKeys.set(key, key);
    return key;
  }

  /** Reads the line that starts at `lineStart`; returns where the next one starts. */
  line(lineStart: number): number {
    const { text } = this;
    this.lineNumber++;
    let match: RegExpExecArray | null = null;
    if (text.charCodeAt(lineStart) !== 0x0a) {
      COMMON_LINE.lastIndex = lineStart;
      match = COMMON_LINE.exec(text);
    }
    // Blank lines take this call too: V8 optimises `line` early, and a call it had never seen
    // made would deoptimise it at the first line of another shape (a section later).
    if (match === null) return this.generalLine(lineStart);
    const column = match[1]!.length;
    const top = this.collectionAt(column, false);
    const map = top.map ?? giveUp();
    const written = match[2] ?? match[3]!;
    if (this.keys) this.recordKey(column, written);
    const key = this.stack.length > 2 ? this.sameKey(written) : written;
    if (key in map || key === '<<') giveUp();
    const quoted = match[4];
    const integrity = match[5];
    const plain = match[6];
    const flowKey = match[7];
    const emptyMap = match[10];
    const flowItem = match[11] ?? match[12];
    if (quoted === undefined && integrity === undefined && plain === undefined && flowKey === undefined && emptyMap === undefined && flowItem === undefined) {
      this.pendingMap = map;
      this.pendingKey = key;
      this.pendingIndent = column;
      this.pendingKept = this.kept(key);
      return COMMON_LINE.lastIndex;
    }
    // One store for every shape of value, for the reason above: a store V8 had never seen made
    // would deoptimise `line` when the first unread field or flow mapping comes along.
    let value: unknown;
    if (!this.kept(key)) {
      value = null;
    } else if (flowKey !== undefined) {
      // A lowercase key is its own string form, whatever js-yaml types it as.
      value = { [flowKey]: match[8] ?? resolvePlain(match[9]!) };
    } else if (emptyMap !== undefined) {
      value = {};
    } else if (flowItem !== undefined) {
      value = [match[11] ?? resolvePlain(match[12]!)];
    } else {
      value = quoted ?? (integrity !== undefined ? { integrity } : resolvePlain(plain!));
    }
    map[key] = value;
    return COMMON_LINE.lastIndex;
  }

  /** `line` for the lines COMMON_LINE leaves: blank lines, sequence items, markers, comments, double quotes, flow collections, literal blocks, trailing spaces. */
  private generalLine(lineStart: number): number {
    const { text } = this;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let indent = lineStart;
    while (text.charCodeAt(indent) === 0x20) indent++;
    const first = text.charCodeAt(indent);
    if (indent === lineEnd || first === 0x23 /* # */) return lineEnd + 1;
    const column = indent - lineStart;

    if (column === 0 && (first === 0x2d /* - */ || first === 0x2e /* . */ || first === 0x25) /* % */) {
      const line = text.slice(lineStart, lineEnd);
      if (line === '---') {
        // A marker opens a document; one that got no content before the next is an empty one.
        if (this.markerOpen) giveUp();
        this.closeDocument();
        this.markerOpen = true;
        if (this.keys) {
          this.keys.newDocument = true;
          this.keys.section = undefined;
        }
        return lineEnd + 1;
      }
      if (line.startsWith('---') || line.startsWith('...') || first === 0x25) giveUp();
    }

    const isItem = first === 0x2d && text.charCodeAt(indent + 1) === 0x20;
    const top = this.collectionAt(column, isItem);
    if (top.list) {
      if (!isItem) giveUp();
      // A line at the top that holds no key ends the section, as in indexYamlKeys.
      if (column === 0 && this.keys) this.keys.section = undefined;
      top.list.push(readItem(text, indent + 2, lineEnd));
      return lineEnd + 1;
    }
    const map = top.map!;
    const valueAt = readKey(text, indent, lineEnd);
    const key = lastKey;
    if (this.keys) this.recordKey(column, lastRawKey);
    // Duplicates, merge keys (`<<`) and keys an object already has (__proto__ …) are js-yaml's to judge.
    if (key in map || key === '<<') giveUp();
    let valueStart = valueAt;
    while (text.charCodeAt(valueStart) === 0x20) valueStart++;
    if (valueStart >= lineEnd) {
      this.pendingMap = map;
      this.pendingKey = key;
      this.pendingIndent = column;
      this.pendingKept = this.kept(key);
    } else if (text.charCodeAt(valueStart) === 0x7c /* | */) {
      const value = readLiteral(text, valueStart, lineEnd, column);
      map[key] = this.kept(key) ? value : null;
      // The block's lines are read here, not by `line`: count them.
      for (let k = text.indexOf('\n', lineEnd + 1); k !== -1 && k <= literalEnd; k = text.indexOf('\n', k + 1)) this.lineNumber++;
      return literalEnd + 1;
    } else {
      const value = readValue(text, valueStart, trimmedEnd(text, valueStart, lineEnd));
      map[key] = this.kept(key) ? value : null;
    }
    return lineEnd + 1;
  }

  /** Records a key as written, when it is a top-level key or a key of a wanted section. */
  private recordKey(column: number, rawKey: string): void {
    const keys = this.keys!;
    if (column === 0) keys.topLevelKey(rawKey, this.lineNumber);
    else if (keys.section && this.stack.length === 2) keys.sectionKey(rawKey, this.lineNumber, column);
  }

  /** The open collection a line at `column` belongs to, after opening and closing collections for it. */
  private collectionAt(column: number, isItem: boolean): Frame {
    const { stack } = this;
    if (this.pendingMap) {
      // The line after `key:` decides its value: a deeper line opens a collection, a sequence
      // may also sit at the key's own indentation, anything else leaves the key null.
      if (column > this.pendingIndent || (column === this.pendingIndent && isItem)) {
        if (stack.length > MAX_DEPTH) giveUp();
        // Stack: the document, a section, an entry; what an entry's key opens is keyed by package names.
        const frame = newFrame(column, isItem, stack.length === 3);
        this.pendingMap[this.pendingKey] = this.pendingKept ? (frame.map ?? frame.list) : null;
        stack.push(frame);
      } else {
        this.pendingMap[this.pendingKey] = null;
      }
      this.pendingMap = undefined;
    }
    if (stack.length === 0) {
      if (column !== 0) giveUp();
      const frame = newFrame(0, isItem, false);
      this.documents.push(frame.map ?? frame.list);
      this.markerOpen = false;
      stack.push(frame);
    }
    let top = stack[stack.length - 1]!;
    while (column < top.indent) {
      stack.pop();
      top = stack[stack.length - 1] ?? giveUp();
    }
    // A sequence at its key's own indentation ends where the mapping's next key begins.
    if (top.list && !isItem && column === top.indent && stack.length > 1) {
      stack.pop();
      top = stack[stack.length - 1]!;
    }
    if (column !== top.indent) giveUp();
    return top;
  }

  private closeDocument(): void {
    if (this.pendingMap) this.pendingMap[this.pendingKey] = null;
    this.pendingMap = undefined;
    this.stack = [];
  }

  finish(): IndexedYaml {
    this.closeDocument();
    // A trailing marker, or no content at all: js-yaml decides what such a stream holds.
    if (this.markerOpen || this.documents.length === 0) giveUp();
    const keys = this.keys ?? EMPTY_KEYS;
    return { documents: this.documents, keys: { topLevel: keys.topLevel, sections: keys.sections } };
  }
}

function newFrame(indent: number, isSequence: boolean, keyedByNames: boolean): Frame {
  // One object literal for both kinds: a literal first made when a block sequence turns up
  // (deep in the packages section) would deoptimise the reader, which V8 has optimised by then.
  const map = isSequence ? undefined : keyedByNames ? dictionaryMap() : {};
  const list = isSequence ? [] : undefined;
  return { indent, map, list };
}

/**
 * An empty plain object that keeps its properties in a hash table from the start. V8 gives an
 * object a hidden class per sequence of keys it has seen added; mappings keyed by package names
 * (`dependencies`, `peerDependencies`) share almost no sequence, so each added key would
 * make a class of its own, which costs more than the hash table insert. The object is still
 * an ordinary `{}` to every reader: Object.prototype, own keys in insertion order.
 */
function dictionaryMap(): YamlMap {
  return Object.setPrototypeOf(Object.create(null), Object.prototype) as YamlMap;
}

/** End of the text in [start, end) without trailing spaces. */
function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === 0x20) end--;
  return end;
}

/** Set by readKey: the key it read. A module variable saves an allocation per line. */
let lastKey = '';
/** Set by readKey: the key as written (a plain `1.0` stays "1.0"), which is how positions are keyed. */
let lastRawKey = '';

/** Reads the key of the mapping entry at `start` into `lastKey`; returns the index after its colon. */
function readKey(text: string, start: number, lineEnd: number): number {
  const first = text.charCodeAt(start);
  if (first === 0x27 /* ' */ || first === 0x22 /* " */) {
    const end = first === 0x27 ? readSingleQuoted(text, start, lineEnd) : readDoubleQuoted(text, start, lineEnd);
    lastKey = lastQuoted;
    lastRawKey = lastQuoted;
    // The colon right after the closing quote, then a space or the line end, as for plain keys.
    if (text.charCodeAt(end) !== 0x3a || (end + 1 < lineEnd && text.charCodeAt(end + 1) !== 0x20)) giveUp();
    return end + 1;
  }
  // A colon inside a plain key is fine unless a space or the line end follows it.
  let colon = text.indexOf(':', start);
  while (colon !== -1 && colon + 1 < lineEnd && text.charCodeAt(colon + 1) !== 0x20) colon = text.indexOf(':', colon + 1);
  if (colon === -1 || colon >= lineEnd || colon === start || text.charCodeAt(colon - 1) === 0x20) giveUp();
  const plain = text.slice(start, colon);
  if (!isSafePlainStart(first) || plain.includes(' #')) giveUp();
  // js-yaml types a plain key like any scalar and keys the mapping by its string form.
  lastKey = String(resolvePlain(plain));
  lastRawKey = plain;
  return colon + 1;
}

/** A value on its key's line, in [start, end), trimmed and not empty. */
function readValue(text: string, start: number, end: number): unknown {
  const first = text.charCodeAt(start);
  if (first === 0x27 || first === 0x22) {
    const close = first === 0x27 ? readSingleQuoted(text, start, end) : readDoubleQuoted(text, start, end);
    if (close !== end) giveUp();
    return lastQuoted;
  }
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    flowAt = start;
    flowEnd = end;
    const value = readFlow(text, 0);
    if (flowAt !== end) giveUp();
    return value;
  }
  const plain = text.slice(start, end);
  if (!isSafePlainStart(first) || plain.includes(' #') || plain.includes(': ') || plain.endsWith(':')) giveUp();
  return resolvePlain(plain);
}

/** A sequence item after `- `: a scalar or a flow collection (pnpm writes no nested blocks in sequences). */
function readItem(text: string, start: number, lineEnd: number): unknown {
  while (text.charCodeAt(start) === 0x20) start++;
  const end = trimmedEnd(text, start, lineEnd);
  if (start >= end) giveUp();
  const first = text.charCodeAt(start);
  // `- a: b` would be a mapping inside the sequence.
  if (first !== 0x27 && first !== 0x22 && first !== 0x7b && first !== 0x5b) {
    const colon = text.indexOf(':', start);
    if (colon !== -1 && colon < end && (colon === end - 1 || text.charCodeAt(colon + 1) === 0x20)) giveUp();
  }
  return readValue(text, start, end);
}

/** Set by readLiteral: the index of the line break that ends the block's last line. */
let literalEnd = 0;

/**
 * A literal block scalar (`|` or `|-`) of a key at `keyColumn`: pnpm writes multi-line
 * deprecation messages this way. Its lines keep their text after the block's indentation;
 * `|` keeps one final line break, `|-` none.
 */
function readLiteral(text: string, headerAt: number, headerEnd: number, keyColumn: number): string {
  const header = text.slice(headerAt, trimmedEnd(text, headerAt, headerEnd));
  if (header !== '|' && header !== '|-') giveUp();
  const content: string[] = [];
  let blockIndent = -1;
  let blankLines = 0;
  let lastContentEnd = headerEnd;
  let lineStart = headerEnd + 1;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let indent = lineStart;
    while (text.charCodeAt(indent) === 0x20) indent++;
    const column = indent - lineStart;
    if (indent === lineEnd) {
      // Leading blank lines, and blank lines with spaces beyond the indentation, have rules of their own.
      if (blockIndent === -1 || column > blockIndent) giveUp();
      blankLines++;
    } else {
      if (blockIndent === -1) {
        if (column <= keyColumn) giveUp();
        blockIndent = column;
      } else if (column < blockIndent) {
        break;
      }
      for (; blankLines > 0; blankLines--) content.push('');
      content.push(text.slice(lineStart + blockIndent, lineEnd));
      lastContentEnd = lineEnd;
    }
    lineStart = lineEnd + 1;
  }
  // A block that ends the text without a final line break clips differently; so does an empty one.
  if (blockIndent === -1 || lastContentEnd === text.length) giveUp();
  // Trailing blank lines are not content: the caller resumes after the last content line.
  literalEnd = lastContentEnd;
  const value = content.join('\n');
  return header === '|-' ? value : `${value}\n`;
}

/** Set by the quoted-scalar readers: the value they read. */
let lastQuoted = '';

/** `'…'` at `start`, with `''` for a quote, on one line; returns the index after the closing quote. */
function readSingleQuoted(text: string, start: number, lineEnd: number): number {
  let value = '';
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf("'", from);
    if (quote === -1 || quote >= lineEnd) giveUp(); // a quoted scalar that goes on to the next line
    value += text.slice(from, quote);
    if (text.charCodeAt(quote + 1) !== 0x27) {
      lastQuoted = value;
      return quote + 1;
    }
    value += "'";
    from = quote + 2;
  }
}

/**
 * `"…"` at `start`, on one line. Escapes are decoded only where YAML and JSON agree on them
 * (JSON.parse does it); YAML's own (`\x41`, `\e`, `\N`, `\ ` …) are left to js-yaml.
 */
function readDoubleQuoted(text: string, start: number, lineEnd: number): number {
  let i = start + 1;
  let escaped = false;
  for (;;) {
    if (i >= lineEnd) giveUp();
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x5c) {
      const next = text.charCodeAt(i + 1);
      // " \ / b f n r t u
      if (next !== 0x22 && next !== 0x5c && next !== 0x2f && next !== 0x62 && next !== 0x66 && next !== 0x6e && next !== 0x72 && next !== 0x74 && next !== 0x75) giveUp();
      escaped = true;
      i += 2;
    } else {
      i++;
    }
  }
  const raw = text.slice(start, i + 1);
  if (!escaped) {
    lastQuoted = raw.slice(1, -1);
  } else {
    try {
      lastQuoted = JSON.parse(raw) as string;
    } catch {
      giveUp();
    }
  }
  return i + 1;
}

/** The cursor of the one-line flow collection being read, and the end of its line. */
let flowAt = 0;
let flowEnd = 0;

/** A flow value at `flowAt`: `{…}`, `[…]`, a quoted or a plain scalar. */
function readFlow(text: string, depth: number): unknown {
  const first = text.charCodeAt(flowAt);
  if (first === 0x7b || first === 0x5b) {
    if (depth > MAX_DEPTH) giveUp();
    const isMap = first === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const map: YamlMap = {};
    const list: unknown[] = [];
    flowAt++;
    skipFlowSpaces(text);
    if (text.charCodeAt(flowAt) === close) {
      flowAt++;
      return isMap ? map : list;
    }
    for (;;) {
      if (isMap) {
        const key = readFlowKey(text);
        if (key in map || key === '<<') giveUp();
        map[key] = readFlow(text, depth + 1);
      } else {
        list.push(readFlow(text, depth + 1));
      }
      skipFlowSpaces(text);
      const c = text.charCodeAt(flowAt);
      if (c === close) {
        flowAt++;
        return isMap ? map : list;
      }
      if (c !== 0x2c || text.charCodeAt(flowAt + 1) !== 0x20) giveUp();
      flowAt += 2;
      skipFlowSpaces(text);
      // `{a: 1, }` is legal YAML with a meaning of its own: js-yaml's.
      if (text.charCodeAt(flowAt) === close) giveUp();
    }
  }
  if (first === 0x27 || first === 0x22) {
    flowAt = first === 0x27 ? readSingleQuoted(text, flowAt, flowEnd) : readDoubleQuoted(text, flowAt, flowEnd);
    return lastQuoted;
  }
  // A plain scalar runs to the next `,`, `[`, `]`, `{` or `}`.
  // The regex engine finds its end (integrity hashes run to 90 characters; a loop per character is slow cold).
  const start = flowAt;
  FLOW_PLAIN.lastIndex = start;
  FLOW_PLAIN.test(text);
  const end = trimmedEnd(text, start, Math.min(FLOW_PLAIN.lastIndex, flowEnd));
  const plain = text.slice(start, end);
  if (plain === '' || !isSafePlainStart(first) || plain.includes(': ') || plain.endsWith(':') || plain.includes(' #')) giveUp();
  flowAt = end;
  return resolvePlain(plain);
}

/** A flow mapping key and the `: ` after it. */
function readFlowKey(text: string): string {
  const first = text.charCodeAt(flowAt);
  let key: string;
  if (first === 0x27 || first === 0x22) {
    flowAt = first === 0x27 ? readSingleQuoted(text, flowAt, flowEnd) : readDoubleQuoted(text, flowAt, flowEnd);
    key = lastQuoted;
  } else {
    const colon = text.indexOf(': ', flowAt);
    if (colon === -1 || colon >= flowEnd) giveUp();
    const plain = text.slice(flowAt, colon);
    if (plain === '' || !isSafePlainStart(first) || plain.endsWith(' ') || plain.includes(' #')) giveUp();
    for (let i = 0; i < plain.length; i++) if (isFlowIndicator(plain.charCodeAt(i))) giveUp();
    flowAt = colon;
    key = String(resolvePlain(plain));
  }
  if (text.charCodeAt(flowAt) !== 0x3a || text.charCodeAt(flowAt + 1) !== 0x20) giveUp();
  flowAt += 2;
  return key;
}

function skipFlowSpaces(text: string): void {
  while (text.charCodeAt(flowAt) === 0x20) flowAt++;
}

/** A plain scalar inside a flow collection, up to the next flow indicator or the line's end; always matches. */
const FLOW_PLAIN = /[^,[\]{}\n]*/y;

/** `,`, `[`, `]`, `{` or `}`: they end a plain scalar inside a flow collection. */
function isFlowIndicator(c: number): boolean {
  return c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/** YAML indicators, plus `-` and `+`, which start plain scalars that may be numbers (js-yaml decides those). */
const UNSAFE_PLAIN_STARTS: ReadonlySet<number> = new Set([...'-?:,[]{}#&*!|>\'"%@`+ '].map((c) => c.charCodeAt(0)));

function isSafePlainStart(c: number): boolean {
  return isLetter(c) || !UNSAFE_PLAIN_STARTS.has(c);
}

/** First letters of true, false and null in js-yaml's spellings. */
const STARTS_A_KEYWORD: ReadonlySet<number> = new Set([0x74, 0x54, 0x66, 0x46, 0x6e, 0x4e]);

const SIMPLE_NUMBER = /^(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
/** Plain scalars js-yaml may type as something other than a string: numbers, timestamps, .inf, .nan. */
const MAYBE_TYPED = /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[box].*|[0-9]{4}-.*|\.[0-9].*|\.(?:inf|Inf|INF|nan|NaN|NAN))$/;

/** The value of a plain scalar under js-yaml's default schema, for the forms pnpm writes. */
function resolvePlain(plain: string): unknown {
  const first = plain.charCodeAt(0);
  // Most scalars are names, hashes and URLs: they start with a letter other than t, f or n.
  if (isLetter(first) && !STARTS_A_KEYWORD.has(first)) return plain;
  // Versions (`7.8.2`, `1.0.0(peer@2.0.0)`): a digit and two dots are never a number or a
  // timestamp in js-yaml's schema (a float has one dot, a timestamp's fraction too).
  if (first >= 0x31 && first <= 0x39) {
    const dot = plain.indexOf('.');
    if (dot !== -1 && plain.includes('.', dot + 1)) return plain;
  }
  switch (plain) {
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case 'null':
    case 'Null':
    case 'NULL':
    case '~':
      return null;
  }
  if (SIMPLE_NUMBER.test(plain)) return Number(plain);
  if (MAYBE_TYPED.test(plain)) giveUp();
  return plain;
}
