/**
 * The line reader of bun.lock's `packages` section (bun-entries.ts) against the checked path
 * it stands in for: over every real bun.lock at hand and seeded edits of them, a parse with the
 * fast path gives exactly what the checked path gives (every node field, locations included,
 * edges and their targets, importers, flags), or the same error. The edits are aimed at what
 * the fast path must prove (spacing, escapes, repeated keys and fields, field order, value
 * types, index-like names), and both outcomes, read and declined, must be common among them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import { parseBunLockfile } from '../../src/lockfiles/bun.ts';
import { readBunEntries } from '../../src/lockfiles/bun-entries.ts';
import { damageBytes, mutateText, random } from './fuzz.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = path.join(ROOT, '../shared/corpus/lockfiles');
const BENCH = [path.join(ROOT, 'node_modules/.cache/pkgguard-bench/bun-large/bun.lock'), path.join(ROOT, '../shared/bench/sink/bun/bun.lock')];

function bunLocks(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => path.basename(file) === 'bun.lock')
    .map((file) => path.join(folder, file))
    .filter((file) => statSync(file).isFile())
    .sort();
}

const FIXTURE_LOCKS = bunLocks(path.join(ROOT, 'fixtures'));
const CORPUS_LOCKS = bunLocks(CORPUS);
const BENCH_LOCKS = BENCH.filter((file) => existsSync(file));

interface Outcome {
  readonly graph?: Pick<DependencyGraph, 'lockfile' | 'root' | 'importers' | 'packages'>;
  readonly error?: { readonly name: string; readonly message: string; readonly hints: unknown };
}

function outcome(input: LockfileInput, fast: boolean): Outcome {
  try {
    const { lockfile, root, importers, packages } = parseBunLockfile(input, { fast });
    return { graph: { lockfile, root, importers, packages } };
  } catch (error) {
    const { name, message, hints } = error as Error & { hints?: unknown };
    return { error: { name, message, hints } };
  }
}

function inputOf(file: string, text: string): LockfileInput {
  return { path: 'bun.lock', absolutePath: file, text };
}

/** Parses both ways, expects the same outcome, and says whether the fast path read the section. */
function compare(file: string, text: string): boolean {
  const input = inputOf(file, text);
  const fast = outcome(input, true);
  const checked = outcome(input, false);
  expect(fast, `${file}, the text:\n${text.length < 4000 ? text : `${text.slice(0, 4000)}…`}`).toEqual(checked);
  return readBunEntries(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'bun.lock') !== undefined;
}

/** The entry lines of the `packages` section (indexes into `lines`). */
function entryLines(lines: readonly string[]): number[] {
  const start = lines.indexOf('  "packages": {');
  const found: number[] = [];
  for (let k = start + 1; start !== -1 && k < lines.length && lines[k] !== '  }'; k++) if (lines[k]!.startsWith('    "')) found.push(k);
  return found;
}

/** Edits that keep most of the file in bun's shape, each aimed at something the fast path must prove or decline. */
const LINE_EDITS: readonly ((line: string, pick: (n: number) => number, other: string) => string)[] = [
  // escapes, spelled and real
  (line) => line.replace(/"([a-z])/, '"\\u0061$1'),
  (line) => line.replace('@', '\\u0040'),
  // spacing bun does not write
  (line) => line.replace(', ', ','),
  (line) => line.replace(': ', ':  '),
  (line) => line.replace('{ "', '{"'),
  (line) => `${line} `,
  (line) => line.replace(/^ {4}/, '   '),
  (line) => line.replace('\t', ' ').replace('", "', '",\t"'),
  // repeated and reordered info fields
  (line) => line.replace(/\{ "dependencies": (\{[^}]*\}), /, '{ $1X, "dependencies": $1, ').replace('X', '').replace(/\{ \{/, '{ "peerDependencies": {'),
  (line) => line.replace(/\{ ("[a-zA-Z]+": \{[^}]*\}), ("[a-zA-Z]+": \{[^}]*\})/, '{ $2, $1'),
  (line) => line.replace(/\{ "dependencies": (\{[^}]*\})/, '{ "dependencies": $1, "dependencies": { "zz-late": "1" }'),
  (line) => line.replace(/\{ "dependencies": (\{[^}]*\})/, '{ "dependencies": $1, "devDependencies": $1, "optionalDependencies": $1'),
  (line) => line.replace(/"dependencies"/, '"peerDependencies"'),
  (line) => line.replace(/"peerDependencies": \{ "([^"]+)"/, '"optionalPeers": ["$1"], "peerDependencies": { "$1"'),
  (line) => line.replace(/"optionalPeers": \[[^\]]*\]/, '"optionalPeers": []'),
  (line) => line.replace(/"optionalPeers": \[([^\]]*)\]/, '"optionalPeers": [ $1, ]'),
  (line) => line.replace(/"optionalPeers": \[[^\]]*\]/, '"optionalPeers": "x"'),
  (line) => line.replace('", "", {', '", "", { "bundled": true, "hasInstallScript": true, "bundled": false,').replace(', }', ' }').replace('{ "bundled": true, "hasInstallScript": true, "bundled": false,}', '{ "bundled": true, "hasInstallScript": true }'),
  (line) => line.replace('", "", {}', '", "", { "hasInstallScript": true }'),
  (line) => line.replace('", "", {}', '", "", { "bundled": "true" }'),
  (line) => line.replace('", "", {}', '", "", { "os": [ "linux", "darwin", ], "cpu": "x64", "bin": { "a": "b" }, "libc": ["glibc"] }'),
  (line) => line.replace('", "", {}', '", "", { "bin": { "a": 1 } }'),
  (line) => line.replace('", "", {}', '", "", { "dependencies": {} }'),
  // dependency names and values
  (line) => line.replace(/\{ "dependencies": \{ "[^"]+"/, '{ "dependencies": { "123"'),
  (line) => line.replace(/\{ "dependencies": \{ "[^"]+"/, '{ "dependencies": { "__proto__"'),
  (line) => line.replace(/\{ "dependencies": \{ "([^"]+)": "([^"]+)"/, '{ "dependencies": { "$1": "$2", "$1": "9.9.9"'),
  (line) => line.replace(/": "([^"]+)" \}/, '": true }'),
  (line) => line.replace(/\{ "dependencies": \{/, '{ "dependencies": "x", "dependencies": {'),
  // tuple layouts
  (line) => line.replace('", "", {', '", {'),
  (line) => line.replace(/, "sha[^"]*"\]/, ']'),
  (line) => line.replace(/"sha[^"]*"\]/, '""]'),
  (line) => line.replace('", "", {', '", "https://registry.npm.example/x/-/x-1.0.0.tgz", {'),
  (line) => line.replace(/\["[^"@]+@/, '["renamed@'),
  (line) => line.replace(/@(\d)/, '@github:o/r#$1'),
  (line) => line.replace(/^( {4}"[^"]+")/, '    ""'),
  (line) => line.replace(/^( {4}"[^"]+")/, '    "0"'),
  (line) => line.replace(/^( {4}"[^"]+")/, '    "__proto__"'),
  (line) => line.replace(/\],$/, ', 1],'),
  (line) => line.replace(/\],$/, ']'),
  // another entry's key or whole line
  (line, _pick, other) => line.replace(/^ {4}"[^"]+"/, other.match(/^ {4}"[^"]+"/)?.[0] ?? ''),
  (_line, _pick, other) => other,
];

/** One edit of the `packages` section (or, one time in four, anywhere). */
function editSection(text: string, next: () => number): string {
  const pick = (n: number): number => Math.floor(next() * n);
  if (next() < 0.15) return next() < 0.5 ? mutateText(text, next) : damageBytes(text, next);
  const lines = text.split('\n');
  const entries = entryLines(lines);
  if (entries.length === 0) return mutateText(text, next);
  const at = entries[pick(entries.length)]!;
  const other = lines[entries[pick(entries.length)]!]!;
  switch (pick(6)) {
    case 0: {
      // swap two entries: keys and positions move, the graph must follow
      const swap = entries[pick(entries.length)]!;
      [lines[at], lines[swap]] = [lines[swap]!, lines[at]!];
      break;
    }
    case 1:
      // a repeated entry, or a lost blank line
      lines.splice(at, 0, ...(next() < 0.5 ? [other, ''] : [other]));
      break;
    case 2:
      lines.splice(at + 1, 1);
      break;
    default:
      lines[at] = LINE_EDITS[pick(LINE_EDITS.length)]!(lines[at]!, pick, other);
  }
  return lines.join('\n');
}

describe('bun.lock packages read off the lines: the same graph as the checked path', () => {
  it('has real lockfiles to compare', () => {
    expect(FIXTURE_LOCKS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(FIXTURE_LOCKS.map((file) => path.relative(ROOT, file)))('%s', (file) => {
    compare(file, readFileSync(path.join(ROOT, file), 'utf8'));
  });

  it.skipIf(CORPUS_LOCKS.length === 0).each(CORPUS_LOCKS.map((file) => path.relative(CORPUS, file)))('corpus %s', (file) => {
    compare(file, readFileSync(path.join(CORPUS, file), 'utf8'));
  });

  it.skipIf(BENCH_LOCKS.length === 0)('the bench lockfiles, read by the fast path', () => {
    for (const file of BENCH_LOCKS) expect(compare(file, readFileSync(file, 'utf8'))).toBe(true);
  });

  it('takes the fast path for every fixture (all written by bun)', () => {
    const declined = FIXTURE_LOCKS.filter((file) => !compare(file, readFileSync(file, 'utf8'))).map((file) => path.relative(ROOT, file));
    expect(declined).toEqual([]);
  });

  it('reads workspaces placed after the section at their own lines, and trailing sections', () => {
    const text = readFileSync(path.join(ROOT, 'fixtures/lockfiles/bun/workspaces/bun.lock'), 'utf8');
    const start = text.indexOf('  "workspaces": {');
    const end = text.indexOf('\n  "packages": {');
    const moved = `${text.slice(0, start)}${text.slice(end + 1).replace(/\n {2}\},?\n\}\n$/, '\n  },')}\n${text.slice(start, end + 1)}  "overrides": { "ms": "2.1.3" },\n}\n`;
    expect(compare('moved', moved)).toBe(true);
    const graph = parseBunLockfile(inputOf('moved', moved));
    const line = moved.split('\n').indexOf('    "packages/a": {') + 1;
    expect(graph.importers.map((importer) => importer.location.line)).toContain(line);
  });
});

/** A lockfile in bun's layout around the given entry lines (one entry per line, blank lines between). */
function lockOf(...entries: string[]): string {
  const root = '    "": { "name": "app", "dependencies": { "a": "1.0.0", "b": "^2.0.0" }, "devDependencies": { "c": "3.0.0" } },';
  return `{\n  "lockfileVersion": 1,\n  "workspaces": {\n${root}\n  },\n  "packages": {\n${entries.map((entry) => `    ${entry},`).join('\n\n')}\n  }\n}\n`;
}

const SRI = '"sha512-l4Sp/DRseor9wL6EvV2+TuQn63dMkPjZ/sp9XkghTEbV9KlPS1xUsZ3u7/IQO4wxtcFB4bgpQPRcR3QCvezPcQ=="';
const A = `"a": ["a@1.0.0", "", { "dependencies": { "b": "^2.0.0" }, "peerDependencies": { "c": "*", "d": "1" }, "optionalPeers": ["d"] }, ${SRI}]`;
const B = `"b": ["b@2.0.1", "", {}, ${SRI}]`;
const C = `"c": ["c@3.0.0", "https://registry.npm.example/c/-/c-3.0.0.tgz", { "bin": { "c": "cli.js" }, "os": [ "linux", "darwin", ], "cpu": "x64", "hasInstallScript": true }, ""]`;

describe('bun.lock packages read off the lines: what is read, what is declined', () => {
  it.each([
    ['npm entries with every kind of info field', [A, B, C]],
    ['git, tarball, file:, link:, workspace-less root entries through readPackage', [A, B, C, `"g": ["g@github:o/g#abc1234", { "dependencies": { "b": "2" } }, "o-g-abc1234"]`, `"t": ["t@./vendor/t-1.0.0.tgz", {}, ${SRI}]`, '"f": ["f@file:vendor/f", {}]', '"l": ["l@link:l", {}]', '"app": ["app@root:", { "bin": "x" }]']],
    ['an alias, a nested path and a bundled dependency', [A, B, C, `"b/x": ["not-x@1.0.0", "", { "bundled": true, "devDependencies": { "b": "1" }, "dependencies": { "b": "2" } }, ${SRI}]`]],
    ['a name repeated inside a dependency map (the last spec, at the first place)', [A, B, C, `"r": ["r@1.0.0", "", { "dependencies": { "a": "1", "b": "2", "a": "3" } }, ${SRI}]`]],
    ['spacing bun does not write inside a line (parsed alone)', [A.replace('", "", {', '","", {'), B, C]],
    ['a field repeated in the info object (the last value)', [A, B, C, `"r": ["r@1.0.0", "", { "dependencies": { "a": "1" }, "hasInstallScript": true, "dependencies": { "b": "2" }, "hasInstallScript": false }, ${SRI}]`]],
  ])('reads %s', (_title, entries) => {
    const text = lockOf(...entries);
    expect(compare('inline', text)).toBe(true);
    expect(parseBunLockfile(inputOf('inline', text)).packages.length).toBe(entries.filter((entry) => !entry.includes('@root:')).length);
  });

  it.each([
    ['a repeated package key', [A, B, C, B.replace('2.0.1', '2.0.2')]],
    ['an escape in a string', [A, B, C.replace('cli.js', 'cli\\u002ejs')]],
    ['an index-like package key', [A, B, C, `"7": ["seven@1.0.0", "", {}, ${SRI}]`]],
    ['an index-like dependency name', [A, B, C.replace('"bin"', '"dependencies": { "12": "1.0.0" }, "bin"')]],
    ['a __proto__ key', [A, B, C, `"__proto__": ["p@1.0.0", "", {}, ${SRI}]`]],
    ['a dependency group that is not a string map', [A.replace('{ "b": "^2.0.0" }', '["b"]'), B, C]],
    ['a tuple spread over lines', [A, B, C.replace(', { "bin"', ',\n      { "bin"')]],
    ['a comment', [A, `// pinned\n    ${B}`, C]],
    ['an indentation bun does not write', [A, ` ${B}`, C]],
    ['an entry the checked path refuses', [A, B, C, `"e": ["e@1.0.0", "", {}, ${SRI}, 1]`]],
  ])('declines %s, and the checked path decides', (_title, entries) => {
    expect(compare('inline', lockOf(...entries))).toBe(false);
  });

  it('declines a file with CRLF line ends or a second "packages" key', () => {
    const text = lockOf(A, B, C);
    expect(compare('inline', text.replace(/\n/g, '\r\n'))).toBe(false);
    expect(compare('inline', text.replace(/\n}\n$/, ',\n  "packages": {},\n}\n'))).toBe(false);
  });
});

describe('bun.lock packages read off the lines: seeded edits', () => {
  const originals = [...FIXTURE_LOCKS, ...CORPUS_LOCKS].map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const sink = BENCH_LOCKS.find((file) => file.includes('sink'));

  it('gives the checked path\'s graph or error for every edit, and both outcomes are common', () => {
    const next = random(0xb0b);
    const count = { taken: 0, declined: 0 };
    for (let round = 0; round < 1200; round++) {
      const { file, text } = originals[round % originals.length]!;
      const edited = editSection(text, next);
      if (compare(file, edited)) count.taken++;
      else count.declined++;
    }
    expect(count.taken).toBeGreaterThan(300);
    expect(count.declined).toBeGreaterThan(300);
  });

  it.skipIf(sink === undefined)('edits of the 2,658-entry bench lockfile', () => {
    const text = readFileSync(sink!, 'utf8');
    const next = random(0x51c);
    const count = { taken: 0, declined: 0 };
    for (let round = 0; round < 40; round++) {
      if (compare(sink!, editSection(text, next))) count.taken++;
      else count.declined++;
    }
    expect(count.taken).toBeGreaterThan(8);
    expect(count.declined).toBeGreaterThan(8);
  });
});
