/**
 * Positions of keys in JSON lockfiles, found in one pass over the text, and positions of JSON
 * syntax errors.
 *
 * Model: the parser calls `JSON.parse` first (native, fast, and the judge of validity), then
 * `indexPackageLockKeys` walks the same text once to find where the interesting keys are:
 *
 *   root ─"packages"─▶ packages map (v2/v3): every key is recorded as is
 *   root ─"dependencies"─▶ v1 tree: keys are recorded under npm's install location
 *        ("node_modules/a/node_modules/b"), and each entry's own "dependencies" nests deeper
 *
 * Everything else is skipped without being decoded: strings by jumping to their closing quote
 * with indexOf, other objects and arrays by counting brackets. Keys are recorded as offsets and
 * turned into lines and columns in one pass at the end, so the walk itself never counts
 * newlines. Positions are 1-based; the column is that of the key's opening quote (see
 * position.ts for units and line endings). Any whitespace, key order, escapes and nesting are
 * handled; nothing depends on npm's own 2-space layout.
 *
 * Only when `JSON.parse` fails does json-validate.ts run, to name the position V8's message
 * leaves out.
 */
import { findJsonSyntaxError } from './json-validate.ts';
import { positionAt, type TextPosition } from './position.ts';

export interface PackageLockKeyIndex {
  /** Keys of the top-level object. */
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  /** Keys of the top-level `packages` map (lockfile v2/v3), exactly as written. */
  readonly packages: ReadonlyMap<string, TextPosition>;
  /** Keys of the nested v1 `dependencies` tree, by install location ("node_modules/a/node_modules/b"). */
  readonly dependencies: ReadonlyMap<string, TextPosition>;
}

export interface PackageLockIndexOptions {
  /** Record the keys of `packages` (default true). */
  readonly packages?: boolean | undefined;
  /** Record the v1 `dependencies` tree (default false: v2 files repeat it, v3 readers do not need it). */
  readonly dependencies?: boolean | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * v1 trees deeper than this are not walked further (the npm parser refuses them): the walk
 * recurses per level, and a hostile file must not be able to overflow the stack.
 */
export const MAX_V1_TREE_DEPTH = 1000;

const ROLE_ROOT = 0;
const ROLE_PACKAGES = 1;
const ROLE_V1_TREE = 2;
const ROLE_V1_ENTRY = 3;
type Role = typeof ROLE_ROOT | typeof ROLE_PACKAGES | typeof ROLE_V1_TREE | typeof ROLE_V1_ENTRY;

/**
 * Indexes the keys of a package-lock.json / npm-shrinkwrap.json text in one pass. The text must
 * be JSON that `JSON.parse` accepted (the walk trusts it); on anything else it stops early and
 * returns what it found, never loops or throws.
 */
export function indexPackageLockKeys(text: string, options: PackageLockIndexOptions = {}): PackageLockKeyIndex {
  const wantPackages = options.packages ?? true;
  const wantDependencies = options.dependencies ?? false;
  const end = text.length;
  // Recorded keys in text order: which map, the key, its offset.
  const roles: Role[] = [];
  const keys: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  /** Next backslash at or after the current string (2**32-1 when there is none left). */
  let nextBackslash = -1;

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      i++;
    }
  };

  /** Skips the string whose opening quote is at `i`; returns whether it holds an escape. */
  const skipString = (): boolean => {
    const start = i + 1;
    const close = text.indexOf('"', start);
    if (close === -1) {
      i = end;
      return false;
    }
    // Lockfiles almost never hold a backslash, so this search runs once or not at all.
    if (nextBackslash < start) nextBackslash = text.indexOf('\\', start) >>> 0;
    if (close < nextBackslash) {
      i = close + 1;
      return false;
    }
    let j = start;
    while (j < end && text.charCodeAt(j) !== QUOTE) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
    i = j + 1;
    return true;
  };

  /** Skips the object or array whose opening bracket is at `i`, counting brackets outside strings. */
  const skipContainer = (): void => {
    let depth = 0;
    do {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        skipString();
        continue;
      }
      i++;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    } while (depth > 0 && i < end);
  };

  const skipValue = (): void => {
    const c = text.charCodeAt(i);
    if (c === QUOTE) skipString();
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) skipContainer();
    else while (i < end && !isScalarEnd(text.charCodeAt(i))) i++;
  };

  const record = (role: Role, key: string, offset: number): void => {
    roles.push(role);
    keys.push(key);
    offsets.push(offset);
  };

  /** Walks the object whose `{` is at `i`, recording keys as its role says. */
  const walkObject = (role: Role, location: string, depth = 0): void => {
    i++;
    skipWhitespace();
    if (text.charCodeAt(i) === CLOSE_BRACE) {
      i++;
      return;
    }
    while (i < end) {
      skipWhitespace();
      const keyAt = i;
      const hasEscape = skipString();
      const keyEnd = i;
      skipWhitespace();
      i++; // the colon
      skipWhitespace();
      const isObject = text.charCodeAt(i) === OPEN_BRACE;
      if (role === ROLE_V1_ENTRY) {
        // Only an entry's "dependencies" nests; its other keys are not even decoded.
        const isDependencies = hasEscape
          ? decodeKey(text, keyAt, keyEnd, true) === 'dependencies'
          : keyEnd - keyAt === 14 && text.startsWith('"dependencies"', keyAt);
        if (isObject && isDependencies) walkObject(ROLE_V1_TREE, location, depth);
        else skipValue();
      } else {
        const key = decodeKey(text, keyAt, keyEnd, hasEscape);
        if (role === ROLE_ROOT) {
          record(ROLE_ROOT, key, keyAt);
          if (isObject && key === 'packages' && wantPackages) walkObject(ROLE_PACKAGES, '');
          else if (isObject && key === 'dependencies' && wantDependencies) walkObject(ROLE_V1_TREE, '');
          else skipValue();
        } else if (role === ROLE_PACKAGES) {
          record(ROLE_PACKAGES, key, keyAt);
          skipValue();
        } else {
          const installLocation = `${location ? `${location}/` : ''}node_modules/${key}`;
          record(ROLE_V1_TREE, installLocation, keyAt);
          if (isObject && depth < MAX_V1_TREE_DEPTH) walkObject(ROLE_V1_ENTRY, installLocation, depth + 1);
          else skipValue();
        }
      }
      skipWhitespace();
      if (text.charCodeAt(i++) !== COMMA) return;
    }
  };

  skipWhitespace();
  if (text.charCodeAt(i) === OPEN_BRACE) walkObject(ROLE_ROOT, '');

  const maps = [new Map<string, TextPosition>(), new Map<string, TextPosition>(), new Map<string, TextPosition>()] as const;
  const positions = positionsOf(text, offsets);
  for (let k = 0; k < keys.length; k++) {
    const map = maps[roles[k] === ROLE_ROOT ? 0 : roles[k] === ROLE_PACKAGES ? 1 : 2];
    // A repeated key keeps its first position: JSON.parse keeps the last value, but the first
    // occurrence is the one a reader scanning from the top meets.
    if (!map.has(keys[k]!)) map.set(keys[k]!, positions[k]!);
  }
  return { topLevel: maps[0], packages: maps[1], dependencies: maps[2] };
}

/** The key whose quotes are at `start` and `end - 1`; JSON.parse only when it holds escapes. */
function decodeKey(text: string, start: number, end: number, hasEscape: boolean): string {
  const raw = text.slice(start + 1, end - 1);
  if (!hasEscape) return raw;
  try {
    return JSON.parse(text.slice(start, end)) as string;
  } catch {
    return raw; // only reachable on text JSON.parse rejected as a whole
  }
}

/** A number or literal ends at whitespace, a comma or a closing bracket. */
function isScalarEnd(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Positions of increasing offsets, found by jumping from line break to line break with indexOf
 * (`\n`, `\r\n` and a lone `\r` each end a line, as in positionAt).
 */
function positionsOf(text: string, offsets: readonly number[]): TextPosition[] {
  const positions: TextPosition[] = [];
  let line = 1;
  let lineStart = 0;
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  for (const offset of offsets) {
    for (;;) {
      const lineBreak = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
      if (lineBreak === -1 || lineBreak >= offset) break;
      lineStart = lineBreak === cr && text.charCodeAt(cr + 1) === 0x0a ? cr + 2 : lineBreak + 1;
      line++;
      if (lf !== -1 && lf < lineStart) lf = text.indexOf('\n', lineStart);
      if (cr !== -1 && cr < lineStart) cr = text.indexOf('\r', lineStart);
    }
    positions.push({ line, column: offset - lineStart + 1 });
  }
  return positions;
}

/**
 * Where a `JSON.parse` failure happened, as a position in `text`. Node 20's messages usually
 * end in "at position N"; when one does not ("Unexpected token 'x', ... is not valid JSON",
 * "Unexpected end of JSON input") the validator finds the offset itself.
 */
export function locateJsonParseError(text: string, error: unknown): TextPosition {
  const match = /at position (\d+)/.exec(error instanceof Error ? error.message : String(error));
  const offset = match ? Number(match[1]) : (findJsonSyntaxError(text) ?? text.length);
  return positionAt(text, offset);
}

/** "line:column" of a `JSON.parse` failure (see locateJsonParseError). */
export function jsonParseErrorLocation(text: string, error: unknown): string {
  const { line, column } = locateJsonParseError(text, error);
  return `${line}:${column}`;
}

/**
 * The reason part of a `JSON.parse` message on one line: without V8's "in JSON at position N"
 * tail and without its quoted excerpt of the input, which may span lines or hold control
 * characters from the file.
 */
export function describeJsonParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message
    .replace(/, (?:\.\.\.)?"[\s\S]* is not valid JSON$/, '')
    .replace(/ at position \d+[\s\S]*$/, '')
    .replace(/ in JSON$/, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return reason || 'invalid JSON';
}
