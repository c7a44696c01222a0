/**
 * npm's content cache as the registry configuration names it for tarball-integrity: npm's `cache`
 * setting (from any config layer, relative paths from the project) plus `_cacache`, and npm's
 * default under the home directory the caller passes, never the real user's.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

let sandbox: ConfigSandbox;

beforeEach(async () => {
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

describe("registry configuration: npm's cache", () => {
  it("defaults to ~/.npm/_cacache under the given home, and to LOCALAPPDATA's npm-cache on Windows", async () => {
    expect((await sandbox.load()).npmCache).toBe(path.join(sandbox.home, '.npm', '_cacache'));
    const windows = await sandbox.load({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' } });
    expect(windows.npmCache).toBe('C:\\Users\\me\\AppData\\Local\\npm-cache\\_cacache');
  });

  it('follows the cache setting from the environment and from .npmrc', async () => {
    expect((await sandbox.load({ env: { npm_config_cache: '/var/cache/npm' } })).npmCache).toBe('/var/cache/npm/_cacache');
    await sandbox.write('home/.npmrc', 'cache=/srv/npm-cache\n');
    expect((await sandbox.load()).npmCache).toBe('/srv/npm-cache/_cacache');
  });

  it('uses npm\'s cache for pnpm lockfiles too, and has none for yarn Berry', async () => {
    expect((await sandbox.load({ source: 'pnpm', env: { npm_config_cache: '/var/cache/npm' } })).npmCache).toBe('/var/cache/npm/_cacache');
    expect((await sandbox.load({ source: 'yarn-berry' })).npmCache).toBeUndefined();
  });
});
