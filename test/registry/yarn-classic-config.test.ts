import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { loadFixtureGraph } from '../helpers/check-tester.ts';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { privateNameClassifier } from '../../src/registry/privacy.ts';
import { normalizeRegistryUrl } from '../../src/registry/registry-config.ts';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

/** A yarn 1 install as npm lays it out globally, with the constant as yarn 1.22's bundle writes it. */
async function installFakeYarn(sandbox: ConfigSandbox): Promise<string> {
  const pkg = 'yarn-prefix/lib/node_modules/yarn';
  await sandbox.write(`${pkg}/package.json`, '{ "name": "yarn", "version": "1.22.22" }\n');
  await sandbox.write(`${pkg}/bin/yarn.js`, '#!/usr/bin/env node\n');
  await sandbox.write(`${pkg}/lib/cli.js`, "var YARN_REGISTRY = exports.YARN_REGISTRY = 'https://registry.yarn.example';\n");
  const bin = path.join(sandbox.root, 'yarn-prefix', 'bin');
  await mkdir(bin, { recursive: true });
  await symlink('../lib/node_modules/yarn/bin/yarn.js', path.join(bin, 'yarn'));
  return bin;
}

let sandbox: ConfigSandbox;
beforeEach(async () => {
  sandbox = await createConfigSandbox();
});
afterEach(async () => {
  await sandbox.remove();
});

const NOT_FOUND = "yarn 1's own default registry (no yarn 1 was found on PATH or in corepack's cache to read it from)";

describe("npm's default registry", () => {
  it('stays an alias of a configured default, as npm rewrites lockfile URLs on it to the configured registry', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://npm.corp.example/\n');
    const config = await sandbox.load();
    expect(config.defaultRegistry).toBe('https://npm.corp.example/');
    expect(config.defaultRegistryAliases).toEqual([normalizeRegistryUrl(await npmDefaultRegistry())]);
    expect((await sandbox.load({ source: 'pnpm' })).defaultRegistryAliases).toEqual([normalizeRegistryUrl(await npmDefaultRegistry())]);
  });
});

describe('yarn classic registry configuration', () => {
  it("adds yarn 1's own host as an alias of npm's default registry", async () => {
    const bin = await installFakeYarn(sandbox);
    const config = await sandbox.load({ yarnClassic: true, env: { PATH: bin, XDG_CACHE_HOME: path.join(sandbox.root, 'cache') } });
    expect(config.defaultRegistry).toBe(normalizeRegistryUrl(await npmDefaultRegistry()));
    expect(config.defaultRegistryAliases).toEqual(['https://registry.yarn.example/']);
    expect(config.unresolvedAliases).toEqual([]);
  });

  it('says so when no yarn 1 is installed, and only for yarn classic lockfiles', async () => {
    const env = { PATH: path.join(sandbox.root, 'nothing'), XDG_CACHE_HOME: path.join(sandbox.root, 'cache') };
    const config = await sandbox.load({ yarnClassic: true, env, packagedFallback: false });
    expect(config.defaultRegistryAliases).toEqual([]);
    expect(config.unresolvedAliases).toEqual([NOT_FOUND]);
    const npm = await sandbox.load({ env: { PATH: await installFakeYarn(sandbox) } });
    expect(npm.defaultRegistryAliases).toBeUndefined();
    expect(npm.unresolvedAliases).toBeUndefined();
  });

  it('lets .yarnrc registries (nearest first) override .npmrc', async () => {
    const bin = await installFakeYarn(sandbox);
    await sandbox.write('work/project/.npmrc', 'registry=https://npm.from-npmrc.example/\n@corp:registry=https://npm.from-npmrc.example/corp/\n');
    await sandbox.write('work/project/.yarnrc', '# yarn lockfile v1\n\n\nregistry "https://npm.corp.example/"\n');
    await sandbox.write('work/.yarnrc', 'registry "https://npm.parent.example/"\n"@other:registry" "https://npm.other.example/"\n');
    await sandbox.write('home/.yarnrc', '"@corp:registry" https://npm.corp.example/corp\n');
    const config = await sandbox.load({ yarnClassic: true, env: { PATH: bin } });
    expect(config.defaultRegistry).toBe('https://npm.corp.example/');
    expect(config.scopes).toEqual({ '@corp': 'https://npm.corp.example/corp/', '@other': 'https://npm.other.example/' });
    expect(config.fetchOptions['registry']).toBe('https://npm.corp.example/');
    expect(config.fetchOptions['@corp:registry']).toBe('https://npm.corp.example/corp/');
    // The public registry under both its names stays allowed: npm's and yarn 1's.
    expect(config.defaultRegistryAliases).toEqual([normalizeRegistryUrl(await npmDefaultRegistry()), 'https://registry.yarn.example/']);
    expect(config.unresolvedAliases).toEqual([]);
    expect(config.files.slice(-3)).toEqual([
      path.join(sandbox.home, '.yarnrc'),
      path.join(sandbox.root, 'work', '.yarnrc'),
      path.join(sandbox.project, '.yarnrc'),
    ]);
  });

  it('keeps --registry above .yarnrc', async () => {
    await sandbox.write('work/project/.yarnrc', 'registry "https://npm.corp.example/"\n');
    const config = await sandbox.load({ yarnClassic: true, registry: 'https://cli.example/', env: { PATH: '' } });
    expect(config.defaultRegistry).toBe('https://cli.example/');
  });

  it('refuses a .yarnrc registry that is not an http(s) URL, naming the file', async () => {
    await sandbox.write('work/project/.yarnrc', 'registry "npm.corp.example"\n');
    const loading = sandbox.load({ yarnClassic: true, env: { PATH: '' } });
    await expect(loading).rejects.toThrow(ConfigError);
    await expect(loading).rejects.toThrow(`"registry" in ${path.join(sandbox.project, '.yarnrc')} is not an http(s) URL`);
  });

  it("does not count packages resolved from yarn 1's host as private", async () => {
    const bin = await installFakeYarn(sandbox);
    const config = await sandbox.load({ yarnClassic: true, env: { PATH: bin } });
    const graph = await loadFixtureGraph('yarn-classic/source-yarn-host');
    expect(privateNameClassifier(graph, config)('debug')).toBeUndefined();
    // The same lockfile, judged without the alias: every name looks like it came from a private registry.
    expect(privateNameClassifier(graph, { ...config, defaultRegistryAliases: [] })('debug')).toBe('resolved-elsewhere');
  });
});
