import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { redactRegistryConfig, registryFor } from '../../src/registry/registry-config.ts';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

let sandbox: ConfigSandbox;

beforeEach(async () => {
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

const yarn = (options: Parameters<ConfigSandbox['load']>[0] = {}) => sandbox.load({ source: 'yarn-berry', ...options });

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('yarn Berry registry configuration', () => {
  it("uses npm's default registry when npmRegistryServer is not set, and ignores .npmrc", async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://npmrc.example/\n@corp:registry=https://corp.example/\n');
    const config = await yarn();
    const npmDefault = await npmDefaultRegistry();
    expect(config).toEqual({
      source: 'yarn-berry',
      defaultRegistry: npmDefault,
      scopes: {},
      fetchOptions: { registry: npmDefault },
      files: [],
      warnings: [],
    });
  });

  it('reads npmRegistryServer, npmScopes and npmRegistries with their credentials', async () => {
    const rc = await sandbox.write(
      'work/project/.yarnrc.yml',
      [
        'npmRegistryServer: "https://mirror.example/npm"',
        'npmAuthToken: "${MIRROR_TOKEN}"',
        'npmScopes:',
        '  corp:',
        '    npmRegistryServer: "https://npm.corp.example/"',
        '    npmAuthToken: "${CORP_TOKEN}"',
        '    npmAlwaysAuth: true',
        '  private-on-default:',
        '    npmAuthToken: scope-token',
        'npmRegistries:',
        '  "//tarballs.example/files":',
        '    npmAuthIdent: "ci:s3cret"',
        '',
      ].join('\n'),
    );
    const config = await yarn({ env: { MIRROR_TOKEN: 'mirror-token', CORP_TOKEN: 'corp-token' } });
    expect(config).toEqual({
      source: 'yarn-berry',
      defaultRegistry: 'https://mirror.example/npm/',
      scopes: { '@corp': 'https://npm.corp.example/' },
      fetchOptions: {
        registry: 'https://mirror.example/npm/',
        '//mirror.example/npm/:_authToken': 'mirror-token',
        '//tarballs.example/files/:_auth': Buffer.from('ci:s3cret').toString('base64'),
        '@corp:registry': 'https://npm.corp.example/',
        '//npm.corp.example/:_authToken': 'corp-token',
        '//npm.corp.example/:always-auth': true,
      },
      files: [rc],
      warnings: [],
    });
    expect(registryFor(config, '@corp/ui')).toBe('https://npm.corp.example/');
    expect(JSON.stringify(redactRegistryConfig(config))).not.toMatch(/mirror-token|corp-token|Y2k6czNjcmV0/);
  });

  it('gives a scope without its own server its token for the default registry only when that has none', async () => {
    await sandbox.write(
      'work/project/.yarnrc.yml',
      ['npmScopes:', '  corp:', '    npmAuthToken: scope-token', ''].join('\n'),
    );
    const config = await yarn();
    expect(config.fetchOptions[`${config.defaultRegistry.replace(/^https:/, '')}:_authToken`]).toBe('scope-token');
    expect(config.scopes).toEqual({});
  });

  it('lets nearer files win over parent directories and the home file, and YARN_* variables over all', async () => {
    const home = await sandbox.write('home/.yarnrc.yml', 'npmRegistryServer: "https://home.example/"\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://home-corp.example/"\n');
    const parent = await sandbox.write('work/.yarnrc.yml', 'npmRegistryServer: "https://parent.example/"\n');
    expect((await yarn()).defaultRegistry).toBe('https://parent.example/');

    const project = await sandbox.write('work/project/.yarnrc.yml', 'npmRegistryServer: "https://project.example/"\n');
    const config = await yarn();
    expect(config.defaultRegistry).toBe('https://project.example/');
    expect(config.scopes).toEqual({ '@corp': 'https://home-corp.example/' });
    expect(config.files).toEqual([home, parent, project]);

    expect((await yarn({ env: { YARN_NPM_REGISTRY_SERVER: 'https://env.example/' } })).defaultRegistry).toBe('https://env.example/');
    expect((await yarn({ registry: 'https://flag.example/' })).defaultRegistry).toBe('https://flag.example/');
  });

  it('honours YARN_RC_FILENAME', async () => {
    await sandbox.write('work/project/.yarnrc.yml', 'npmRegistryServer: "https://default-name.example/"\n');
    await sandbox.write('work/project/.yarnrc-ci.yml', 'npmRegistryServer: "https://ci.example/"\n');
    expect((await yarn({ env: { YARN_RC_FILENAME: '.yarnrc-ci.yml' } })).defaultRegistry).toBe('https://ci.example/');
  });

  it('uses fallbacks of ${VAR:-x} and ${VAR-x} like yarn', async () => {
    await sandbox.write(
      'work/project/.yarnrc.yml',
      ['npmRegistryServer: "${REGISTRY:-https://fallback.example/}"', 'httpsProxy: "${PROXY-http://proxy.example:3128}"', ''].join('\n'),
    );
    const config = await yarn({ env: { REGISTRY: '', PROXY: '' } });
    expect(config.defaultRegistry).toBe('https://fallback.example/');
    // `-` without `:` keeps an empty value, as in the shell.
    expect(config.fetchOptions['httpsProxy']).toBe('');
  });

  it('drops a credential whose variable is missing, with a warning that names the variable', async () => {
    const rc = await sandbox.write('work/project/.yarnrc.yml', 'npmAuthToken: "${NPM_TOKEN}"\n');
    const config = await yarn();
    expect(Object.keys(config.fetchOptions)).toEqual(['registry']);
    expect(config.warnings).toEqual([`"npmAuthToken" in ${rc} refers to \${NPM_TOKEN}, which is not set; the credential was not used`]);
  });

  it('refuses a registry whose variable is missing, as yarn does', async () => {
    const rc = await sandbox.write('work/project/.yarnrc.yml', 'npmScopes:\n  corp:\n    npmRegistryServer: "${CORP_REGISTRY}"\n');
    const error = await configError(yarn());
    expect(error.message).toBe(`"npmScopes.corp.npmRegistryServer" in ${rc} refers to \${CORP_REGISTRY}, which is not set`);
    expect(error.hints).toEqual(['set CORP_REGISTRY, or give a fallback: ${CORP_REGISTRY:-value}']);
  });

  it('maps TLS and proxy settings, with caFilePath relative to its .yarnrc.yml', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBcorp\n-----END CERTIFICATE-----';
    await sandbox.write('work/project/certs/ca.pem', `${pem}\n`);
    await sandbox.write(
      'work/project/.yarnrc.yml',
      ['caFilePath: certs/ca.pem', 'enableStrictSsl: false', 'httpProxy: "http://proxy.example:3128"', ''].join('\n'),
    );
    const config = await yarn();
    expect(config.fetchOptions).toEqual({ registry: config.defaultRegistry, strictSSL: false, proxy: 'http://proxy.example:3128', ca: [pem] });
  });

  it('reports a YAML syntax error with its position', async () => {
    const rc = await sandbox.write('work/project/.yarnrc.yml', 'npmScopes:\n  corp: [unclosed\n');
    const error = await configError(yarn());
    expect(error.message).toMatch(new RegExp(`^${rc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML \\(.+\\)$`));
  });
});
