import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAdvisorySettings } from '../../src/advisories/settings.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { servicesFor } from './helpers.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pkgguard-advisory-settings-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(advisories: unknown) {
  await writeFile(path.join(dir, 'pkgguard.config.json'), JSON.stringify({ advisories }));
  return loadConfig(dir);
}

async function messageOf(advisories: unknown): Promise<string> {
  const error = await load(advisories).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

describe('the advisories section', () => {
  it('reaches the services as validated, and defaults fill the rest', async () => {
    const config = await load({ sources: ['npm', 'osv', 'npm'], db: 'vendor/all.zip' });
    expect(resolveAdvisorySettings(servicesFor({ cacheDir: dir, projectDir: dir, settings: config.settings }))).toEqual({
      sources: ['npm', 'osv'],
      osvUrl: 'https://api.osv.dev/',
      db: path.join(dir, 'vendor', 'all.zip'),
      maxDbAgeDays: 7,
      cacheMinutes: 60,
    });
    expect(resolveAdvisorySettings(servicesFor({ cacheDir: dir }))).toEqual({
      sources: ['osv'],
      osvUrl: 'https://api.osv.dev/',
      db: undefined,
      maxDbAgeDays: 7,
      cacheMinutes: 60,
    });
  });

  it('is strict: unknown keys, unknown sources, bad URLs and ages are configuration errors', async () => {
    expect(await messageOf({ source: ['osv'] })).toContain('advisories');
    expect(await messageOf({ sources: ['nvd'] })).toContain('advisories.sources');
    expect(await messageOf({ sources: [] })).toContain('list at least one source: "osv", "npm" or "db"');
    expect(await messageOf({ osvUrl: 'ftp://osv.example/' })).toContain('expected an http(s) URL');
    expect(await messageOf({ maxDbAgeDays: 0 })).toContain('advisories.maxDbAgeDays');
  });
});
