/**
 * yarn Berry with the project's package.json files: the loader reads them beside yarn.lock and
 * the parser retypes each workspace's `dependencies` edges (where Berry folds devDependencies
 * and optionalDependencies together) by the field that declares them, so dev, optional and
 * devOptional follow. Fixtures made by yarn 4.18.1 (fixtures/README.md, "yarn Berry").
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { loadLockfiles } from '../../src/lockfiles/index.ts';
import { toManifest, type LockfileWithManifests, type ProjectManifests } from '../../src/lockfiles/manifest.ts';
import yarnBerry from '../../src/lockfiles/yarn-berry.ts';
import { summaryOf } from './graph-summary.ts';
import { fixture, inline } from './yarn-fixtures.ts';

const FIXTURES = 'fixtures/lockfiles/yarn-berry';

/** `id [flags]` for every package, in lockfile order. */
const flagLines = (graph: DependencyGraph): string[] =>
  graph.packages.map((node) => `${node.id} [${Object.entries(node.flags).filter(([, on]) => on).map(([flag]) => flag).join(',')}]`);

let base = '';
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'pkgguard-berry-dev-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('yarn Berry dev flags from package.json (yarn 4.18 fixture dev-flags)', () => {
  it('types the root’s and the workspace’s edges by their package.json fields', async () => {
    const [graph] = await loadLockfiles(`${FIXTURES}/dev-flags`);
    expect(summaryOf(graph!).slice(0, 2)).toEqual([
      'fixture-dev-flags@workspace:. fixture-dev-flags@0.0.0-use.local 26:1 [] directory . => ' +
        'debug(prod npm:2.6.9)->debug@npm:2.6.9, inflight(optional npm:1.0.6)->inflight@npm:1.0.6, ' +
        'inherits(dev npm:2.0.4)->inherits@npm:2.0.4, ms(dev npm:2.1.3)->ms@npm:2.1.3, once(dev npm:^1.4.0)->once@npm:1.4.0',
      '@fixture/a@workspace:packages/a @fixture/a@0.0.0-use.local 8:1 [] workspace packages/a => ' +
        'inherits(prod npm:2.0.4)->inherits@npm:2.0.4, isarray(dev npm:2.0.5)->isarray@npm:2.0.5',
    ]);
  });

  it('flags each package exactly as npm would', async () => {
    const [graph] = await loadLockfiles(`${FIXTURES}/dev-flags`);
    expect(flagLines(graph!)).toEqual([
      'debug@npm:2.6.9 []',
      'inflight@npm:1.0.6 [optional]',
      // The root's devDependency, and a dependency of the workspace @fixture/a.
      'inherits@npm:2.0.4 []',
      // @fixture/a's own devDependency.
      'isarray@npm:2.0.5 [dev]',
      'ms@npm:2.0.0 []',
      'ms@npm:2.1.3 [dev]',
      // The root dev-depends on once, and the optional inflight needs once and wrappy.
      'once@npm:1.4.0 [devOptional]',
      'wrappy@npm:1.0.2 [devOptional]',
    ]);
  });

  it('keeps a workspace devDependency that production code also needs out of dev (workspaces fixture)', async () => {
    const [graph] = await loadLockfiles(`${FIXTURES}/workspaces`);
    expect(flagLines(graph!)).toEqual([
      'debug@npm:2.6.9 []',
      'ms@npm:2.0.0 []',
      'ms@npm:2.1.3 [dev]',
      'once@npm:1.4.0 []',
      // @fixture/b dev-depends on wrappy; @fixture/a's once needs it in production.
      'wrappy@npm:1.0.2 []',
    ]);
  });

  it('tells dev from prod only with the package.json files: the lockfile alone flags no dev', async () => {
    const graph = await yarnBerry.parse(fixture('yarn-berry', 'dev-flags'));
    expect(flagLines(graph)).toEqual([
      'debug@npm:2.6.9 []',
      'inflight@npm:1.0.6 [optional]',
      'inherits@npm:2.0.4 []',
      'isarray@npm:2.0.5 []',
      'ms@npm:2.0.0 []',
      'ms@npm:2.1.3 []',
      'once@npm:1.4.0 []',
      'wrappy@npm:1.0.2 []',
    ]);
  });
});

describe('yarn Berry: the loader and the package.json files', () => {
  it('says in a debug line that a yarn.lock without its package.json has no dev information', async () => {
    const dir = path.join(base, 'alone');
    await mkdir(dir);
    await cp(`${FIXTURES}/dev-flags/yarn.lock`, path.join(dir, 'yarn.lock'));
    const debug: string[] = [];
    const [graph] = await loadLockfiles(dir, { log: { debug: (message) => debug.push(message) } });
    expect(debug).toEqual(['yarn.lock: no package.json beside it, so dev dependencies cannot be told from the others (--production keeps them)']);
    expect(graph!.packages.filter((node) => node.flags.dev)).toEqual([]);
  });

  it('says nothing when the package.json files are there', async () => {
    const debug: string[] = [];
    await loadLockfiles(`${FIXTURES}/dev-flags`, { log: { debug: (message) => debug.push(message) } });
    expect(debug).toEqual([]);
  });

  it('refuses a broken workspace package.json with one line and exit code 3', async () => {
    const dir = path.join(base, 'broken');
    await cp(`${FIXTURES}/dev-flags`, dir, { recursive: true });
    await writeFile(path.join(dir, 'packages/a/package.json'), '{ "name": "@fixture/a",\n');
    const error: unknown = await loadLockfiles(dir).then(
      () => 'parsed',
      (reason: unknown) => reason,
    );
    expect(isPkgguardError(error) && { code: error.code, exitCode: error.exitCode }).toEqual({ code: 'ELOCKREAD', exitCode: 3 });
    expect((error as Error).message).toMatch(/^packages\/a\/package\.json is not valid JSON: /);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('yarn Berry parser with manifests (hand-written cases)', () => {
  const LOCK = `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"a@npm:^1":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  dependencies:\n    a: "npm:^1"\n    b: "npm:^1"\n    c: "npm:^1"\n  dependenciesMeta:\n    b:\n      optional: true\n  languageName: unknown\n  linkType: soft\n\n"b@npm:^1":\n  version: 1.0.0\n  resolution: "b@npm:1.0.0"\n\n"c@npm:^1":\n  version: 1.0.0\n  resolution: "c@npm:1.0.0"\n\n"d@npm:^1":\n  version: 1.0.0\n  resolution: "d@npm:1.0.0"\n\n"tool@workspace:packages/tool":\n  version: 0.0.0-use.local\n  resolution: "tool@workspace:packages/tool"\n  dependencies:\n    d: "npm:^1"\n  languageName: unknown\n  linkType: soft\n`;
  const parse = (manifests: ProjectManifests): Promise<DependencyGraph> => yarnBerry.parse({ ...inline(LOCK), manifests } as LockfileWithManifests);

  it('lets a prod declaration keep the lockfile’s optional, and a name package.json no longer declares keep its type', async () => {
    // `b` is optional through package.json's own dependenciesMeta; `c` was removed from package.json since the last install.
    const graph = await parse({
      root: toManifest({ name: 'app', dependencies: { b: '^1' }, devDependencies: { a: '^1' }, dependenciesMeta: { b: { optional: true } } }),
      workspaces: [],
    });
    expect(graph.root.dependencies.map((edge) => `${edge.name}(${edge.type})`)).toEqual(['a(dev)', 'b(optional)', 'c(prod)']);
    expect(flagLines(graph)).toEqual(['a@npm:1.0.0 [dev]', 'b@npm:1.0.0 [optional]', 'c@npm:1.0.0 []', 'd@npm:1.0.0 []']);
  });

  it('keeps the lockfile’s types for a workspace whose package.json was not found', async () => {
    const withTool = await parse({
      root: toManifest({ name: 'app' }),
      workspaces: [{ path: 'packages/tool', manifest: toManifest({ name: 'tool', devDependencies: { d: '^1' } }) }],
    });
    expect(withTool.node('d@npm:1.0.0')!.flags.dev).toBe(true);
    const withoutTool = await parse({ root: toManifest({ name: 'app' }), workspaces: [] });
    expect(withoutTool.node('d@npm:1.0.0')!.flags.dev).toBe(false);
  });
});
