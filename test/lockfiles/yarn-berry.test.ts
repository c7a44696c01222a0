import { describe, expect, it } from 'vitest';
import { LockfileParseError, UnsupportedLockfileError } from '../../src/core/errors.ts';
import yarnBerry from '../../src/lockfiles/yarn-berry.ts';
import { berrySource } from '../../src/lockfiles/yarn-berry-source.ts';
import { parseError, pathOf, summarize, summaryOf } from './graph-summary.ts';
import { fixture, inline } from './yarn-fixtures.ts';

const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
const HINT = 'regenerate it with: yarn install --mode=update-lockfile (yarn 3+; plain yarn install on yarn 2)';
const metadata = (version: string, cacheKey = '10c0'): string => `__metadata:\n  version: ${version}\n  cacheKey: ${cacheKey}\n\n`;

/** The same project (debug, once, dev ms) locked by yarn 2, 3, 4.0 and 4.18: lockfile v4, v6, v8 and v10. */
const BASIC_PACKAGES = [
  'debug@npm:2.6.9 debug@2.6.9 8:1 [] registry => ms(prod {npm:}2.0.0)->ms@npm:2.0.0',
  'ms@npm:2.0.0 ms@2.0.0 27:1 [] registry',
  'ms@npm:2.1.3 ms@2.1.3 34:1 [] registry',
  'once@npm:1.4.0 once@1.4.0 41:1 [] registry => wrappy(prod {npm:}1)->wrappy@npm:1.0.2',
  'wrappy@npm:1.0.2 wrappy@1.0.2 50:1 [] registry',
];

describe('yarn Berry parser: the table row', () => {
  it('claims yarn.lock and accepts only files with a __metadata block', () => {
    expect(yarnBerry.format).toBe('yarn-berry');
    expect(yarnBerry.filenames).toEqual(['yarn.lock']);
    expect(yarnBerry.accepts(fixture('yarn-berry', 'basic'))).toBe(true);
    expect(yarnBerry.accepts(inline('"__metadata":\n  version: 8\n'))).toBe(true);
    expect(yarnBerry.accepts(fixture('yarn-classic', 'basic'))).toBe(false);
    expect(yarnBerry.accepts(inline('__metadata@^1:\n  version "1.0.0"\n'))).toBe(false);
  });
});

describe('yarn Berry parser: lockfile versions 4 to 10', () => {
  it.each([
    ['basic-v4', '4', '7', false],
    ['basic-v6', '6', '8', false],
    ['basic-v8', '8', '10c0', true],
    ['basic', '10', '10c0', true],
  ])('%s: __metadata.version %s, cacheKey %s', async (scenario, version, cacheKey, writesProtocol) => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', scenario));
    expect(graph.lockfile).toEqual({ path: 'yarn.lock', format: 'yarn-berry', formatVersion: version });
    const npm = writesProtocol ? 'npm:' : '';
    expect(summaryOf(graph)).toEqual([
      `fixture-${scenario}@workspace:. fixture-${scenario}@0.0.0-use.local 17:1 [] directory . => debug(prod ${npm}2.6.9)->debug@npm:2.6.9, ms(prod ${npm}2.1.3)->ms@npm:2.1.3, once(prod ${npm}^1.4.0)->once@npm:1.4.0`,
      ...BASIC_PACKAGES.map((line) => line.replace('{npm:}', npm)),
    ]);
    const debug = graph.node('debug@npm:2.6.9');
    expect(debug?.checksum?.cacheKey).toBe(cacheKey);
    expect(debug?.checksum?.value.startsWith('10c0/')).toBe(version === '10');
  });

  it('builds complete nodes: the checksum apart from integrity, no resolved URL for registry packages', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'basic'));
    expect(graph.node('once@npm:1.4.0')).toEqual({
      id: 'once@npm:1.4.0',
      name: 'once',
      version: '1.4.0',
      alias: undefined,
      source: { type: 'registry' },
      resolved: undefined,
      integrity: undefined,
      checksum: {
        kind: 'yarn-berry',
        value:
          '10c0/5d48aca287dfefabd756621c5dfce5c91a549a93e9fdb7b8246bc4c4790aa2ec17b34a260530474635147aeb631a2dcc8b32c613df0675f96041cbb8244517d0',
        cacheKey: '10c0',
      },
      patchedFrom: undefined,
      hasInstallScript: false,
      location: { file: 'yarn.lock', line: 41, column: 1 },
      dependencies: [{ name: 'wrappy', spec: 'npm:1', type: 'prod', to: 'wrappy@npm:1.0.2' }],
      flags: NO_FLAGS,
    });
    expect(pathOf(graph, 'wrappy@npm:1.0.2')).toEqual(['fixture-basic@0.0.0-use.local', 'once@1.4.0', 'wrappy@1.0.2']);
  });
});

describe('yarn Berry parser: workspaces', () => {
  it('makes workspaces importers with their edges, so paths start at each workspace', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'workspaces'));
    expect(summaryOf(graph)).toEqual([
      'fixture-workspaces@workspace:. fixture-workspaces@0.0.0-use.local 35:1 [] directory . => ms(prod npm:2.1.3)->ms@npm:2.1.3',
      '@fixture/a@workspace:packages/a @fixture/a@0.0.0-use.local 8:1 [] workspace packages/a => @fixture/b(prod workspace:^)->@fixture/b@workspace:packages/b, once(prod npm:^1.4.0)->once@npm:1.4.0',
      '@fixture/b@workspace:packages/b @fixture/b@0.0.0-use.local 17:1 [] workspace packages/b => debug(prod npm:2.6.9)->debug@npm:2.6.9, wrappy(prod npm:1.0.2)->wrappy@npm:1.0.2',
      'debug@npm:2.6.9 debug@2.6.9 26:1 [] registry => ms(prod npm:2.0.0)->ms@npm:2.0.0',
      'ms@npm:2.0.0 ms@2.0.0 43:1 [] registry',
      'ms@npm:2.1.3 ms@2.1.3 50:1 [] registry',
      'once@npm:1.4.0 once@1.4.0 57:1 [] registry => wrappy(prod npm:1)->wrappy@npm:1.0.2',
      'wrappy@npm:1.0.2 wrappy@1.0.2 66:1 [] registry',
    ]);
    expect(pathOf(graph, 'ms@npm:2.0.0')).toEqual(['@fixture/b@0.0.0-use.local', 'debug@2.6.9', 'ms@2.0.0']);
    // packages/b's devDependency: Berry lists it with the dependencies, so the lockfile alone
    // cannot tell (the package.json files can: yarn-berry-dev.test.ts).
    expect(graph.node('wrappy@npm:1.0.2')?.flags).toEqual(NO_FLAGS);
  });

  it('stands in a root when the file has no workspace:. entry, with the descriptors nobody asks for', async () => {
    const graph = await yarnBerry.parse(
      inline(`${metadata('8')}"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  dependencies:\n    b: "npm:^2"\n\n"b@npm:^2":\n  version: 2.0.0\n  resolution: "b@npm:2.0.0"\n`),
    );
    expect(summaryOf(graph)).toEqual([
      '<root> project@ 1:1 [] directory . => a(prod npm:^1)->a@npm:1.0.0',
      'a@npm:1.0.0 a@1.0.0 5:1 [] registry => b(prod npm:^2)->b@npm:2.0.0',
      'b@npm:2.0.0 b@2.0.0 11:1 [] registry',
    ]);
  });
});

describe('yarn Berry parser: aliases and patches', () => {
  it('names an npm: alias by its resolution, and only calls it an alias when no descriptor uses the real name', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'alias'));
    expect(summaryOf(graph)).toEqual([
      'fixture-alias@workspace:. fixture-alias@0.0.0-use.local 29:1 [] directory . => @fixture/ms(prod npm:ms@2.1.3)->ms@npm:2.1.3, str(prod npm:string-width@4.2.3)->string-width@npm:4.2.3, string-width(prod npm:^4.2.0)->string-width@npm:4.2.3',
      'ms@npm:2.1.3 ms@2.1.3 as @fixture/ms 8:1 [] registry',
      'ansi-regex@npm:5.0.1 ansi-regex@5.0.1 15:1 [] registry',
      'emoji-regex@npm:8.0.0 emoji-regex@8.0.0 22:1 [] registry',
      'is-fullwidth-code-point@npm:3.0.0 is-fullwidth-code-point@3.0.0 39:1 [] registry',
      'string-width@npm:4.2.3 string-width@4.2.3 46:1 [] registry => emoji-regex(prod npm:^8.0.0)->emoji-regex@npm:8.0.0, is-fullwidth-code-point(prod npm:^3.0.0)->is-fullwidth-code-point@npm:3.0.0, strip-ansi(prod npm:^6.0.1)->strip-ansi@npm:6.0.1',
      'strip-ansi@npm:6.0.1 strip-ansi@6.0.1 57:1 [] registry => ansi-regex(prod npm:^5.0.1)->ansi-regex@npm:5.0.1',
    ]);
  });

  it('routes edges to built-in patches, and links every patch to the entry it patches', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'patch'));
    const resolvePatch = 'resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=9bd1a5';
    const msPatch = 'ms@patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3-81ff3cfac1.patch::version=2.1.3&hash=f487eb';
    expect(summarize(graph.root)).toBe(
      `fixture-patch@workspace:. fixture-patch@0.0.0-use.local 8:1 [] directory . => ms(prod patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3-81ff3cfac1.patch)->${msPatch}, resolve(prod npm:1.22.8)->${resolvePatch}`,
    );
    expect(summarize(graph.node(msPatch)!)).toBe(`${msPatch} ms@2.1.3 49:1 [] registry patches ms@npm:2.1.3 => ms(prod npm:2.1.3)->ms@npm:2.1.3`);
    expect(graph.node(resolvePatch)?.patchedFrom).toBe('resolve@npm:1.22.8');
    expect(graph.node(resolvePatch)?.location.line).toBe(76);
    expect(pathOf(graph, 'resolve@npm:1.22.8')).toEqual(['fixture-patch@0.0.0-use.local', 'resolve@1.22.8', 'resolve@1.22.8']);
    expect(pathOf(graph, 'hasown@npm:2.0.4')).toEqual(['fixture-patch@0.0.0-use.local', 'resolve@1.22.8', 'is-core-module@2.18.0', 'hasown@2.0.4']);
  });

  it('routes lockfile-v4 built-in patches, whose descriptors leave out npm:', async () => {
    const graph = await yarnBerry.parse(
      inline(
        `${metadata('4', '7')}"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  dependencies:\n    resolve: ^1.20.0\n\n` +
          `"resolve@npm:^1.20.0":\n  version: 1.20.0\n  resolution: "resolve@npm:1.20.0"\n  checksum: abc\n\n` +
          `"resolve@patch:resolve@^1.20.0#~builtin<compat/resolve>":\n  version: 1.20.0\n  resolution: "resolve@patch:resolve@npm%3A1.20.0#~builtin<compat/resolve>::version=1.20.0&hash=00b1ff"\n`,
      ),
    );
    expect(summaryOf(graph)).toEqual([
      'app@workspace:. app@0.0.0-use.local 5:1 [] directory . => resolve(prod ^1.20.0)->resolve@patch:resolve@npm%3A1.20.0#~builtin<compat/resolve>::version=1.20.0&hash=00b1ff',
      'resolve@npm:1.20.0 resolve@1.20.0 11:1 [] registry',
      'resolve@patch:resolve@npm%3A1.20.0#~builtin<compat/resolve>::version=1.20.0&hash=00b1ff resolve@1.20.0 16:1 [] registry patches resolve@npm:1.20.0 => resolve(prod npm:1.20.0)->resolve@npm:1.20.0',
    ]);
  });
});

describe('yarn Berry parser: sources', () => {
  it('reads a git dependency with its commit, and its URL as resolved', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'git'));
    const id = 'git-dep@git://git.example/git-dep.git#commit=a5eb58ff9d280d19c47a6f0156541f45dd8893b3';
    expect(summaryOf(graph)).toEqual([
      `fixture-git@workspace:. fixture-git@0.0.0-use.local 8:1 [] directory . => git-dep(prod git://git.example/git-dep.git#v1.0.0)->${id}`,
      `${id} git-dep@1.0.0 16:1 [] git git://git.example/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 => ms(prod npm:2.1.3)->ms@npm:2.1.3`,
      'ms@npm:2.1.3 ms@2.1.3 25:1 [] registry',
    ]);
    expect(graph.node(id)?.resolved).toBe('git://git.example/git-dep.git#commit=a5eb58ff9d280d19c47a6f0156541f45dd8893b3');
  });

  it('reads file: and remote tarballs, resolving relative ranges through their ::locator binding', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'tarball'));
    const local = 'local-tgz@file:vendor/local-tgz-1.0.0.tgz#vendor/local-tgz-1.0.0.tgz::hash=a69e3c&locator=fixture-tarball%40workspace%3A.';
    const remote = 'remote-ms@https://registry.npm.example/ms/-/ms-2.1.3.tgz';
    expect(summaryOf(graph)).toEqual([
      `fixture-tarball@workspace:. fixture-tarball@0.0.0-use.local 8:1 [] directory . => local-tgz(prod file:vendor/local-tgz-1.0.0.tgz)->${local}, remote-ms(prod https://registry.npm.example/ms/-/ms-2.1.3.tgz)->${remote}`,
      `${local} local-tgz@1.0.0 17:1 [] tarball file:vendor/local-tgz-1.0.0.tgz => wrappy(prod npm:1.0.2)->wrappy@npm:1.0.2`,
      `${remote} remote-ms@2.1.3 26:1 [] tarball https://registry.npm.example/ms/-/ms-2.1.3.tgz`,
      'wrappy@npm:1.0.2 wrappy@1.0.2 33:1 [] registry',
    ]);
    expect([graph.node(local)?.resolved, graph.node(remote)?.resolved]).toEqual([undefined, 'https://registry.npm.example/ms/-/ms-2.1.3.tgz']);
  });

  it('reads file: folders, link:, portal: and exec: entries', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'file-link'));
    const bound = '::locator=fixture-file-link%40workspace%3A.';
    expect(graph.packages.map((node) => summarize(node))).toEqual([
      `dir-dep@file:vendor/dir-dep#vendor/dir-dep::hash=74d8b2&locator=fixture-file-link%40workspace%3A. dir-dep@1.0.0 8:1 [] directory vendor/dir-dep => ms(prod npm:2.1.3)->ms@npm:2.1.3`,
      `gen-dep@exec:vendor/gen/gen-dep.js#vendor/gen/gen-dep.js::hash=616fbf&locator=fixture-file-link%40workspace%3A. gen-dep@1.0.0 28:1 [] directory vendor/gen/gen-dep.js`,
      `linked@link:vendor/linked${bound} linked@0.0.0-use.local 35:1 [] link vendor/linked`,
      'ms@npm:2.1.3 ms@2.1.3 41:1 [] registry',
      'once@npm:1.4.0 once@1.4.0 48:1 [] registry => wrappy(prod npm:1)->wrappy@npm:1.0.2',
      `portal-dep@portal:vendor/portal-dep${bound} portal-dep@0.0.0-use.local 57:1 [] link vendor/portal-dep => once(prod npm:^1.4.0)->once@npm:1.4.0`,
      'wrappy@npm:1.0.2 wrappy@1.0.2 65:1 [] registry',
    ]);
    expect(graph.root.dependencies.every((edge) => edge.to !== undefined)).toBe(true);
  });

  it('classifies every reference shape', () => {
    expect(
      [
        ['npm:1.0.0', 'hard'],
        ['workspace:packages/a', 'soft'],
        ['patch:a@npm%3A1.0.0#./a.patch::version=1.0.0&hash=1&locator=app%40workspace%3A.', 'hard'],
        ['patch:a@github%3Ao%2Fa#./a.patch', 'hard'],
        ['patch:%E0%A4%A#./broken.patch', 'hard'],
        ['https://git.example/o/a.git#commit=0123', 'hard'],
        ['git+ssh://git@git.example/o/a.git#head=main&commit=0123', 'hard'],
        ['github:o/a#tag=v1', 'hard'],
        ['https://files.example/a-1.0.0.tgz', 'hard'],
        ['file:../a.tar.gz#../a.tar.gz::hash=1&locator=app%40workspace%3A.', 'hard'],
        ['file:../a#../a::hash=1&locator=app%40workspace%3A.', 'hard'],
        ['link:../a::locator=app%40workspace%3A.', 'soft'],
        ['portal:../a::locator=app%40workspace%3A.', 'soft'],
        ['exec:./gen.js#./gen.js::hash=1&locator=app%40workspace%3A.', 'hard'],
        ['custom:thing', 'soft'],
        ['custom:thing', 'hard'],
      ].map(([reference, linkType]) => berrySource(reference!, linkType)),
    ).toEqual([
      { type: 'registry' },
      { type: 'workspace', path: 'packages/a' },
      { type: 'registry' },
      { type: 'git', url: 'github:o/a', committish: undefined },
      { type: 'tarball', url: 'patch:%E0%A4%A#./broken.patch' },
      { type: 'git', url: 'https://git.example/o/a.git', committish: '0123' },
      { type: 'git', url: 'git+ssh://git@git.example/o/a.git', committish: '0123' },
      { type: 'git', url: 'github:o/a', committish: 'v1' },
      { type: 'tarball', url: 'https://files.example/a-1.0.0.tgz' },
      { type: 'tarball', url: 'file:../a.tar.gz' },
      { type: 'directory', path: '../a' },
      { type: 'link', path: '../a' },
      { type: 'link', path: '../a' },
      { type: 'directory', path: './gen.js' },
      { type: 'link', path: 'custom:thing' },
      { type: 'tarball', url: 'custom:thing' },
    ]);
  });
});

describe('yarn Berry parser: flags', () => {
  it('marks optional packages from dependenciesMeta, through built-in patches, and leaves peers unresolved', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'optional'));
    const fsevents = 'fsevents@patch:fsevents@npm%3A2.3.3#optional!builtin<compat/fsevents>::version=2.3.3&hash=df0bf1';
    expect(summarize(graph.root)).toBe(
      `fixture-optional@workspace:. fixture-optional@0.0.0-use.local 57:1 [] directory . => fsevents(optional npm:2.3.3)->${fsevents}, inflight(optional npm:1.0.6)->inflight@npm:1.0.6, jsonfile(prod npm:4.0.0)->jsonfile@npm:4.0.0`,
    );
    const optional = graph.packages.filter((node) => node.flags.optional).map((node) => node.id);
    const required = graph.packages.filter((node) => !node.flags.optional).map((node) => node.id);
    expect(required).toEqual(['jsonfile@npm:4.0.0']);
    expect(optional).toHaveLength(25);
    expect(optional).toContain('graceful-fs@npm:4.2.12');
    // A platform-specific package yarn did not build here: no checksum, but a patch of an entry that has one.
    expect(graph.node(fsevents)).toMatchObject({ checksum: undefined, patchedFrom: 'fsevents@npm:2.3.3', location: { line: 82, column: 1 } });
    expect(graph.node('fdir@npm:6.5.0')?.dependencies).toEqual([{ name: 'picomatch', spec: '^3 || ^4', type: 'peerOptional', to: undefined }]);
  });

  it('keeps peer edges unresolved: yarn picks the provider per dependent at install time', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'peer'));
    expect(graph.node('react-dom@npm:18.2.0')?.dependencies).toEqual([
      { name: 'loose-envify', spec: 'npm:^1.1.0', type: 'prod', to: 'loose-envify@npm:1.4.0' },
      { name: 'scheduler', spec: 'npm:^0.23.0', type: 'prod', to: 'scheduler@npm:0.23.2' },
      { name: 'react', spec: '^18.2.0', type: 'peer', to: undefined },
    ]);
    expect(graph.node('ws@npm:8.18.0')?.dependencies.map((edge) => `${edge.name} ${edge.type}`)).toEqual([
      'bufferutil peerOptional',
      'utf-8-validate peerOptional',
    ]);
    expect(graph.packages.some((node) => node.flags.peer)).toBe(false);
  });
});

describe('yarn Berry parser: positions', () => {
  it('locates long keys written in YAML’s explicit `? key` form, and CRLF files', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `a@npm:^1.0.${i}`).join(', ');
    const text = `${metadata('8')}? "${long}"\n:\n  version: 1.0.60\n  resolution: "a@npm:1.0.60"\n\n"b@npm:1":\n  version: 1.0.0\n  resolution: "b@npm:1.0.0"\n`;
    const graph = await yarnBerry.parse(inline(text));
    expect(graph.packages.map((node) => [node.id, node.location.line])).toEqual([
      ['a@npm:1.0.60', 5],
      ['b@npm:1.0.0', 10],
    ]);
    const crlf = await yarnBerry.parse(inline(text.replaceAll('\n', '\r\n')));
    expect(crlf.packages.map((node) => node.location.line)).toEqual([5, 10]);
  });
});

describe('yarn Berry parser: errors', () => {
  const expectError = async (text: string, type: typeof LockfileParseError | typeof UnsupportedLockfileError, message: string): Promise<void> => {
    const error = await parseError(yarnBerry, inline(text));
    expect(error).toBeInstanceOf(type);
    expect((error as LockfileParseError).message).toBe(message);
    expect((error as LockfileParseError).exitCode).toBe(3);
  };

  it('reports YAML syntax errors with the line and column, on one line', async () => {
    const error = await parseError(yarnBerry, inline(`${metadata('4', '7')}"debug@npm:^2.2.0"\n  version: 2.6.9\n`));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect((error as LockfileParseError).message).toBe(
      'yarn.lock:5:19: not valid yarn.lock YAML: can not read an implicit mapping pair; a colon is missed',
    );
    expect((error as LockfileParseError).hints).toEqual([HINT]);
    await expectError('__metadata:\n  version: 8\n- a\n', LockfileParseError, 'yarn.lock:3:1: not valid yarn.lock YAML: end of the stream or a document separator is expected');
  });

  it('refuses lockfile versions it does not know, and files without one', async () => {
    await expectError(`${metadata('3')}`, UnsupportedLockfileError, 'yarn.lock:1:1: has __metadata.version "3"; pkgguard reads yarn Berry lockfile versions 4 to 10');
    await expectError(`# yarn\n\n${metadata('11')}`, UnsupportedLockfileError, 'yarn.lock:3:1: has __metadata.version "11"; pkgguard reads yarn Berry lockfile versions 4 to 10');
    await expectError('__metadata:\n  cacheKey: 8\n', UnsupportedLockfileError, 'yarn.lock:1:1: has no __metadata.version; pkgguard reads yarn Berry lockfile versions 4 to 10');
    await expectError('__metadata: 8\n', UnsupportedLockfileError, 'yarn.lock:1:1: has no __metadata.version; pkgguard reads yarn Berry lockfile versions 4 to 10');
    const newer = await parseError(yarnBerry, inline(metadata('11')));
    expect((newer as UnsupportedLockfileError).hints).toEqual([HINT, 'a newer lockfile version needs a newer pkgguard']);
  });

  it('rejects wrong value types, naming the entry and its header line', async () => {
    const entry = (body: string): string => `${metadata('8')}"a@npm:1":\n${body}`;
    await expectError(`${metadata('8')}"a@npm:1": 1.0.0\n`, LockfileParseError, 'yarn.lock:5:1: entry "a@npm:1": must be a mapping, found a string');
    await expectError(entry('  version: 1.0.0\n'), LockfileParseError, 'yarn.lock:5:1: entry "a@npm:1": has no "resolution"');
    await expectError(entry('  resolution: "a@npm:1.0.0"\n'), LockfileParseError, 'yarn.lock:5:1: entry "a@npm:1": has no "version"');
    await expectError(
      entry('  version:\n  resolution: "a@npm:1.0.0"\n'),
      LockfileParseError,
      'yarn.lock:5:1: entry "a@npm:1": "version" must be a string, found nothing',
    );
    await expectError(
      entry('  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  dependencies:\n    - b\n'),
      LockfileParseError,
      'yarn.lock:5:1: entry "a@npm:1": "dependencies" must be a mapping of name: range, found a list',
    );
    await expectError(
      entry('  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  peerDependencies:\n    b:\n      c: 1\n'),
      LockfileParseError,
      'yarn.lock:5:1: entry "a@npm:1": peerDependencies.b must be a range string, found a block',
    );
    await expectError(
      entry('  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  dependenciesMeta:\n    b: true\n'),
      LockfileParseError,
      'yarn.lock:5:1: entry "a@npm:1": dependenciesMeta.b must be a mapping, found a string',
    );
    await expectError(
      entry('  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  checksum: [1]\n'),
      LockfileParseError,
      'yarn.lock:5:1: entry "a@npm:1": "checksum" must be a string, found a list',
    );
  });

  it('names the first merge-conflict marker before reading', async () => {
    const error = await parseError(yarnBerry, inline(`${metadata('8')}<<<<<<< HEAD\n"a@npm:1":\n=======\n>>>>>>> theirs\n`));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect((error as LockfileParseError).message).toBe('yarn.lock:5:1: unresolved git merge conflict (a "<<<<<<<" marker)');
    expect((error as LockfileParseError).hints).toEqual([
      'resolve the conflict: yarn install --mode=update-lockfile merges a conflicted yarn.lock by itself',
      'or take one side and reinstall: git checkout --theirs yarn.lock && yarn install',
    ]);
  });
});
