/**
 * The fast reader of pnpm's YAML style: what it reads (exact values, equal to js-yaml's), what
 * it leaves to js-yaml (undefined), and the differential check over every real lockfile we
 * have: the fixtures, the shared corpus and the benchmark lockfile when they are present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readPnpmYaml, readPnpmYamlIndexed } from '../../src/lockfiles/pnpm-yaml.ts';
import { FIXTURES } from './pnpm-fixtures.ts';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

describe('pnpm YAML reader: the style pnpm writes', () => {
  it('reads block mappings, sequences, flow collections and every scalar form pnpm writes', () => {
    const text = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      '@scope/a':
        specifier: ^1.0.0
        version: 1.0.0(b@2.0.0)

packages:

  '@scope/a@1.0.0':
    resolution: {integrity: sha512-AAAA, tarball: https://tarballs.example/a.tgz}
    engines: {node: '>=18', '0': node >=0.10.0}
    cpu: [x64, '!arm']
    os: []
    hasBin: true
    bundledDependencies: {}
    deprecated: "it''s \\"gone\\" \\u00e9"
    transitivePeerDependencies:
      - supports-color
      - 'it''s'
    peerDependencies:
      b: ~2.0.0
      c: 1.5
      d: 10
      e: null
      f: ~

# a comment line
snapshots:
  '@scope/a@1.0.0(b@2.0.0)':
    optional: false
    list:
    - compact
    - sequence
    after: 1.0.0
`;
    const expected = [
      {
        lockfileVersion: '9.0',
        settings: { autoInstallPeers: true, excludeLinksFromLockfile: false },
        importers: { '.': { dependencies: { '@scope/a': { specifier: '^1.0.0', version: '1.0.0(b@2.0.0)' } } } },
        packages: {
          '@scope/a@1.0.0': {
            resolution: { integrity: 'sha512-AAAA', tarball: 'https://tarballs.example/a.tgz' },
            engines: { node: '>=18', '0': 'node >=0.10.0' },
            cpu: ['x64', '!arm'],
            os: [],
            hasBin: true,
            bundledDependencies: {},
            deprecated: 'it\'\'s "gone" é',
            transitivePeerDependencies: ['supports-color', "it's"],
            peerDependencies: { b: '~2.0.0', c: 1.5, d: 10, e: null, f: null },
          },
        },
        snapshots: { '@scope/a@1.0.0(b@2.0.0)': { optional: false, list: ['compact', 'sequence'], after: '1.0.0' } },
      },
    ];
    expect(readPnpmYaml(text)).toStrictEqual(expected);
    expect(loadAll(text)).toStrictEqual(expected);
  });

  it('reads literal blocks as pnpm writes deprecation messages', () => {
    const text = 'a:\n  deprecated: |-\n    line one\n\n    line three\n  next: |\n    kept\n\nb: 1\n';
    const expected = [{ a: { deprecated: 'line one\n\nline three', next: 'kept\n' }, b: 1 }];
    expect(readPnpmYaml(text)).toStrictEqual(expected);
    expect(loadAll(text)).toStrictEqual(expected);
  });

  it('reads documents separated by ---, with or without a leading marker', () => {
    expect(readPnpmYaml('---\na: 1\n\n---\nb: 2\n')).toStrictEqual([{ a: 1 }, { b: 2 }]);
    expect(readPnpmYaml('a: 1\n---\nb: 2')).toStrictEqual([{ a: 1 }, { b: 2 }]);
    expect(readPnpmYaml('key:\nother: x\n')).toStrictEqual([{ key: null, other: 'x' }]);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a folded block', 'a: >-\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', "a: 'one\n  two'\n"],
    ['a comment after a value', 'a: b # note\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a key js-yaml types as a number', '0x10: a\n'],
    ['a number js-yaml types its own way', 'a: 0x1F\n'],
    ['a timestamp', 'a: 2024-01-01\n'],
    ['a YAML-only escape', 'a: "\\x41"\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte order mark', '\uFEFFa: 1\n'],
    ['an empty document between markers', '---\n---\na: 1\n'],
    ['a trailing empty document', 'a: 1\n---\n'],
    ['nothing but comments', '# only\n'],
    ['a mapping inside a sequence', 'a:\n  - b: 1\n'],
    ['a flow mapping with a trailing comma', 'a: {b: 1, }\n'],
    ['an indentation error', 'a:\n    b: 1\n  c: 2\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a merge key', '<<: {a: 1}\n'],
  ])('leaves %s to js-yaml', (_name, text) => {
    expect(readPnpmYaml(text)).toBeUndefined();
  });
});

/** js-yaml's documents, or undefined when it rejects the text. */
function loadOrUndefined(text: string): unknown[] | undefined {
  try {
    return loadAll(text);
  } catch {
    return undefined;
  }
}

describe('pnpm YAML reader: lines at the edges of the common shapes it reads by regex', () => {
  // Each line sits in an entry (`packages.e.<line>`), where the reader's common-line regex
  // takes most lines; every case must read as js-yaml reads it, or be left to js-yaml.
  const read = [
    'a: b', "a: 'b c'", "'a''b': c", "'': c", 'a: b:c', 'a: b#c', 'a: b  c', 'a: ~1.0', 'a: ^1.0.0 || >=2', 'a: 1.5', 'a: 10', 'a: 1.0.0(p@1.0.0)',
    'a: True', 'a: null', 'a: ~', 'tRUE: a', 'true: a', 'null: a', "a'b: c", 'a#b: c', 'a: {node: x}', "a: {node: '>=18'}", 'a: {node: a b}', 'a: {node: 1.5}',
    'a: {true: x}', "a: {node: 'a''b'}", 'a: {integrity: sha512-abc/+==}', 'a: {integrity: sha512-a b}', 'a: {node: x:y}',
    'a: {}', 'a: [x64]', "a: ['!arm']", 'a: [1.5]', 'a: [a b]',
  ];
  const leftOrEqual = [
    'True: a', 'NULL: a', 'Null: x', 'FALSE: x', 'a: b: c', 'a: b:', 'a: b #c', 'a: b ', 'a:  b', "a: 'x' ", "a: 'x'y", 'a: 0x10', 'a: .5', 'a: 1e3',
    'a: 2024-01-01', 'a: -1', 'a: {node: x }', 'a: {node: x:}', 'a: {node: x: y}', 'a: {constructor: x}', 'a: {node: -1}', 'a: { node: x}',
    'a: {node: x #y}', 'constructor: x', 'toString: x', '__proto__: x', 'a: {a: 1, a: 2}', 'a: [x, y]', 'a:b: c',
    'a: [x ]', 'a: [ x]', 'a: [-1]', 'a: {} ', 'a: [x: y]', 'a: [x:]', 'a: []', 'a: [x]]', 'a: {}}',
  ];
  it.each([...read.map((line) => [line, true] as const), ...leftOrEqual.map((line) => [line, false] as const)])('%j', (line, mustRead) => {
    for (const text of [`packages:\n  e:\n    ${line}\n`, `packages:\n  e:\n    list:\n      - ${line}\n`, `${line}\n`]) {
      const documents = readPnpmYaml(text);
      const reference = loadOrUndefined(text);
      if (documents !== undefined) expect(documents, text).toStrictEqual(reference);
      if (reference === undefined) expect(documents, text).toBeUndefined();
    }
    if (mustRead) expect(readPnpmYaml(`packages:\n  e:\n    ${line}\n`)).toBeDefined();
  });

  it('reads items the way js-yaml does, and leaves mappings inside sequences to it', () => {
    const text = "a:\n  - x\n  - 'y z'\n  - 1.5\n  - b:c\n";
    expect(readPnpmYaml(text)).toStrictEqual([{ a: ['x', 'y z', 1.5, 'b:c'] }]);
    expect(readPnpmYaml('a:\n  - b: c\n')).toBeUndefined();
    expect(readPnpmYaml('a:\n  - b:\n')).toBeUndefined();
  });
});

describe('pnpm YAML reader: unread entry fields', () => {
  const text = `engines: {node: x}
packages:
  a@1.0.0:
    engines: {node: '>=18'}
    cpu: [x64]
    transitivePeerDependencies:
      - b
    dependencies:
      engines: 1.0.0
    resolution: {integrity: sha512-AAAA}
`;
  it('keeps null for the named fields of entries, two levels below the top, and everything else', () => {
    expect(readPnpmYamlIndexed(text, [], new Set(['engines', 'cpu', 'transitivePeerDependencies']))?.documents).toStrictEqual([
      {
        engines: { node: 'x' },
        packages: {
          'a@1.0.0': { engines: null, cpu: null, transitivePeerDependencies: null, dependencies: { engines: '1.0.0' }, resolution: { integrity: 'sha512-AAAA' } },
        },
      },
    ]);
    expect(readPnpmYamlIndexed(text, [])?.documents).toStrictEqual(loadAll(text));
  });

  it('still judges them: a broken or duplicated unread field leaves the text to js-yaml', () => {
    const unread = new Set(['engines']);
    expect(readPnpmYamlIndexed('packages:\n  a:\n    engines: {node: x\n', [], unread)).toBeUndefined();
    expect(readPnpmYamlIndexed('packages:\n  a:\n    engines: x\n    engines: y\n', [], unread)).toBeUndefined();
  });
});

/**
 * Real lockfiles whose style the fast reader leaves to js-yaml, and why. pnpm 10 writes a
 * managed runtime's per-platform downloads as a sequence of mappings (`- resolution: …`),
 * which the reader does not read (see 'a mapping inside a sequence' above); such files are
 * rare enough that the slower parse costs nothing that matters.
 */
const LEFT_TO_JS_YAML = new Set(['fixtures/runtime/pnpm10/pnpm-lock.yaml']);

/** Real lockfiles to compare on, with the names tests show. */
function realLockfiles(): { name: string; file: string }[] {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((file) => path.basename(file) === 'pnpm-lock.yaml')
    .map((file) => ({ name: `fixtures/${file}`, file: path.join(FIXTURES, file) }));
  const corpus = path.join(SHARED, 'corpus/lockfiles/pnpm');
  if (existsSync(corpus)) {
    for (const name of readdirSync(corpus).sort()) files.push({ name: `corpus/${name}`, file: path.join(corpus, name, 'pnpm-lock.yaml') });
  }
  const bench = path.join(SHARED, 'bench/sink/pnpm/pnpm-lock.yaml');
  if (existsSync(bench)) files.push({ name: 'bench/sink/pnpm', file: bench });
  return files;
}

describe('pnpm YAML reader against js-yaml on real lockfiles', () => {
  const lockfiles = realLockfiles();
  if (!existsSync(path.join(SHARED, 'corpus'))) {
    it.skip('corpus cases: ../shared/corpus is absent, so only the fixtures were compared', () => {});
  }

  it.each(lockfiles)('$name', ({ name, file }) => {
    const text = readFileSync(file, 'utf8');
    const documents = readPnpmYaml(text);
    const reference = loadAll(text);
    // Files of nothing but comments are js-yaml's to read; every other real file is pnpm's style.
    if (reference.every((document) => document === null) || LEFT_TO_JS_YAML.has(name)) expect(documents).toBeUndefined();
    else expect(documents).toStrictEqual(reference);
  });
});
