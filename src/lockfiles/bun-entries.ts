/**
 * bun.lock's `packages` section read straight off the text, for the files bun writes: one
 * entry per line, a blank line between entries, always the same spacing. No JSON tree is built
 * for the section (on the 7,800-entry bench lockfile that tree was ~6.7 MB, and the graph kept
 * 5.9 MB against 4.9 MB read this way): the strings the graph keeps are sliced from the text,
 * and nodes and edges are built as bun-read.ts builds them (`addPackage`, the same edge objects,
 * the same precedence across groups).
 *
 * An npm entry, `["name@version", "registry", { info }, "integrity"]`, is read only when one
 * sticky regex accepts its whole line: strings without escapes or control characters, bun's
 * spacing, an info object whose fields hold string maps, string arrays, strings or booleans.
 * The regex is only tested (a match array per line cost more than the reading); once it holds,
 * the quotes alone locate every string. The fields the graph reads (dependency groups,
 * `optionalPeers`, `bundled`, `hasInstallScript`) keep their last value, as JSON.parse keeps it.
 * Any other one-line entry (git, tarball, file:, link:, workspace, root, odd spacing) is parsed
 * alone with JSON.parse and read by bun-read.ts `readPackage`, the path every entry once took.
 *
 * At anything else it returns undefined and the caller reads the whole file the checked way
 * (bun.ts), which also words every error: a backslash or carriage return anywhere, a line of
 * another shape, a repeated package key (the data keeps the last value at the first place), a
 * key or dependency name that is an array index (an object lists those first) or `__proto__`,
 * a dependency group or `optionalPeers` of another type, an entry readPackage refuses.
 */
import type { SourceLocation } from '../core/graph.ts';
import { addEdge, addPackage, edgeCount, GROUP_TYPES, readPackage, startEdges, takeEdges, type BunLockContents, type DeclaredDependency, type ReadContext, type Writable } from './bun-read.ts';
import { registrySource } from './bun-resolution.ts';
import { stripTrailingCommas } from './locate/bun.ts';

/** What the section holds, and where its body is (the caller parses the text around it). */
export interface BunEntries {
  readonly packages: BunLockContents['packages'];
  readonly bundled: BunLockContents['bundled'];
  readonly links: BunLockContents['links'];
  /** Offset of the body's first character (the first entry's indentation). */
  readonly bodyStart: number;
  /** Offset of the line closing the section (`  }`). */
  readonly bodyEnd: number;
  /** Line of the section's key (`  "packages": {`). */
  readonly line: number;
  /** Line breaks in the body. */
  readonly bodyLines: number;
}

/** A string as bun writes them: no quote, no escape, no control character inside. */
const STRING = String.raw`"[^"\\\x00-\x1f]*"`;
const STRING_MAP = String.raw`\{(?: ${STRING}: ${STRING}(?:, ${STRING}: ${STRING})* )?\}`;
/** `["a", "b"]`, or `[ "x64", "arm64", ]` as bun writes os and cpu lists, or `[]`. */
const STRING_ARRAY = String.raw`\[(?:${STRING}(?:, ${STRING})*| (?:${STRING}, )+)?\]`;
const FIELD = String.raw`${STRING}: (?:${STRING_MAP}|${STRING_ARRAY}|${STRING}|true|false)`;
const INFO = String.raw`\{(?: ${FIELD}(?:, ${FIELD})* )?\}`;
/** bun-resolution.ts EXACT_VERSION: what makes `name@version` an npm resolution. */
const VERSION = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;
/**
 * A whole npm entry line, `    "key": ["name@version", "registry", { info }, "integrity"],`:
 * the name split at the `@` readIdent splits at. Only tested (a match array per line costs more
 * than the reading): once it holds, the quotes alone locate every string.
 */
const NPM_LINE = new RegExp(
  String.raw`    "[^"\\\x00-\x1f]+": \["@?[^"@\\\x00-\x1f]+@${VERSION}", ${STRING}, ${INFO}, ${STRING}\],\n`,
  'y',
);
/** Any other one-line entry: its key and its tuple's text. */
const OTHER_LINE = new RegExp(String.raw`    "([^"\\\x00-\x1f]+)": (\[[^\n\r]*\]),\n`, 'y');

const SECTION = '\n  "packages": {\n';
const NEXT_ENTRY = '\n    "';
const SECTION_END = '  }';
const ENTRY_COLUMN = 5;

const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LETTER_T = 0x74;

/** Keys an object lists first, in numeric order (array indexes, and a few more, which only costs the fast path). */
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;

function isPlainKey(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) return !INDEX_LIKE.test(key);
  return key !== '__proto__';
}

/** Thrown by the context readPackage gets, caught below: the line is not read here. */
class Decline extends Error {}

/** A ReadContext whose failures decline: the checked path rereads the file and words the error. */
const DECLINING: ReadContext = {
  topLevel: new Map(),
  workspaces: new Map(),
  packageAt: () => {
    throw new Decline();
  },
  fail: () => {
    throw new Decline();
  },
};

/**
 * The offset just past the value at `at`, in a line NPM_LINE accepted: strings hold no quote,
 * so the quotes and bun's fixed spacing locate everything.
 */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return text.indexOf('"', at + 1) + 1;
  if (c === OPEN_BRACE) {
    if (text.charCodeAt(at + 1) === CLOSE_BRACE) return at + 2;
    // `{ "name": "spec", "name": "spec" }`
    for (let quote = at + 2; ; ) {
      const specEnd = text.indexOf('"', text.indexOf('"', quote + 1) + 4);
      if (text.charCodeAt(specEnd + 1) !== COMMA) return specEnd + 3;
      quote = specEnd + 3;
    }
  }
  if (c === OPEN_BRACKET) {
    const second = text.charCodeAt(at + 1);
    if (second === CLOSE_BRACKET) return at + 2;
    if (second === SPACE) {
      // `[ "a", "b", ]`
      for (let quote = at + 2; ; ) {
        const end = text.indexOf('"', quote + 1);
        if (text.charCodeAt(end + 3) === CLOSE_BRACKET) return end + 4;
        quote = end + 3;
      }
    }
    // `["a", "b"]`
    for (let quote = at + 1; ; ) {
      const end = text.indexOf('"', quote + 1);
      if (text.charCodeAt(end + 1) === CLOSE_BRACKET) return end + 2;
      quote = end + 3;
    }
  }
  return c === LETTER_T ? at + 4 : at + 5;
}

/** What readInfo found in the last info object: module state, not an object per entry. */
const groupAt = [-1, -1, -1, -1];
let optionalPeersAt = -1;
let optionalPeersEnd = -1;
let bundled = false;
let hasInstallScript = false;

/**
 * Reads the info object at `at` (its `{`) of a line NPM_LINE accepted: the offset just past
 * it, or -1 when a field the graph reads has a value of another type (readDependencies words
 * that error). A field met twice keeps its last value, as JSON.parse keeps it.
 */
function readInfo(text: string, at: number): number {
  groupAt[0] = groupAt[1] = groupAt[2] = groupAt[3] = -1;
  optionalPeersAt = -1;
  bundled = false;
  hasInstallScript = false;
  if (text.charCodeAt(at + 1) === CLOSE_BRACE) return at + 2;
  for (let quote = at + 2; ; ) {
    const nameEnd = text.indexOf('"', quote + 1);
    const value = nameEnd + 3;
    const end = skipValue(text, value);
    const kind = text.charCodeAt(value);
    const group = groupOf(text, quote + 1, nameEnd - quote - 1);
    if (group >= 0) {
      if (kind !== OPEN_BRACE) return -1;
      groupAt[group] = value;
    } else if (group === OPTIONAL_PEERS) {
      if (kind !== OPEN_BRACKET) return -1;
      optionalPeersAt = value;
      optionalPeersEnd = end;
    } else if (group === BUNDLED) {
      bundled = kind === LETTER_T;
    } else if (group === INSTALL_SCRIPT) {
      hasInstallScript = kind === LETTER_T;
    }
    if (text.charCodeAt(end) !== COMMA) return end + 2; // ` }`
    quote = end + 2;
  }
}

const OTHER_FIELD = -1;
const OPTIONAL_PEERS = -2;
const BUNDLED = -3;
const INSTALL_SCRIPT = -4;

/** The field named by the `length` characters at `from`: an index in bun-read.ts GROUP_TYPES, or one of the constants above. */
function groupOf(text: string, from: number, length: number): number {
  switch (length) {
    case 12:
      return text.startsWith('dependencies"', from) ? 1 : OTHER_FIELD;
    case 15:
      return text.startsWith('devDependencies"', from) ? 3 : OTHER_FIELD;
    case 20:
      return text.startsWith('optionalDependencies"', from) ? 2 : OTHER_FIELD;
    case 16:
      return text.startsWith('peerDependencies"', from) ? 0 : text.startsWith('hasInstallScript"', from) ? INSTALL_SCRIPT : OTHER_FIELD;
    case 13:
      return text.startsWith('optionalPeers"', from) ? OPTIONAL_PEERS : OTHER_FIELD;
    case 7:
      return text.startsWith('bundled"', from) ? BUNDLED : OTHER_FIELD;
    default:
      return OTHER_FIELD;
  }
}

/** The names of the optionalPeers array readInfo found. */
function optionalPeerNames(text: string): readonly string[] | undefined {
  if (optionalPeersAt === -1) return undefined;
  if (optionalPeersEnd - optionalPeersAt === 2) return [];
  const spaced = text.charCodeAt(optionalPeersAt + 1) === SPACE; // `[ "a", "b", ]`
  return text.slice(optionalPeersAt + (spaced ? 3 : 2), optionalPeersEnd - (spaced ? 4 : 2)).split('", "');
}

/**
 * The edges of the groups readInfo found, in bun-read.ts readDependencies' order and
 * precedence, or undefined to decline. A name repeated inside a map (which JSON.parse keeps
 * once, at its first place, with its last value) replaces its first edge the same way.
 */
function readEdges(text: string): DeclaredDependency[] | undefined {
  let optionalPeers: readonly string[] | undefined;
  startEdges();
  for (let g = 0; g < 4; g++) {
    const start = groupAt[g]!;
    if (start === -1 || text.charCodeAt(start + 1) === CLOSE_BRACE) continue;
    if (g === 0) optionalPeers = optionalPeerNames(text);
    const groupType = GROUP_TYPES[g]!;
    for (let quote = start + 2; ; ) {
      const nameEnd = text.indexOf('"', quote + 1);
      const specEnd = text.indexOf('"', nameEnd + 4);
      const name = text.slice(quote + 1, nameEnd);
      if (!isPlainKey(name)) return undefined;
      const type = g === 0 && optionalPeers?.includes(name) ? 'peerOptional' : groupType;
      // Every edge gathered so far is searched: unlike an object, the text may name a dependency twice in one group.
      addEdge({ name, spec: text.slice(nameEnd + 4, specEnd), type, to: undefined }, edgeCount());
      if (text.charCodeAt(specEnd + 1) !== COMMA) break;
      quote = specEnd + 3;
    }
  }
  return takeEdges();
}

/** The line of `offset` (1-based), counting line feeds only: the caller declines on any carriage return. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * Reads the npm entry line NPM_LINE accepted at `from`, ending at `end`; false to decline.
 * Positions follow from the proven layout: `    "key": ["name@version", "registry", {`.
 */
function readNpmLine(text: string, from: number, end: number, location: SourceLocation, keys: Set<string>, into: Writable<BunLockContents>): boolean {
  const keyEnd = text.indexOf('"', from + 5);
  const key = text.slice(from + 5, keyEnd);
  if (!isPlainKey(key) || keys.has(key)) return false;
  keys.add(key);
  const identStart = keyEnd + 5;
  // The first "@" past the first character, as readIdent splits; the version follows it.
  const at = text.indexOf('@', identStart + 1);
  const identEnd = text.indexOf('"', at);
  const name = at - identStart === key.length && text.startsWith(key, identStart) ? key : text.slice(identStart, at);
  // The default registry is "" (nearly every entry): no search, no string.
  const registryEnd = text.charCodeAt(identEnd + 4) === QUOTE ? identEnd + 4 : text.indexOf('"', identEnd + 4);
  const infoEnd = readInfo(text, registryEnd + 3);
  if (infoEnd === -1) return false;
  const dependencies = readEdges(text);
  if (dependencies === undefined) return false;
  const registry = registryEnd === identEnd + 4 ? '' : text.slice(identEnd + 4, registryEnd);
  // `, "integrity"],\n` follows the info object.
  const integrity = text.slice(infoEnd + 3, end - 4);
  const version = text.slice(at + 1, identEnd);
  addPackage(into, key, name, version, registrySource(registry), registry || undefined, integrity, dependencies, bundled, hasInstallScript, location);
  return true;
}

/**
 * The `packages` section of `text` read off its lines, or undefined when it is not in the
 * shape bun writes or could mean something else (see the file comment). The caller still
 * parses the text around the section and checks that this section is the top-level one.
 */
export function readBunEntries(text: string, file: string): BunEntries | undefined {
  // An escape anywhere could spell a second "packages" key; a carriage return shifts lines.
  if (text.includes('\\') || text.includes('\r')) return undefined;
  const head = text.indexOf(SECTION);
  // The first "packages" in the file must be this key, and no other may follow the section.
  if (head === -1 || text.indexOf('"packages"') !== head + 3) return undefined;
  const bodyStart = head + SECTION.length;
  const sectionLine = lineOf(text, head + 1);
  const into: Writable<BunLockContents> = { workspaces: [], packages: [], bundled: [], links: [] };
  const keys = new Set<string>();
  let at = bodyStart;
  let line = sectionLine + 1;
  try {
    for (;;) {
      const location: SourceLocation = { file, line, column: ENTRY_COLUMN };
      NPM_LINE.lastIndex = at;
      // "@root:" spells the project itself, whatever follows (readIdent).
      if (NPM_LINE.test(text) && !text.startsWith('@root:', text.indexOf('"', at + 5) + 5)) {
        const end = NPM_LINE.lastIndex;
        if (!readNpmLine(text, at, end, location, keys, into)) return undefined;
        at = end;
      } else {
        at = readOther(text, at, location, keys, into);
        if (at === -1) return undefined;
      }
      if (text.startsWith(NEXT_ENTRY, at)) {
        at++;
        line += 2;
      } else if (text.startsWith(SECTION_END, at)) {
        break;
      } else {
        return undefined;
      }
    }
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
  if (text.includes('"packages"', at)) return undefined;
  return { packages: into.packages, bundled: into.bundled, links: into.links, bodyStart, bodyEnd: at, line: sectionLine, bodyLines: line - sectionLine };
}

/** A one-line entry of another layout, parsed alone and read by readPackage; the offset after its line, or -1. */
function readOther(text: string, from: number, location: SourceLocation, keys: Set<string>, into: Writable<BunLockContents>): number {
  OTHER_LINE.lastIndex = from;
  const match = OTHER_LINE.exec(text);
  if (match === null) return -1;
  const key = match[1]!;
  if (!isPlainKey(key) || keys.has(key)) return -1;
  let tuple: unknown;
  try {
    tuple = JSON.parse(stripTrailingCommas(match[2]!));
  } catch {
    return -1;
  }
  keys.add(key);
  readPackage(key, tuple, location, DECLINING, into);
  return OTHER_LINE.lastIndex;
}
