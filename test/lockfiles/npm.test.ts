import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LockfileParseError, UnsupportedLockfileError } from '../../src/core/errors.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import npm from '../../src/lockfiles/npm.ts';
import { inlineInput, parseError as parseErrorOf, readInput, summaryOf } from './graph-summary.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/npm/', import.meta.url));
const REGISTRY = 'https://registry.npm.example';
const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };

function fixture(scenario: string, file = 'package-lock.json'): LockfileInput {
  return readInput(path.join(FIXTURES, scenario, file), file);
}

/** An in-memory lockfile in a directory that does not exist (so no package.json is found). */
function inline(text: string, file = 'package-lock.json'): LockfileInput {
  return inlineInput(text, file);
}

const parseError = (input: LockfileInput): Promise<unknown> => parseErrorOf(npm, input);

const BASIC_SUMMARY_TAIL = [
  `node_modules/debug debug@2.6.9 18:5 [] registry ${REGISTRY}/debug/-/debug-2.6.9.tgz => ms(prod 2.0.0)->node_modules/debug/node_modules/ms`,
  `node_modules/debug/node_modules/ms ms@2.0.0 27:5 [] registry ${REGISTRY}/ms/-/ms-2.0.0.tgz`,
  `node_modules/ms ms@2.1.3 33:5 [dev] registry ${REGISTRY}/ms/-/ms-2.1.3.tgz`,
  `node_modules/once once@1.4.0 40:5 [] registry ${REGISTRY}/once/-/once-1.4.0.tgz => wrappy(prod 1)->node_modules/wrappy`,
  `node_modules/wrappy wrappy@1.0.2 49:5 [] registry ${REGISTRY}/wrappy/-/wrappy-1.0.2.tgz`,
];
const BASIC_ROOT_EDGES = 'debug(prod 2.6.9)->node_modules/debug, once(prod ^1.4.0)->node_modules/once, ms(dev 2.1.3)->node_modules/ms';

describe('npm parser: the table row', () => {
  it('claims both npm file names, shrinkwrap first (npm prefers it)', () => {
    expect(npm.format).toBe('npm');
    expect(npm.filenames).toEqual(['npm-shrinkwrap.json', 'package-lock.json']);
  });
});

describe('npm parser: lockfile v3', () => {
  it('reads the whole graph with locations, flags, sources and edges', async () => {
    const graph = await npm.parse(fixture('v3'));
    expect(graph.lockfile).toEqual({ path: 'package-lock.json', format: 'npm', formatVersion: '3' });
    expect(graph.importers).toEqual([]);
    expect(summaryOf(graph)).toEqual([`<root> fixture-v3@1.0.0 7:5 [] directory . => ${BASIC_ROOT_EDGES}`, ...BASIC_SUMMARY_TAIL]);
  });

  it('builds complete nodes (hand-checked against the file)', async () => {
    const graph = await npm.parse(fixture('v3'));
    expect(graph.node('node_modules/debug')).toEqual({
      id: 'node_modules/debug',
      name: 'debug',
      version: '2.6.9',
      source: { type: 'registry', url: `${REGISTRY}/debug/-/debug-2.6.9.tgz` },
      resolved: `${REGISTRY}/debug/-/debug-2.6.9.tgz`,
      integrity: 'sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==',
      flags: NO_FLAGS,
      hasInstallScript: false,
      location: { file: 'package-lock.json', line: 18, column: 5 },
      dependencies: [{ name: 'ms', spec: '2.0.0', type: 'prod', to: 'node_modules/debug/node_modules/ms' }],
    });
    expect(graph.root).toMatchObject({ id: '', name: 'fixture-v3', version: '1.0.0', source: { type: 'directory', path: '.' } });
    expect(graph.root.resolved).toBeUndefined();
  });

  it('answers "why is this here?" through the nested install', async () => {
    const graph = await npm.parse(fixture('v3'));
    const nested = graph.node('node_modules/debug/node_modules/ms')!;
    expect(graph.pathsTo(nested).map((chain) => chain.map((node) => node.id))).toEqual([['', 'node_modules/debug', nested.id]]);
    expect(graph.dependents(graph.node('node_modules/wrappy')!).map((node) => node.id)).toEqual(['node_modules/once']);
  });
});

describe('npm parser: lockfile v2 and npm-shrinkwrap.json', () => {
  it('reads v2 from its packages map (the v1 tree it repeats is ignored)', async () => {
    const graph = await npm.parse(fixture('v2'));
    expect(graph.lockfile.formatVersion).toBe('2');
    expect(summaryOf(graph)).toEqual([`<root> fixture-v2@1.0.0 7:5 [] directory . => ${BASIC_ROOT_EDGES}`, ...BASIC_SUMMARY_TAIL]);
  });

  it('reads npm-shrinkwrap.json like a package-lock', async () => {
    const graph = await npm.parse(fixture('shrinkwrap', 'npm-shrinkwrap.json'));
    expect(graph.lockfile).toEqual({ path: 'npm-shrinkwrap.json', format: 'npm', formatVersion: '3' });
    expect(summaryOf(graph)).toEqual([
      `<root> fixture-shrinkwrap@1.0.0 7:5 [] directory . => ${BASIC_ROOT_EDGES}`,
      ...BASIC_SUMMARY_TAIL,
    ]);
    expect(graph.packages.every((node) => node.location.file === 'npm-shrinkwrap.json')).toBe(true);
  });
});

describe('npm parser: lockfile v1 (converted by npm’s Shrinkwrap)', () => {
  it('maps the nested tree to install locations with the positions of their keys', async () => {
    const graph = await npm.parse(fixture('v1'));
    expect(graph.lockfile.formatVersion).toBe('1');
    // Root edge types come from package.json (v1 records none); the root has no key: 1:1.
    expect(summaryOf(graph)).toEqual([
      `<root> fixture-v1@1.0.0 1:1 [] directory . => ${BASIC_ROOT_EDGES}`,
      `node_modules/debug debug@2.6.9 7:5 [] registry ${REGISTRY}/debug/-/debug-2.6.9.tgz => ms(prod 2.0.0)->node_modules/debug/node_modules/ms`,
      `node_modules/debug/node_modules/ms ms@2.0.0 15:9 [] registry ${REGISTRY}/ms/-/ms-2.0.0.tgz`,
      `node_modules/ms ms@2.1.3 22:5 [dev] registry ${REGISTRY}/ms/-/ms-2.1.3.tgz`,
      `node_modules/once once@1.4.0 28:5 [] registry ${REGISTRY}/once/-/once-1.4.0.tgz => wrappy(prod 1)->node_modules/wrappy`,
      `node_modules/wrappy wrappy@1.0.2 36:5 [] registry ${REGISTRY}/wrappy/-/wrappy-1.0.2.tgz`,
    ]);
  });

  it('parses the text it is given, not the file on disk, and follows links as npm does', async () => {
    const text = `{
  "name": "v1-link",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "linked": {
      "version": "file:packages/linked",
      "dependencies": {
        "ms": {
          "version": "2.1.3",
          "resolved": "${REGISTRY}/ms/-/ms-2.1.3.tgz",
          "integrity": "sha512-AAAA"
        }
      }
    }
  }
}
`;
    const graph = await npm.parse(inline(text));
    // No package.json beside it: like npm, the root then has no edges (v1 does not record them).
    // The link entry is not a node; its target folder is a project folder, an importer.
    expect(summaryOf(graph)).toEqual([
      '<root> v1-link@ 1:1 [] directory .',
      'packages/linked linked@ 6:5 [] directory packages/linked',
      `packages/linked/node_modules/ms ms@2.1.3 9:9 [] registry ${REGISTRY}/ms/-/ms-2.1.3.tgz`,
    ]);
    expect(graph.importers.map((node) => node.id)).toEqual(['packages/linked']);
  });
});

describe('npm parser: workspaces', () => {
  it('makes workspace folders importers and resolves links to them', async () => {
    const graph = await npm.parse(fixture('workspaces'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-workspaces@1.0.0 7:5 [] directory . => ms(dev 2.1.3)->node_modules/ms',
      'packages/a @fixture/a@1.0.0 62:5 [] workspace packages/a => @fixture/b(prod ^1.0.0)->packages/b, once(prod ^1.4.0)->node_modules/once',
      'packages/b @fixture/b@1.0.0 70:5 [] workspace packages/b => debug(prod 2.6.9)->node_modules/debug, wrappy(dev 1.0.2)->node_modules/wrappy',
      `node_modules/debug debug@2.6.9 25:5 [] registry ${REGISTRY}/debug/-/debug-2.6.9.tgz => ms(prod 2.0.0)->node_modules/debug/node_modules/ms`,
      `node_modules/debug/node_modules/ms ms@2.0.0 34:5 [] registry ${REGISTRY}/ms/-/ms-2.0.0.tgz`,
      `node_modules/ms ms@2.1.3 40:5 [dev] registry ${REGISTRY}/ms/-/ms-2.1.3.tgz`,
      `node_modules/once once@1.4.0 47:5 [] registry ${REGISTRY}/once/-/once-1.4.0.tgz => wrappy(prod 1)->node_modules/wrappy`,
      `node_modules/wrappy wrappy@1.0.2 56:5 [] registry ${REGISTRY}/wrappy/-/wrappy-1.0.2.tgz`,
    ]);
    // The link entries node_modules/@fixture/a and node_modules/@fixture/b are not nodes.
    expect(graph.node('node_modules/@fixture/a')).toBeUndefined();
  });

  it('finds paths from a workspace, which is a root of its own subtree', async () => {
    const graph = await npm.parse(fixture('workspaces'));
    const ids = (id: string): string[][] => graph.pathsTo(graph.node(id)!, 5).map((chain) => chain.map((node) => node.id));
    expect(ids('node_modules/debug/node_modules/ms')).toEqual([['packages/b', 'node_modules/debug', 'node_modules/debug/node_modules/ms']]);
    expect(ids('node_modules/wrappy')).toEqual([
      ['packages/b', 'node_modules/wrappy'],
      ['packages/a', 'node_modules/once', 'node_modules/wrappy'],
    ]);
    expect(ids('packages/b')).toEqual([['packages/b']]);
    expect(graph.dependents(graph.node('packages/b')!).map((node) => node.id)).toEqual(['packages/a']);
  });

  it('tells workspaces from other project folders by the root "workspaces" patterns', async () => {
    const text = JSON.stringify({
      name: 'ws',
      lockfileVersion: 3,
      packages: {
        '': { workspaces: { packages: ['apps/**', '!apps/legacy'] }, dependencies: { tool: 'file:../tool' } },
        'apps/web': { name: 'web', version: '1.0.0' },
        'apps/legacy': { version: '0.1.0' },
        '../tool': { name: 'tool', version: '2.0.0', devDependencies: { web: '*' } },
        'node_modules/web': { resolved: 'apps/web', link: true },
        'node_modules/legacy': { resolved: 'apps/legacy', link: true },
        'node_modules/tool': { resolved: '../tool', link: true },
      },
    });
    const graph = await npm.parse(inline(text));
    expect(graph.importers.map((node) => [node.id, node.name, node.source])).toEqual([
      ['apps/web', 'web', { type: 'workspace', path: 'apps/web' }],
      ['apps/legacy', 'legacy', { type: 'directory', path: 'apps/legacy' }],
      ['../tool', 'tool', { type: 'directory', path: '../tool' }],
    ]);
    expect(graph.root.dependencies).toEqual([{ name: 'tool', spec: 'file:../tool', type: 'prod', to: '../tool' }]);
    // A folder outside the project resolves only in its own node_modules (arborist: no fsParent).
    expect(graph.node('../tool')!.dependencies).toEqual([{ name: 'web', spec: '*', type: 'dev' }]);
  });
});

describe('npm parser: aliases', () => {
  it('names an npm: alias by the real package and keeps the alias apart', async () => {
    const graph = await npm.parse(fixture('alias'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-alias@1.0.0 7:5 [] directory . => str(prod npm:string-width@4.2.3)->node_modules/str',
      `node_modules/ansi-regex ansi-regex@5.0.1 14:5 [] registry ${REGISTRY}/ansi-regex/-/ansi-regex-5.0.1.tgz`,
      `node_modules/emoji-regex emoji-regex@8.0.0 23:5 [] registry ${REGISTRY}/emoji-regex/-/emoji-regex-8.0.0.tgz`,
      `node_modules/is-fullwidth-code-point is-fullwidth-code-point@3.0.0 29:5 [] registry ${REGISTRY}/is-fullwidth-code-point/-/is-fullwidth-code-point-3.0.0.tgz`,
      `node_modules/str string-width@4.2.3 as str 38:5 [] registry ${REGISTRY}/string-width/-/string-width-4.2.3.tgz => emoji-regex(prod ^8.0.0)->node_modules/emoji-regex, is-fullwidth-code-point(prod ^3.0.0)->node_modules/is-fullwidth-code-point, strip-ansi(prod ^6.0.1)->node_modules/strip-ansi`,
      `node_modules/strip-ansi strip-ansi@6.0.1 53:5 [] registry ${REGISTRY}/strip-ansi/-/strip-ansi-6.0.1.tgz => ansi-regex(prod ^5.0.1)->node_modules/ansi-regex`,
    ]);
    const str = graph.node('node_modules/str')!;
    expect([str.name, str.alias]).toEqual(['string-width', 'str']);
  });
});

describe('npm parser: sources', () => {
  it('reads a git dependency with its commit', async () => {
    const graph = await npm.parse(fixture('git'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-git@1.0.0 7:5 [] directory . => git-dep(prod git+file:///srv/git/git-dep.git#v1.0.0)->node_modules/git-dep',
      'node_modules/git-dep git-dep@1.0.0 14:5 [] git git+file:///srv/git/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 => ms(prod 2.1.3)->node_modules/ms',
      `node_modules/ms ms@2.1.3 21:5 [] registry ${REGISTRY}/ms/-/ms-2.1.3.tgz`,
    ]);
    expect(graph.node('node_modules/git-dep')!.source).toEqual({
      type: 'git',
      url: 'git+file:///srv/git/git-dep.git',
      committish: 'a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
    });
  });

  it('tells file: tarballs and non-registry URLs from registry tarballs', async () => {
    const graph = await npm.parse(fixture('tarball'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-tarball@1.0.0 7:5 [] directory . => local-tgz(prod file:vendor/local-tgz-1.0.0.tgz)->node_modules/local-tgz, remote-ms(prod https://tarballs.example/ms-2.1.3.tgz)->node_modules/remote-ms',
      'node_modules/local-tgz local-tgz@1.0.0 15:5 [] tarball file:vendor/local-tgz-1.0.0.tgz => wrappy(prod 1.0.2)->node_modules/wrappy',
      'node_modules/remote-ms ms@2.1.3 as remote-ms 23:5 [] tarball https://tarballs.example/ms-2.1.3.tgz',
      `node_modules/wrappy wrappy@1.0.2 30:5 [] registry ${REGISTRY}/wrappy/-/wrappy-1.0.2.tgz`,
    ]);
  });

  it('classifies every shape of resolved npm writes', async () => {
    const entry = (resolved: string | undefined, integrity?: string): Record<string, unknown> => ({
      version: '1.0.0',
      ...(resolved === undefined ? {} : { resolved }),
      ...(integrity === undefined ? {} : { integrity }),
    });
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/omitted': entry(undefined),
        'node_modules/scoped': entry(`${REGISTRY}/@s/scoped/-/scoped-1.0.0.tgz`, 'sha512-A'),
        'node_modules/mounted': entry('https://mirror.example/npm/api/mounted/-/mounted-1.0.0.tgz', 'sha512-A'),
        'node_modules/no-integrity': entry(`${REGISTRY}/no-integrity/-/no-integrity-1.0.0.tgz`),
        'node_modules/plain-http': entry('http://files.example/plain-http.tgz', 'sha512-A'),
        'node_modules/ssh': entry('git+ssh://git@git.example/org/ssh.git#0123abc'),
        'node_modules/hosted': entry('github:org/hosted#0123abc'),
        'node_modules/unpinned': entry('git://git.example/org/unpinned.git'),
        'node_modules/dir': entry('file:../dir'),
        'node_modules/odd': entry('ftp://files.example/odd.tgz'),
        'node_modules/query': entry('https://files.example/query/-/query-1.0.0.tgz?token=x', 'sha512-A'),
        'node_modules/in-query': entry('https://files.example?/in-query/-/in-query-1.0.0.tgz', 'sha512-A'),
        'node_modules/upper': entry('HTTPS://FILES.EXAMPLE/upper/-/upper-1.0.0.tgz', 'sha512-A'),
      },
    });
    const graph = await npm.parse(inline(text));
    expect(graph.packages.map((node) => [node.id.slice('node_modules/'.length), node.source])).toEqual([
      ['omitted', { type: 'registry' }],
      ['scoped', { type: 'registry', url: `${REGISTRY}/@s/scoped/-/scoped-1.0.0.tgz` }],
      ['mounted', { type: 'registry', url: 'https://mirror.example/npm/api/mounted/-/mounted-1.0.0.tgz' }],
      ['no-integrity', { type: 'tarball', url: `${REGISTRY}/no-integrity/-/no-integrity-1.0.0.tgz` }],
      ['plain-http', { type: 'tarball', url: 'http://files.example/plain-http.tgz' }],
      ['ssh', { type: 'git', url: 'git+ssh://git@git.example/org/ssh.git', committish: '0123abc' }],
      ['hosted', { type: 'git', url: 'github:org/hosted', committish: '0123abc' }],
      ['unpinned', { type: 'git', url: 'git://git.example/org/unpinned.git' }],
      ['dir', { type: 'directory', path: '../dir' }],
      ['odd', { type: 'tarball', url: 'ftp://files.example/odd.tgz' }],
      ['query', { type: 'registry', url: 'https://files.example/query/-/query-1.0.0.tgz?token=x' }],
      // The "/-/" is in the query, not the path: not a registry tarball.
      ['in-query', { type: 'tarball', url: 'https://files.example?/in-query/-/in-query-1.0.0.tgz' }],
      ['upper', { type: 'registry', url: 'HTTPS://FILES.EXAMPLE/upper/-/upper-1.0.0.tgz' }],
    ]);
  });
});

describe('npm parser: flags', () => {
  it('marks bundled dependencies (no resolved: they come inside the parent tarball)', async () => {
    const graph = await npm.parse(fixture('bundled'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-bundled@1.0.0 7:5 [] directory . => bundler(prod file:vendor/bundler-1.0.0.tgz)->node_modules/bundler',
      'node_modules/bundler bundler@1.0.0 14:5 [] tarball file:vendor/bundler-1.0.0.tgz => once(prod 1.4.0)->node_modules/bundler/node_modules/once',
      'node_modules/bundler/node_modules/once once@1.4.0 25:5 [bundled] registry => wrappy(prod 1)->node_modules/bundler/node_modules/wrappy',
      'node_modules/bundler/node_modules/wrappy wrappy@1.0.2 33:5 [bundled] registry',
    ]);
  });

  it('reads peer, optional, devOptional and unresolved optional peers', async () => {
    const graph = await npm.parse(fixture('peer-optional'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-peer-optional@1.0.0 7:5 [] directory . => react-dom(prod 18.3.1)->node_modules/react-dom, ws(prod 8.18.0)->node_modules/ws, inflight(optional 1.0.6)->node_modules/inflight, once(dev 1.4.0)->node_modules/once',
      `node_modules/inflight inflight@1.0.6 21:5 [optional] registry ${REGISTRY}/inflight/-/inflight-1.0.6.tgz => once(prod ^1.3.0)->node_modules/once, wrappy(prod 1)->node_modules/wrappy`,
      `node_modules/js-tokens js-tokens@4.0.0 32:5 [] registry ${REGISTRY}/js-tokens/-/js-tokens-4.0.0.tgz`,
      `node_modules/loose-envify loose-envify@1.4.0 38:5 [] registry ${REGISTRY}/loose-envify/-/loose-envify-1.4.0.tgz => js-tokens(prod ^3.0.0 || ^4.0.0)->node_modules/js-tokens`,
      `node_modules/once once@1.4.0 50:5 [devOptional] registry ${REGISTRY}/once/-/once-1.4.0.tgz => wrappy(prod 1)->node_modules/wrappy`,
      `node_modules/react react@18.3.1 60:5 [peer] registry ${REGISTRY}/react/-/react-18.3.1.tgz => loose-envify(prod ^1.1.0)->node_modules/loose-envify`,
      `node_modules/react-dom react-dom@18.3.1 73:5 [] registry ${REGISTRY}/react-dom/-/react-dom-18.3.1.tgz => react(peer ^18.3.1)->node_modules/react, loose-envify(prod ^1.1.0)->node_modules/loose-envify, scheduler(prod ^0.23.2)->node_modules/scheduler`,
      `node_modules/scheduler scheduler@0.23.2 86:5 [] registry ${REGISTRY}/scheduler/-/scheduler-0.23.2.tgz => loose-envify(prod ^1.1.0)->node_modules/loose-envify`,
      `node_modules/wrappy wrappy@1.0.2 95:5 [devOptional] registry ${REGISTRY}/wrappy/-/wrappy-1.0.2.tgz`,
      `node_modules/ws ws@8.18.0 102:5 [] registry ${REGISTRY}/ws/-/ws-8.18.0.tgz => bufferutil(peerOptional ^4.0.1)->-, utf-8-validate(peerOptional >=5.0.2)->-`,
    ]);
  });

  it('reads hasInstallScript', async () => {
    const graph = await npm.parse(fixture('install-script'));
    expect(summaryOf(graph)).toEqual([
      '<root> fixture-install-script@1.0.0 7:5 [] directory . => core-js(prod 3.38.1)->node_modules/core-js',
      `node_modules/core-js core-js@3.38.1 14:5 [install-script] registry ${REGISTRY}/core-js/-/core-js-3.38.1.tgz`,
    ]);
  });

  it('keeps one edge per name, the later dependency type winning as in arborist', async () => {
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '1', b: '1' }, optionalDependencies: { b: '^1' }, devDependencies: { a: '~1' } },
        'node_modules/a': { version: '1.0.0', dependencies: { c: 2 }, devDependencies: { b: '1' } },
        'node_modules/b': { version: '1.0.0' },
      },
    });
    const graph = await npm.parse(inline(text));
    expect(graph.root.dependencies).toEqual([
      { name: 'a', spec: '~1', type: 'dev', to: 'node_modules/a' },
      { name: 'b', spec: '^1', type: 'optional', to: 'node_modules/b' },
    ]);
    // Non-string specs are dropped, and devDependencies of installed packages are not edges.
    expect(graph.node('node_modules/a')!.dependencies).toEqual([]);
  });
});

describe('npm parser: positions in hand-edited files', () => {
  it('locates keys with tabs, CRLF, a BOM and escapes', async () => {
    const text = '\ufeff{\r\n\t"lockfileVersion" : 3,\r\n\t"packages" : {\r\n\t\t"" : { "name" : "edited" },\r\n\t\t"node_modules/\\u0061" : {"version":"1.0.0"}, "node_modules/b" : {"version":"2.0.0"}\r\n\t}\r\n}\r\n';
    const graph = await npm.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '<root> edited@ 4:3 [] directory .',
      'node_modules/a a@1.0.0 5:3 [] registry',
      'node_modules/b b@2.0.0 5:48 [] registry',
    ]);
  });

  it('falls back to the lockfile name and the folder name for the root', async () => {
    const named = await npm.parse(inline('{"name":"top","version":"2.0.0","lockfileVersion":3,"packages":{}}'));
    expect([named.root.name, named.root.version, named.root.location.line]).toEqual(['top', '2.0.0', 1]);
    const unnamed = await npm.parse(inline('{"lockfileVersion":3}'));
    expect([unnamed.root.name, unnamed.packages.length]).toEqual(['project', 0]);
  });
});

describe('npm parser: errors', () => {
  it('reports malformed JSON with the line and column', async () => {
    const error = await parseError(inline('{\n  "lockfileVersion": 3,\n  "packages": {\n    "": {},\n  }\n}\n'));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: 'package-lock.json:5:3: Expected double-quoted property name',
      hints: ['package-lock.json is not valid JSON; regenerate it with: npm install --package-lock-only'],
    });
  });

  it('finds the position itself when JSON.parse does not give one', async () => {
    const error = await parseError(inline('{\n  "lockfileVersion": 3,\n  "x": tru}\n'));
    expect(error).toMatchObject({ code: 'ELOCKPARSE', message: "package-lock.json:3:11: Unexpected token '}'" });
    const truncated = await parseError(inline('{\n  "lockfileVersion": 3,\n  "packages":'));
    expect(truncated).toMatchObject({ code: 'ELOCKPARSE', message: 'package-lock.json:3:14: Unexpected end of JSON input' });
    const empty = await parseError(inline('\n\n'));
    expect(empty).toMatchObject({ code: 'ELOCKPARSE', message: 'package-lock.json:3:1: Unexpected end of JSON input' });
  });

  it('keeps the message on one line when the input has control characters', async () => {
    const error = await parseError(inline('{"a":\u0007}', 'npm-shrinkwrap.json'));
    expect(error).toMatchObject({ message: "npm-shrinkwrap.json:1:6: Unexpected token '\\u0007'" });
  });

  it('names the first merge-conflict marker before trying to parse', async () => {
    const text = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/ms": {\n<<<<<<< HEAD\n      "version": "2.1.2"\n=======\n      "version": "2.1.3"\n>>>>>>> feature\n    }\n  }\n}\n';
    const error = await parseError(inline(text));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: 'package-lock.json:5:1: unresolved git merge conflict (a "<<<<<<<" marker)',
      hints: [
        'resolve the conflict: npm install --package-lock-only merges conflicted package-lock files by itself',
        'or take one side and reinstall: git checkout --theirs package-lock.json && npm install --package-lock-only',
      ],
    });
  });

  it.each([
    ['an array', '[]', 'an array', '1:1'],
    ['null', '\n  null', 'null', '2:3'],
    ['a string', '"lockfile"', 'a string', '1:1'],
  ])('rejects a top level that is %s', async (_label, text, found, at) => {
    const error = await parseError(inline(text));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: `package-lock.json:${at}: expected a JSON object at the top level, found ${found}`,
    });
  });

  it.each([
    ['4', '4', 'has lockfileVersion 4', '2:3'],
    ['"x"', '"x"', 'has lockfileVersion "x"', '2:3'],
  ])('rejects lockfileVersion %s as unsupported', async (_label, value, found, at) => {
    const error = await parseError(inline(`{\n  "lockfileVersion": ${value},\n  "packages": {}\n}`));
    expect(error).toBeInstanceOf(UnsupportedLockfileError);
    expect(error).toMatchObject({
      code: 'ELOCKVERSION',
      exitCode: 3,
      message: `package-lock.json:${at}: ${found}; pkgguard reads npm lockfileVersion 1, 2, 3`,
    });
    expect((error as UnsupportedLockfileError).hints[0]).toBe(
      'regenerate it with: npm install --package-lock-only (npm 7 or later writes lockfileVersion 2 or 3)',
    );
  });

  it('rejects a missing lockfileVersion', async () => {
    const error = await parseError(inline('{\n  "name": "old",\n  "dependencies": {}\n}'));
    expect(error).toMatchObject({
      code: 'ELOCKVERSION',
      message: 'package-lock.json:1:1: has no "lockfileVersion"; pkgguard reads npm lockfileVersion 1, 2, 3',
    });
  });

  it('rejects a packages map that is not an object, naming where it is', async () => {
    const error = await parseError(inline('{\n  "lockfileVersion": 3,\n  "packages": []\n}'));
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      exitCode: 3,
      message: 'package-lock.json:3:3: "packages" must be an object, found an array',
      hints: ['regenerate it with: npm install --package-lock-only'],
    });
  });

  it('rejects an entry that is not an object, naming its key', async () => {
    const text = '{\n  "lockfileVersion": 2,\n  "packages": {\n    "": {},\n    "node_modules/a": "1.0.0"\n  }\n}';
    const error = await parseError(inline(text));
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      message: 'package-lock.json:5:5: packages["node_modules/a"] must be an object, found a string',
    });
  });

  it('rejects a v1 tree entry that is not an object, naming its path', async () => {
    const text = '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": {\n      "version": "1.0.0",\n      "dependencies": { "b": null }\n    }\n  }\n}';
    const error = await parseError(inline(text));
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      message: 'package-lock.json:6:25: "dependencies"["a"].dependencies["b"] must be an object, found null',
    });
  });

  it('refuses a v1 tree nested absurdly deep instead of overflowing the stack', async () => {
    const levels = 1001;
    const text = `{"lockfileVersion":1,"dependencies":${'{"a":{"dependencies":'.repeat(levels)}{}${'}}'.repeat(levels)}}`;
    const error = await parseError(inline(text));
    // The 1000th "a" owns the map at depth 1000: its key is at offset 36 + 999 * 21 + 1.
    expect(error).toMatchObject({
      code: 'ELOCKPARSE',
      message: 'package-lock.json:1:21017: the "dependencies" tree nests deeper than 1000 levels',
    });
  });
});
