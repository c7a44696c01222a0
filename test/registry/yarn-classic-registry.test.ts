import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { normalizeRegistryUrl } from '../../src/registry/registry-config.ts';
import { findYarnClassicDefaultRegistry, readPackagedDefaultRegistry } from '../../src/registry/yarn-classic-registry.ts';

/**
 * yarn 1 installs laid out as npm, Debian and corepack lay them out, holding a `lib/cli.js` whose
 * constant is written exactly as yarn 1.22's Babel build writes it (the host is a stand-in).
 */
const CLI_JS = (host: string): string =>
  [
    '#!/usr/bin/env node',
    'module.exports =',
    '/******/ (function(modules) { // webpackBootstrap',
    '"use strict";',
    'Object.defineProperty(exports, "__esModule", {',
    '  value: true',
    '});',
    `var DEPENDENCY_TYPES = exports.DEPENDENCY_TYPES = ['devDependencies', 'dependencies', 'optionalDependencies', 'peerDependencies'];`,
    `var YARN_REGISTRY = exports.YARN_REGISTRY = '${host}';`,
    'var NPM_REGISTRY_RE = exports.NPM_REGISTRY_RE = /https?:\\/\\/registry\\.npm\\.example/g;',
    '',
  ].join('\n');

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pkgguard-yarn1-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function yarnPackage(dir: string, version: string, host = 'https://registry.yarn.example'): Promise<string> {
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await mkdir(path.join(dir, 'lib'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'yarn', version }));
  await writeFile(path.join(dir, 'bin', 'yarn.js'), '#!/usr/bin/env node\nrequire(__dirname + "/../lib/cli");\n');
  await writeFile(path.join(dir, 'lib', 'cli.js'), CLI_JS(host));
  return dir;
}

// Without the @yarnpkg/lockfile fallback: these tests are about finding an installed yarn 1.
const lookup = (env: Record<string, string>) => ({ env, homedir: path.join(root, 'home'), platform: 'linux', packagedFallback: false });

describe("yarn 1's default registry", () => {
  it('follows `yarn` on PATH through npm\'s global symlink to the package', async () => {
    const pkg = await yarnPackage(path.join(root, 'prefix', 'lib', 'node_modules', 'yarn'), '1.22.22');
    await mkdir(path.join(root, 'prefix', 'bin'));
    await symlink('../lib/node_modules/yarn/bin/yarn.js', path.join(root, 'prefix', 'bin', 'yarn'));
    const found = await findYarnClassicDefaultRegistry(lookup({ PATH: `${path.join(root, 'empty')}:${path.join(root, 'prefix', 'bin')}` }));
    expect(found).toEqual({ registry: 'https://registry.yarn.example/', file: path.join(pkg, 'lib', 'cli.js') });
  });

  it("finds Debian's `yarnpkg` command too", async () => {
    await yarnPackage(path.join(root, 'share', 'yarn'), '1.22.19');
    await mkdir(path.join(root, 'bin'));
    await symlink('../share/yarn/bin/yarn.js', path.join(root, 'bin', 'yarnpkg'));
    expect((await findYarnClassicDefaultRegistry(lookup({ PATH: path.join(root, 'bin') })))?.registry).toBe('https://registry.yarn.example/');
  });

  it("falls back to corepack's cache, newest yarn 1 first, when `yarn` on PATH is not yarn 1", async () => {
    // A corepack shim: not a yarn package.
    await mkdir(path.join(root, 'bin'));
    await writeFile(path.join(root, 'bin', 'yarn'), '#!/usr/bin/env node\nrequire("corepack");\n');
    const cache = path.join(root, 'corepack', 'v1', 'yarn');
    await yarnPackage(path.join(cache, '1.9.4'), '1.9.4', 'https://old.yarn.example');
    await yarnPackage(path.join(cache, '1.22.22+sha224.abc'), '1.22.22');
    await yarnPackage(path.join(cache, '4.5.0'), '4.5.0', 'https://berry.yarn.example');
    const found = await findYarnClassicDefaultRegistry(lookup({ PATH: path.join(root, 'bin'), COREPACK_HOME: path.join(root, 'corepack') }));
    expect(found?.registry).toBe('https://registry.yarn.example/');
  });

  it('ignores a yarn 2+ package and reports nothing when no yarn 1 exists', async () => {
    await yarnPackage(path.join(root, 'berry'), '4.5.0');
    await mkdir(path.join(root, 'bin'));
    await symlink('../berry/bin/yarn.js', path.join(root, 'bin', 'yarn'));
    expect(await findYarnClassicDefaultRegistry(lookup({ PATH: path.join(root, 'bin'), XDG_CACHE_HOME: path.join(root, 'cache') }))).toBeUndefined();
    expect(await findYarnClassicDefaultRegistry(lookup({}))).toBeUndefined();
  });

  it('reports nothing for a yarn 1 whose bundle has no readable constant', async () => {
    const pkg = await yarnPackage(path.join(root, 'yarn'), '1.22.22');
    await writeFile(path.join(pkg, 'lib', 'cli.js'), 'module.exports = {};\n');
    await mkdir(path.join(root, 'bin'));
    await symlink('../yarn/bin/yarn.js', path.join(root, 'bin', 'yarn'));
    expect(await findYarnClassicDefaultRegistry(lookup({ PATH: path.join(root, 'bin'), XDG_CACHE_HOME: path.join(root, 'cache') }))).toBeUndefined();
  });

  it("falls back to @yarnpkg/lockfile's copy of yarn 1's constant when no yarn 1 is installed anywhere", async () => {
    const found = await findYarnClassicDefaultRegistry({ ...lookup({ PATH: path.join(root, 'bin'), XDG_CACHE_HOME: path.join(root, 'cache') }), packagedFallback: undefined });
    const packaged = createRequire(import.meta.url).resolve('@yarnpkg/lockfile');
    expect(found?.file).toBe(packaged);
    // yarn 1's public alias: https, a host of its own, not npm's default registry.
    expect(found?.registry).toMatch(/^https:\/\/[a-z0-9.-]+\/$/);
    expect(found?.registry).not.toBe(normalizeRegistryUrl(await npmDefaultRegistry()));
    expect(await readPackagedDefaultRegistry()).toEqual(found);
  });

  it("uses the shim folder's node_modules on Windows", async () => {
    await yarnPackage(path.join(root, 'npm-global', 'node_modules', 'yarn'), '1.22.22');
    const found = await findYarnClassicDefaultRegistry({
      env: { Path: path.join(root, 'npm-global') },
      homedir: path.join(root, 'home'),
      platform: 'win32',
    });
    expect(found?.registry).toBe('https://registry.yarn.example/');
  });
});
