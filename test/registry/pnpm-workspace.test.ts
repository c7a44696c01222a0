import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { normalizeRegistryUrl } from '../../src/registry/registry-config.ts';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

let sandbox: ConfigSandbox;

beforeEach(async () => {
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

const pnpm = () => sandbox.load({ source: 'pnpm' });

describe('pnpm registry configuration', () => {
  it('reads .npmrc like npm when there is no pnpm-workspace.yaml', async () => {
    const npmrc = await sandbox.write('work/project/.npmrc', 'registry=https://npmrc.example/\n@corp:registry=https://corp.example/\n');
    const config = await pnpm();
    expect(config).toMatchObject({
      source: 'pnpm',
      defaultRegistry: 'https://npmrc.example/',
      scopes: { '@corp': 'https://corp.example/' },
      files: [npmrc],
      warnings: [],
    });
  });

  it('lets `registries` in pnpm-workspace.yaml override .npmrc, keeping .npmrc credentials', async () => {
    const npmrc = await sandbox.write(
      'work/project/.npmrc',
      ['registry=https://npmrc.example/', '@corp:registry=https://old-corp.example/', '//corp.example/:_authToken=corp-token'].join('\n'),
    );
    const workspace = await sandbox.write(
      'work/project/pnpm-workspace.yaml',
      ['packages:', '  - "packages/*"', 'registries:', '  default: https://workspace.example/npm/', '  "@corp": https://corp.example/', ''].join('\n'),
    );
    const config = await pnpm();
    expect(config).toEqual({
      source: 'pnpm',
      defaultRegistry: 'https://workspace.example/npm/',
      scopes: { '@corp': 'https://corp.example/' },
      fetchOptions: {
        registry: 'https://workspace.example/npm/',
        '@corp:registry': 'https://corp.example/',
        '//corp.example/:_authToken': 'corp-token',
        strictSSL: true,
        noProxy: '',
      },
      // npm's own default stays an alias of the configured one (see withNpmDefaultAlias).
      defaultRegistryAliases: [normalizeRegistryUrl(await npmDefaultRegistry())],
      npmCache: path.join(sandbox.home, '.npm', '_cacache'),
      files: [npmrc, workspace],
      warnings: [],
    });
  });

  it('ignores the keys pnpm 10 ignores there, and registry URLs built from variables', async () => {
    const workspace = await sandbox.write(
      'work/project/pnpm-workspace.yaml',
      ['registry: https://ignored.example/', '"@corp:registry": https://ignored-corp.example/', 'registries:', '  "@corp": "${CORP_REGISTRY}"', '  nonsense: https://x.example/', ''].join('\n'),
    );
    const config = await sandbox.load({ source: 'pnpm', env: { CORP_REGISTRY: 'https://attacker.example/' } });
    expect(config.scopes).toEqual({});
    expect(new URL(config.defaultRegistry).hostname).not.toBe('ignored.example');
    expect(config.warnings).toEqual([
      `"registries.@corp" in ${workspace} uses an environment variable; it was ignored`,
      `"registries.nonsense" in ${workspace} is not a scope or "default" with a URL; it was ignored`,
    ]);
  });

  it('finds pnpm-workspace.yaml above a workspace package', async () => {
    await sandbox.write('work/project/pnpm-workspace.yaml', 'registries:\n  default: https://workspace.example/\n');
    await sandbox.write('work/project/packages/app/package.json', '{ "name": "app" }\n');
    const config = await sandbox.load({ source: 'pnpm', projectDir: `${sandbox.project}/packages/app` });
    expect(config.defaultRegistry).toBe('https://workspace.example/');
  });

  it('names the file of an unusable registry URL', async () => {
    const workspace = await sandbox.write('work/project/pnpm-workspace.yaml', 'registries:\n  default: not-a-url\n');
    const error: unknown = await pnpm().catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`"registry" in ${workspace} is not an http(s) URL (<invalid URL>)`);
  });
});
