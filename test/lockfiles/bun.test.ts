import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LockfileParseError, UnsupportedLockfileError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import bun from '../../src/lockfiles/bun.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import { damageBytes, itSurvivesDamage, mutateText } from './fuzz.ts';
import { inlineInput, parseError as parseErrorOf, readInput, summaryOf } from './graph-summary.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/bun/', import.meta.url));
const REGENERATE = 'regenerate it with: bun install --lockfile-only';
const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
const MS_2_0_0 = 'sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==';

function fixture(scenario: string, file = 'bun.lock'): LockfileInput {
  return readInput(path.join(FIXTURES, scenario, file), file);
}

/** An in-memory lockfile in a directory named "project". */
function inline(text: string, file = 'bun.lock'): LockfileInput {
  return inlineInput(text, file);
}

/** A v1 bun.lock around the given `packages` body and root dependencies. */
function lockWith(packages: string, rootDependencies = '{}', extra = ''): string {
  return `{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": { "name": "app", "dependencies": ${rootDependencies} },\n  },${extra}\n  "packages": {\n${packages}\n  },\n}\n`;
}

const parseError = (input: LockfileInput): Promise<unknown> => parseErrorOf(bun, input);

const chain = (graph: DependencyGraph, id: string): string[] => graph.pathsTo(graph.node(id)!)[0]!.map((node) => node.id);

describe('bun parser: the table row', () => {
  it('claims bun.lock, then bun.lockb, and is detected after npm', () => {
    expect(bun.format).toBe('bun');
    expect(bun.filenames).toEqual(['bun.lock', 'bun.lockb']);
    const order = LOCKFILE_PARSERS.map((parser) => parser.format);
    expect(order.indexOf('bun')).toBe(order.length - 1);
    expect(order.indexOf('npm')).toBe(0);
  });
});

describe('bun parser: a basic lockfile (bun 1.4, lockfileVersion 2)', () => {
  it('reads the whole graph with locations, flags, sources and edges', async () => {
    const graph = await bun.parse(fixture('basic'));
    expect(graph.lockfile).toEqual({ path: 'bun.lock', format: 'bun', formatVersion: '2' });
    expect(graph.importers).toEqual([]);
    expect(summaryOf(graph)).toEqual([
      '<root> bun-basic@ 5:5 [] directory . => debug(prod 2.6.9)->debug, once(prod ^1.4.0)->once, ms(dev 2.1.3)->ms',
      'debug debug@2.6.9 17:5 [] registry => ms(prod 2.0.0)->debug/ms',
      'ms ms@2.1.3 19:5 [dev] registry',
      'once once@1.4.0 21:5 [] registry => wrappy(prod 1)->wrappy',
      'wrappy wrappy@1.0.2 23:5 [] registry',
      'debug/ms ms@2.0.0 25:5 [] registry',
    ]);
  });

  it('builds complete nodes (hand-checked against the file)', async () => {
    const graph = await bun.parse(fixture('basic'));
    expect(graph.node('debug/ms')).toEqual({
      id: 'debug/ms',
      name: 'ms',
      version: '2.0.0',
      alias: undefined,
      // "" in the registry field: the default registry, whose URL bun leaves out.
      source: { type: 'registry' },
      resolved: undefined,
      integrity: MS_2_0_0,
      flags: NO_FLAGS,
      hasInstallScript: false,
      location: { file: 'bun.lock', line: 25, column: 5 },
      dependencies: [],
    });
    expect(graph.root).toMatchObject({ id: '', name: 'bun-basic', version: '', source: { type: 'directory', path: '.' } });
  });

  it('answers "why is this here?" through the nested package path', async () => {
    const graph = await bun.parse(fixture('basic'));
    expect(chain(graph, 'debug/ms')).toEqual(['', 'debug', 'debug/ms']);
    expect(graph.dependents(graph.node('wrappy')!).map((node) => node.id)).toEqual(['once']);
  });
});

describe('bun parser: workspaces', () => {
  const V2 = [
    '<root> bun-workspaces@ 5:5 [] directory . => ms(dev 2.1.3)->ms',
    'packages/a @fixture/a@1.0.0 11:5 [] workspace packages/a => @fixture/b(prod workspace:*)->packages/b, once(prod ^1.4.0)->once',
    'packages/b @fixture/b@2.0.0 19:5 [] workspace packages/b => debug(prod 2.6.9)->debug, ms(prod 2.0.0)->@fixture/b/ms, wrappy(dev 1.0.2)->wrappy',
    'debug debug@2.6.9 36:5 [] registry => ms(prod 2.0.0)->debug/ms',
    'ms ms@2.1.3 38:5 [dev] registry',
    'once once@1.4.0 40:5 [] registry => wrappy(prod 1)->wrappy',
    'wrappy wrappy@1.0.2 42:5 [] registry',
    '@fixture/b/ms ms@2.0.0 44:5 [] registry',
    'debug/ms ms@2.0.0 46:5 [] registry',
  ];

  it('makes workspaces importers, resolves workspace entries to them and scoped paths first', async () => {
    const graph = await bun.parse(fixture('workspaces'));
    expect(summaryOf(graph)).toEqual(V2);
    // wrappy is a dev dependency of packages/b but a prod one of once (from packages/a): not dev.
    expect(graph.node('wrappy')!.flags.dev).toBe(false);
  });

  it('finds paths from each workspace, a root of its own subtree', async () => {
    const graph = await bun.parse(fixture('workspaces'));
    expect(chain(graph, '@fixture/b/ms')).toEqual(['packages/b', '@fixture/b/ms']);
    expect(chain(graph, 'debug/ms')).toEqual(['packages/b', 'debug', 'debug/ms']);
    expect(chain(graph, 'once')).toEqual(['packages/a', 'once']);
    expect(graph.dependents(graph.node('packages/b')!).map((node) => node.id)).toEqual(['packages/a']);
  });

  it('reads the same project locked by bun 1.3 (lockfileVersion 1)', async () => {
    const graph = await bun.parse(fixture('workspaces-v1'));
    expect(graph.lockfile.formatVersion).toBe('1');
    expect(summaryOf(graph)).toEqual(V2);
  });

  it('reads the same project locked by bun 1.1 (lockfileVersion 0, workspace entries with their info)', async () => {
    const graph = await bun.parse(fixture('workspaces-v0'));
    expect(graph.lockfile.formatVersion).toBe('0');
    expect(summaryOf(graph)).toEqual([
      '<root> bun-workspaces@ 4:5 [] directory . => ms(dev 2.1.3)->ms',
      // bun 1.1 wrote the workspace dependency as its folder, not "workspace:*".
      'packages/a @fixture/a@1.0.0 10:5 [] workspace packages/a => @fixture/b(prod packages/b)->packages/b, once(prod ^1.4.0)->once',
      'packages/b @fixture/b@2.0.0 18:5 [] workspace packages/b => debug(prod 2.6.9)->debug, ms(prod 2.0.0)->@fixture/b/ms, wrappy(dev 1.0.2)->wrappy',
      'debug debug@2.6.9 35:5 [] registry => ms(prod 2.0.0)->debug/ms',
      'ms ms@2.1.3 37:5 [dev] registry',
      'once once@1.4.0 39:5 [] registry => wrappy(prod 1)->wrappy',
      'wrappy wrappy@1.0.2 41:5 [] registry',
      '@fixture/b/ms ms@2.0.0 43:5 [] registry',
      'debug/ms ms@2.0.0 45:5 [] registry',
    ]);
  });

  it('reads catalogs, overrides, trusted and patched dependencies without changing the graph', async () => {
    const graph = await bun.parse(fixture('extras'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-extras@ 5:5 [] directory . => ms(prod 2.1.3)->ms',
      'packages/app app@0.0.1 11:5 [] workspace packages/app => once(prod catalog:)->once',
      'ms ms@2.1.3 34:5 [] registry',
      'once once@1.4.0 36:5 [] registry => wrappy(prod 1)->wrappy',
      // The override (wrappy 1.0.1) is already applied in the locked version.
      'wrappy wrappy@1.0.1 38:5 [] registry',
    ]);
  });

  it('gives an importer another id when a package path is spelled like its folder', async () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": { "name": "root", "dependencies": { "tool": "workspace:*", "lib": "1.0.0" } },
    "lib": { "name": "tool", "version": "2.0.0" },
  },
  "packages": {
    "lib": ["lib@1.0.0", "", {}, "sha512-AA=="],
    "tool": ["tool@workspace:lib"],
  },
}`;
    const graph = await bun.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '<root> root@ 4:5 [] directory . => tool(prod workspace:*)->./lib, lib(prod 1.0.0)->lib',
      './lib tool@2.0.0 5:5 [] workspace lib',
      'lib lib@1.0.0 8:5 [] registry',
    ]);
  });
});

describe('bun parser: sources and aliases', () => {
  it('names an npm: alias by the real package and keeps the install name apart', async () => {
    const graph = await bun.parse(fixture('alias'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-alias@ 5:5 [] directory . => ms(prod 2.1.3)->ms, ms-old(prod npm:ms@2.0.0)->ms-old, str(prod npm:string-width@4.2.3)->str',
      'ansi-regex ansi-regex@5.0.1 15:5 [] registry',
      'emoji-regex emoji-regex@8.0.0 17:5 [] registry',
      'is-fullwidth-code-point is-fullwidth-code-point@3.0.0 19:5 [] registry',
      'ms ms@2.1.3 21:5 [] registry',
      'ms-old ms@2.0.0 as ms-old 23:5 [] registry',
      'str string-width@4.2.3 as str 25:5 [] registry => emoji-regex(prod ^8.0.0)->emoji-regex, is-fullwidth-code-point(prod ^3.0.0)->is-fullwidth-code-point, strip-ansi(prod ^6.0.1)->strip-ansi',
      'strip-ansi strip-ansi@6.0.1 27:5 [] registry => ansi-regex(prod ^5.0.1)->ansi-regex',
    ]);
  });

  it('reads a git dependency with the commit bun resolved', async () => {
    const graph = await bun.parse(fixture('git'));
    expect(graph.node('git-dep')).toMatchObject({
      name: 'git-dep',
      version: '',
      source: { type: 'git', url: 'git+file:///srv/git/git-dep.git', committish: 'a5eb58ff9d280d19c47a6f0156541f45dd8893b3' },
      resolved: 'git+file:///srv/git/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
      integrity: undefined,
      location: { line: 13, column: 5 },
      dependencies: [{ name: 'ms', spec: '2.1.3', type: 'prod', to: 'ms' }],
    });
  });

  it('reads local and remote tarballs, with their integrity', async () => {
    const graph = await bun.parse(fixture('tarball'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-tarball@ 5:5 [] directory . => local-tgz(prod ./vendor/local-tgz-1.0.0.tgz)->local-tgz, remote-ms(prod https://tarballs.example/ms-2.1.3.tgz)->remote-ms',
      'local-tgz local-tgz@ 14:5 [] tarball file:./vendor/local-tgz-1.0.0.tgz => wrappy(prod 1.0.2)->wrappy',
      'remote-ms ms@ as remote-ms 16:5 [] tarball https://tarballs.example/ms-2.1.3.tgz',
      'wrappy wrappy@1.0.2 18:5 [] registry',
    ]);
    expect(graph.node('local-tgz')!.resolved).toBe('./vendor/local-tgz-1.0.0.tgz');
    expect(graph.node('remote-ms')!.integrity).toBe(
      'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
    );
  });

  it('reads file: folders and link: dependencies', async () => {
    const graph = await bun.parse(fixture('file-link'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-file-link@ 5:5 [] directory . => dir-dep(prod file:./vendor/dir-dep)->dir-dep, linked-pkg(prod link:linked-pkg)->linked-pkg',
      'dir-dep dir-dep@ 14:5 [] directory vendor/dir-dep => wrappy(prod 1.0.2)->wrappy',
      'linked-pkg linked-pkg@ 16:5 [] link linked-pkg',
      'wrappy wrappy@1.0.2 18:5 [] registry',
    ]);
    expect([graph.node('dir-dep')!.resolved, graph.node('dir-dep')!.integrity]).toEqual([undefined, undefined]);
  });

  it('keeps a scoped registry tarball URL as source and resolved', async () => {
    const graph = await bun.parse(fixture('scoped-registry'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-scoped-registry@ 5:5 [] directory . => @types/ms(prod 2.1.0)->@types/ms, ms(prod 2.1.3)->ms',
      '@types/ms @types/ms@2.1.0 14:5 [] registry https://npm.corp.example/@types/ms/-/ms-2.1.0.tgz',
      'ms ms@2.1.3 16:5 [] registry',
    ]);
    expect(graph.node('@types/ms')!.resolved).toBe('https://npm.corp.example/@types/ms/-/ms-2.1.0.tgz');
  });

  it('reads github entries, the older npm-like git layout and bun tags', async () => {
    const text = lockWith(
      `    "a": ["a@github:o/a#bca26e4", "", {}, "sha512-AA=="],
    "b": ["b@github:o/b#527e8ce", { "dependencies": { "c": "^1.0.0" } }, "o-b-527e8ce"],
    "c": ["c@git+ssh://git@host.example/o/c.git#1ae6dc1267500360b411ec711b8aeac8c68b2246", {}, "1ae6dc1267500360b411ec711b8aeac8c68b2246", "sha512-BB=="],
    "d": ["d@git+https://host.example/o/d.git", {}, "d-tag"],`,
      '{ "a": "github:o/a", "b": "github:o/b", "d": "git+https://host.example/o/d.git" }',
    );
    const graph = await bun.parse(inline(text));
    expect(graph.packages.map((node) => [node.id, node.source, node.resolved, node.integrity])).toEqual([
      ['a', { type: 'git', url: 'github:o/a', committish: 'bca26e4' }, 'github:o/a#bca26e4', 'sha512-AA=='],
      ['b', { type: 'git', url: 'github:o/b', committish: '527e8ce' }, 'github:o/b#527e8ce', undefined],
      [
        'c',
        { type: 'git', url: 'git+ssh://git@host.example/o/c.git', committish: '1ae6dc1267500360b411ec711b8aeac8c68b2246' },
        'git+ssh://git@host.example/o/c.git#1ae6dc1267500360b411ec711b8aeac8c68b2246',
        'sha512-BB==',
      ],
      ['d', { type: 'git', url: 'git+https://host.example/o/d.git', committish: undefined }, 'git+https://host.example/o/d.git', undefined],
    ]);
  });

  it('reads root entries as the project and tolerates npm entries missing their tail', async () => {
    const text = lockWith(
      `    "app": ["app@root:", { "bin": { "app": "cli.js" } }],
    "x": ["x@1.0.0", { "dependencies": { "app": "*" } }, "sha512-AA=="],
    "y": ["y@2.0.0"],`,
      '{ "x": "1.0.0", "y": "2.0.0" }',
    );
    const graph = await bun.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '<root> app@ 4:5 [] directory . => x(prod 1.0.0)->x, y(prod 2.0.0)->y',
      'x x@1.0.0 8:5 [] registry => app(prod *)->',
      'y y@2.0.0 9:5 [] registry',
    ]);
    expect([graph.node('x')!.integrity, graph.node('y')!.integrity, graph.node('y')!.resolved]).toEqual(['sha512-AA==', undefined, undefined]);
  });

  it('reads an empty integrity as none, the way bun writes a hash it cannot express', async () => {
    const graph = await bun.parse(inline(lockWith('    "x": ["x@1.0.0", "", {}, ""],', '{ "x": "1.0.0" }')));
    expect(graph.node('x')!.integrity).toBeUndefined();
  });
});

describe('bun parser: resolution', () => {
  it('looks in the package folder, then each enclosing one, then the top level, with scopes', async () => {
    const text = lockWith(
      `    "@s/a": ["@s/a@1.0.0", "", { "dependencies": { "b": "1", "c": "1" } }, "sha512-AA=="],
    "@s/a/b": ["b@1.0.0", "", { "dependencies": { "@t/d": "1", "c": "1" } }, "sha512-AA=="],
    "@s/a/b/@t/d": ["@t/d@1.0.0", "", { "dependencies": { "c": "1", "e": "1", "f": "1" } }, "sha512-AA=="],
    "@s/a/c": ["c@1.0.0", "", {}, "sha512-AA=="],
    "c": ["c@2.0.0", "", {}, "sha512-AA=="],
    "e": ["e@1.0.0", "", {}, "sha512-AA=="],`,
      '{ "@s/a": "1", "c": "2" }',
    );
    const graph = await bun.parse(inline(text));
    const edges = (id: string): string[] => graph.node(id)!.dependencies.map((edge) => `${edge.name}->${edge.to ?? '-'}`);
    expect(edges('@s/a')).toEqual(['b->@s/a/b', 'c->@s/a/c']);
    expect(edges('@s/a/b')).toEqual(['@t/d->@s/a/b/@t/d', 'c->@s/a/c']);
    expect(edges('@s/a/b/@t/d')).toEqual(['c->@s/a/c', 'e->e', 'f->-']);
    expect(graph.node('@s/a/b/@t/d')!.alias).toBeUndefined();
    expect(chain(graph, '@s/a/b/@t/d')).toEqual(['', '@s/a', '@s/a/b', '@s/a/b/@t/d']);
  });

  it('keeps one edge per name, in bun precedence: dev, then optional, then prod, then peer', async () => {
    const text = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "dependencies": { "a": "1", "b": "1" },
      "devDependencies": { "a": "2" },
      "optionalDependencies": { "b": "3", "c": "1" },
      "peerDependencies": { "c": "4", "d": "1" },
      "optionalPeers": ["d"],
    },
  },
}`;
    const graph = await bun.parse(inline(text));
    expect(graph.root.dependencies).toEqual([
      { name: 'c', spec: '1', type: 'optional', to: undefined },
      { name: 'd', spec: '1', type: 'peerOptional', to: undefined },
      { name: 'a', spec: '2', type: 'dev', to: undefined },
      { name: 'b', spec: '3', type: 'optional', to: undefined },
    ]);
    expect(graph.root.name).toBe('project');
    expect(graph.packages).toEqual([]);
  });
});

describe('bun parser: flags computed from dependency types', () => {
  it('marks peers only peers reach, and leaves unresolved optional peers unresolved', async () => {
    const graph = await bun.parse(fixture('peer'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-peer@ 5:5 [] directory . => ms(peer ^2.1.0)->ms, react-dom(prod 18.3.1)->react-dom, ws(prod 8.18.0)->ws',
      'js-tokens js-tokens@4.0.0 17:5 [] registry',
      'loose-envify loose-envify@1.4.0 19:5 [] registry => js-tokens(prod ^3.0.0 || ^4.0.0)->js-tokens',
      'ms ms@2.1.3 21:5 [peer] registry',
      'react react@18.3.1 23:5 [peer] registry => loose-envify(prod ^1.1.0)->loose-envify',
      'react-dom react-dom@18.3.1 25:5 [] registry => react(peer ^18.3.1)->react, loose-envify(prod ^1.1.0)->loose-envify, scheduler(prod ^0.23.2)->scheduler',
      'scheduler scheduler@0.23.2 27:5 [] registry => loose-envify(prod ^1.1.0)->loose-envify',
      'ws ws@8.18.0 29:5 [] registry => bufferutil(peerOptional ^4.0.1)->-, utf-8-validate(peerOptional >=5.0.2)->-',
    ]);
  });

  it('marks optional and dev subtrees, an optional dependency of a dev one included', async () => {
    const graph = await bun.parse(fixture('optional'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-optional@ 5:5 [] directory . => debug(prod 2.6.9)->debug, fsevents(optional 2.3.3)->fsevents, inflight(optional 1.0.6)->inflight, chokidar(dev 3.6.0)->chokidar',
      'anymatch anymatch@3.1.3 20:5 [dev] registry => normalize-path(prod ^3.0.0)->normalize-path, picomatch(prod ^2.0.4)->picomatch',
      'binary-extensions binary-extensions@2.3.0 22:5 [dev] registry',
      'braces braces@3.0.3 24:5 [dev] registry => fill-range(prod ^7.1.1)->fill-range',
      'chokidar chokidar@3.6.0 26:5 [dev] registry => anymatch(prod ~3.1.2)->anymatch, braces(prod ~3.0.2)->braces, glob-parent(prod ~5.1.2)->glob-parent, is-binary-path(prod ~2.1.0)->is-binary-path, is-glob(prod ~4.0.1)->is-glob, normalize-path(prod ~3.0.0)->normalize-path, readdirp(prod ~3.6.0)->readdirp, fsevents(optional ~2.3.2)->fsevents',
      'debug debug@2.6.9 28:5 [] registry => ms(prod 2.0.0)->ms',
      'fill-range fill-range@7.1.1 30:5 [dev] registry => to-regex-range(prod ^5.0.1)->to-regex-range',
      'fsevents fsevents@2.3.3 32:5 [optional] registry',
      'glob-parent glob-parent@5.1.2 34:5 [dev] registry => is-glob(prod ^4.0.1)->is-glob',
      'inflight inflight@1.0.6 36:5 [optional] registry => once(prod ^1.3.0)->once, wrappy(prod 1)->wrappy',
      'is-binary-path is-binary-path@2.1.0 38:5 [dev] registry => binary-extensions(prod ^2.0.0)->binary-extensions',
      'is-extglob is-extglob@2.1.1 40:5 [dev] registry',
      'is-glob is-glob@4.0.3 42:5 [dev] registry => is-extglob(prod ^2.1.1)->is-extglob',
      'is-number is-number@7.0.0 44:5 [dev] registry',
      'ms ms@2.0.0 46:5 [] registry',
      'normalize-path normalize-path@3.0.0 48:5 [dev] registry',
      'once once@1.4.0 50:5 [optional] registry => wrappy(prod 1)->wrappy',
      'picomatch picomatch@2.3.2 52:5 [dev] registry',
      'readdirp readdirp@3.6.0 54:5 [dev] registry => picomatch(prod ^2.2.1)->picomatch',
      'to-regex-range to-regex-range@5.0.1 56:5 [dev] registry => is-number(prod ^7.0.0)->is-number',
      'wrappy wrappy@1.0.2 58:5 [optional] registry',
    ]);
  });

  it('computes devOptional, dev+optional and unreachable packages as npm does', async () => {
    const text = lockWith(
      `    "both": ["both@1.0.0", "", { "dependencies": { "shared": "1" } }, "sha512-AA=="],
    "dev-tool": ["dev-tool@1.0.0", "", { "dependencies": { "shared": "1" }, "optionalDependencies": { "native": "1" } }, "sha512-AA=="],
    "native": ["native@1.0.0", "", {}, "sha512-AA=="],
    "orphan": ["orphan@1.0.0", "", {}, "sha512-AA=="],
    "shared": ["shared@1.0.0", "", {}, "sha512-AA=="],`,
      '{}',
    ).replace('"dependencies": {} }', '"devDependencies": { "dev-tool": "1" }, "optionalDependencies": { "both": "1" } }');
    const graph = await bun.parse(inline(text));
    const flags = (id: string): string[] => Object.entries(graph.node(id)!.flags).filter(([, on]) => on).map(([flag]) => flag);
    expect(flags('both')).toEqual(['optional']);
    expect(flags('dev-tool')).toEqual(['dev']);
    expect(flags('native')).toEqual(['dev', 'optional']);
    expect(flags('shared')).toEqual(['devOptional']);
    expect(flags('orphan')).toEqual(['dev', 'optional', 'peer']);
  });

  it('marks bundled dependencies and what they bring inside the bundling package', async () => {
    const graph = await bun.parse(fixture('bundled'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-bundled@ 5:5 [] directory . => bundler(prod ./vendor/bundler-1.0.0.tgz)->bundler',
      'bundler bundler@ 13:5 [] tarball file:./vendor/bundler-1.0.0.tgz => once(prod 1.4.0)->bundler/once',
      'bundler/once once@1.4.0 15:5 [bundled] registry => wrappy(prod 1)->bundler/wrappy',
      'bundler/wrappy wrappy@1.0.2 17:5 [bundled] registry',
    ]);
  });

  it('reads hasInstallScript where bun 1.4 records it', async () => {
    const graph = await bun.parse(fixture('install-script'));
    expect(summaryOf(graph)).toEqual([
      '<root> bun-install-script@ 5:5 [] directory . => core-js(prod 3.38.1)->core-js',
      'core-js core-js@3.38.1 16:5 [install-script] registry',
    ]);
  });
});

describe('bun parser: JSONC and positions', () => {
  it('accepts comments and trailing commas, with keys located in tabs, CRLF, a BOM and escapes', async () => {
    const text =
      '\ufeff{\r\n\t// written by hand\r\n\t"lockfileVersion" : 1, /* a\r\nblock */ "workspaces": { "": { "name": "e\\u0064ited", }, },\r\n' +
      '\t"packages" : {\r\n\t\t"\\u0061" : ["a@1.0.0", "", {}, "sha512-AA==",], "b": ["b@2.0.0", "", { "dependencies": { "a": "// not a comment, }" }, }, "",],\r\n\t},\r\n}\r\n';
    const graph = await bun.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '<root> edited@ 4:26 [] directory .',
      'a a@1.0.0 6:3 [dev,optional,peer] registry',
      'b b@2.0.0 6:51 [dev,optional,peer] registry => a(prod // not a comment, })->a',
    ]);
  });
});

describe('bun parser: bun.lockb', () => {
  it('refuses the binary lockfile by name, saying how to get bun.lock', async () => {
    const error = await parseError(inline('#!/usr/bin/env bun\nbun-lockfile-format-v0\n\u0002\u0000', 'bun.lockb'));
    expect(error).toBeInstanceOf(UnsupportedLockfileError);
    expect(error).toMatchObject({
      code: 'ELOCKVERSION',
      exitCode: 3,
      message: "bun.lockb: bun's binary lockfile format is not supported; pkgguard reads the text lockfile bun.lock",
      hints: [
        'convert it (bun writes bun.lock and removes bun.lockb): bun install --save-text-lockfile --lockfile-only',
        'bun 1.2 and later write bun.lock by default; when both files exist pkgguard reads bun.lock',
      ],
    });
  });

  it('recognises a binary lockfile saved under the text name', async () => {
    const error = await parseError(inline('#!/usr/bin/env bun\nbun-lockfile-format-v0\n'));
    expect(error).toMatchObject({ code: 'ELOCKVERSION', message: expect.stringMatching(/^bun\.lock: bun's binary lockfile format/) as unknown });
  });
});

describe('bun parser: errors', () => {
  it('reports malformed JSON with the line and column of the original text', async () => {
    const error = await parseError(inline('{\n  // comment\n  "lockfileVersion": 1,\n  "workspaces": { "": {} },,\n}\n'));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: 'bun.lock:4:28: Expected double-quoted property name',
      hints: [`bun.lock is not valid bun.lock JSON; ${REGENERATE}`],
    });
  });

  it('reports truncated files and unterminated comments', async () => {
    expect(await parseError(inline('{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": ["a@1'))).toMatchObject({
      code: 'ELOCKPARSE',
      message: 'bun.lock:4:15: Unterminated string',
    });
    expect(await parseError(inline('{\n  "lockfileVersion": 1, /* open'))).toMatchObject({
      code: 'ELOCKPARSE',
      message: 'bun.lock:2:25: Expected double-quoted property name',
    });
  });

  it('names the first merge-conflict marker before trying to parse', async () => {
    const text = '{\n  "lockfileVersion": 1,\n  "packages": {\n<<<<<<< HEAD\n    "ms": ["ms@2.1.2", "", {}, "sha512-AA=="],\n=======\n    "ms": ["ms@2.1.3", "", {}, "sha512-BB=="],\n>>>>>>> feature\n  },\n}\n';
    expect(await parseError(inline(text))).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: 'bun.lock:4:1: unresolved git merge conflict (a "<<<<<<<" marker)',
      hints: [
        'resolve the conflict in package.json, then rewrite the lockfile: bun install --lockfile-only',
        'or take one side and reinstall: git checkout --theirs bun.lock && bun install --lockfile-only',
      ],
    });
  });

  it.each([
    ['an array', '[]', 'an array', '1:1'],
    ['null', '\n  null', 'null', '2:3'],
  ])('rejects a top level that is %s', async (_label, text, found, at) => {
    expect(await parseError(inline(text))).toMatchObject({
      code: 'ELOCKPARSE',
      message: `bun.lock:${at}: expected a JSON object at the top level, found ${found}`,
      hints: [REGENERATE],
    });
  });

  it.each([
    ['missing', '"workspaces": {}', '1:1: has no "lockfileVersion"', [REGENERATE]],
    ['a string', '"lockfileVersion": "1"', '2:3: has lockfileVersion "1"', [REGENERATE]],
    ['newer', '"lockfileVersion": 3', '2:3: has lockfileVersion 3', [REGENERATE, 'a newer lockfileVersion needs a newer pkgguard']],
  ])('rejects a lockfileVersion that is %s', async (_label, body, found, hints) => {
    const error = await parseError(inline(`{\n  ${body}\n}`));
    expect(error).toBeInstanceOf(UnsupportedLockfileError);
    expect(error).toMatchObject({ code: 'ELOCKVERSION', exitCode: 3, message: `bun.lock:${found}; pkgguard reads bun.lock lockfileVersion 0, 1, 2`, hints });
  });

  const WORKSPACES = '"workspaces": { "": {} }';
  it.each([
    ['configVersion', `"configVersion": "1", ${WORKSPACES}`, '2:25: "configVersion" must be a number, found a string'],
    ['trustedDependencies', `${WORKSPACES}, "trustedDependencies": [1]`, '2:51: "trustedDependencies" must be an array of package names'],
    ['patchedDependencies', `${WORKSPACES}, "patchedDependencies": { "a@1.0.0": 1 }`, '2:51: "patchedDependencies"["a@1.0.0"] must be a string, found a number'],
    ['overrides', `${WORKSPACES}, "overrides": []`, '2:51: "overrides" must be an object, found an array'],
    ['catalog', `${WORKSPACES}, "catalog": { "a": null }`, '2:51: "catalog"["a"] must be a string, found null'],
    ['catalogs', `${WORKSPACES}, "catalogs": { "x": [] }`, '2:51: catalogs["x"] must be an object, found an array'],
    ['catalogs itself', `${WORKSPACES}, "catalogs": 1`, '2:51: "catalogs" must be an object, found a number'],
    ['workspaces missing', '"packages": {}', '1:1: has no "workspaces" object (bun writes the project there)'],
    ['workspaces', '"workspaces": []', '2:25: "workspaces" must be an object, found an array'],
    ['the root workspace', '"workspaces": { "a": { "name": "a" } }', '2:25: "workspaces" has no entry for the project itself (the "" key)'],
    ['a workspace', '"workspaces": { "": {}, "a": 1 }', '2:49: workspaces["a"] must be an object, found a number'],
    ['a workspace name', '"workspaces": { "": {}, "a": {} }', '2:49: workspaces["a"] has no "name"'],
    ['a workspace name type', '"workspaces": { "": { "name": 1 } }', '2:41: workspaces[""].name must be a string, found a number'],
    ['a workspace version', '"workspaces": { "": {}, "a": { "name": "a", "version": 1 } }', '2:49: workspaces["a"].version must be a string, found a number'],
    ['a dependency group', '"workspaces": { "": { "dependencies": [] } }', '2:41: workspaces[""].dependencies must be an object, found an array'],
    ['a dependency spec', '"workspaces": { "": { "devDependencies": { "a": 1 } } }', '2:41: workspaces[""].devDependencies["a"] must be a string, found a number'],
    ['optionalPeers', '"workspaces": { "": { "optionalPeers": "a" } }', '2:41: workspaces[""].optionalPeers must be an array of package names'],
    ['packages', `${WORKSPACES}, "packages": "a"`, '2:51: "packages" must be an object, found a string'],
  ])('rejects a malformed %s, naming where it is', async (_label, body, expected) => {
    const error = await parseError(inline(`{\n  "lockfileVersion": 1, ${body}\n}`));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({ code: 'ELOCKPARSE', exitCode: 3, message: `bun.lock:${expected}`, hints: [REGENERATE] });
  });

  it.each([
    ['not an array', '"a": {}', 'packages["a"] must be an array, found a object'],
    ['empty', '"a": []', 'packages["a"][0] must be a "name@resolution" string, found an empty array'],
    ['without a resolution string', '"a": [1]', 'packages["a"][0] must be a "name@resolution" string, found a number'],
    ['without a name', '"a": ["1.0.0"]', 'packages["a"]: cannot read the resolution "1.0.0"; bun writes "name@version" or a git, tarball, file:, link: or workspace: resolution'],
    ['with an unknown version', '"a": ["a@latest", "", {}, "sha512-AA=="]', 'packages["a"]: cannot read the resolution "a@latest"; bun writes "name@version" or a git, tarball, file:, link: or workspace: resolution'],
    ['with an element too many', '"a": ["a@1.0.0", "", {}, "sha512-AA==", "x"]', 'packages["a"][4] is not expected here (a string); bun writes ["name@version", registry, info, integrity]'],
    ['with an element of the wrong type', '"a": ["a@file:a", "x"]', 'packages["a"][1] is not expected here (a string); bun writes ["name@file:path", info]'],
    ['with an info of the wrong type', '"a": ["a@1.0.0", "", [], "sha512-AA=="]', 'packages["a"][2] is not expected here (an array); bun writes ["name@version", registry, info, integrity]'],
    ['with a malformed dependency group', '"a": ["a@1.0.0", "", { "peerDependencies": 1 }, "sha512-AA=="]', 'packages["a"] info.peerDependencies must be an object, found a number'],
    ['with an empty path', '"": ["a@1.0.0", "", {}, "sha512-AA=="]', 'packages[""]: a package path cannot be empty'],
    ['naming an unknown workspace', '"a": ["a@workspace:packages/a"]', 'packages["a"] names workspace "packages/a", which "workspaces" does not list'],
  ])('rejects a package entry %s, naming its key', async (_label, entry, expected) => {
    const error = await parseError(inline(lockWith(`    ${entry},`)));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({ code: 'ELOCKPARSE', exitCode: 3, message: `bun.lock:7:5: ${expected}`, hints: [REGENERATE] });
  });
});

describe('bun parser: damaged real lockfiles', () => {
  // Sorted by scenario name, so the seeded damage does not depend on directory order.
  const originals = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, input: inline(fixture(name).text) }));

  it('has fixtures to damage', () => {
    expect(originals.length).toBe(14);
  });

  // Both outcomes occur: damage inside a string value still parses, structural damage does not.
  const common = { originals, parse: (input: LockfileInput) => bun.parse(input), message: /^bun\.lock:(\d+:\d+: )?[^\n]+$/ };
  itSurvivesDamage('throws nothing but pkgguard input errors with a one-line message (600 damaged files, fixed seed)', {
    ...common,
    damage: damageBytes,
    seed: 0x5eed,
    rounds: 600,
    minParsed: 51,
    minRejected: 301,
  });
  itSurvivesDamage('throws nothing but pkgguard input errors with a one-line message (400 text edits, fixed seed)', {
    ...common,
    damage: mutateText,
    seed: 0x5eee,
    rounds: 400,
    minParsed: 20,
    minRejected: 200,
  });
});
