import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { npmDefaultRegistry, registryConfigSourceFor } from '../../src/registry/npm-config.ts';
import { redactRegistryConfig, registryFor } from '../../src/registry/registry-config.ts';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

let sandbox: ConfigSandbox;

beforeEach(async () => {
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

/** Two throwaway self-signed certificates' worth of PEM framing; only the split is under test. */
const TWO_CERTIFICATES = [
  '-----BEGIN CERTIFICATE-----\nMIIBfirst\n-----END CERTIFICATE-----',
  '-----BEGIN CERTIFICATE-----\nMIIBsecond\n-----END CERTIFICATE-----',
];

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("npm's default registry", () => {
  it("comes from npm's own definitions when nothing is configured", async () => {
    const npmDefault = await npmDefaultRegistry();
    const url = new URL(npmDefault);
    expect(url.protocol).toBe('https:');
    expect(url.pathname).toBe('/');
    expect(url.username + url.password + url.search).toBe('');

    const config = await sandbox.load();
    expect(config).toEqual({
      source: 'npm',
      defaultRegistry: npmDefault,
      scopes: {},
      fetchOptions: { registry: npmDefault, strictSSL: true, noProxy: '' },
      npmCache: path.join(sandbox.home, '.npm', '_cacache'),
      files: [],
      warnings: [],
    });
    expect(registryFor(config, 'left-pad')).toBe(npmDefault);
    expect(registryFor(config, '@types/node')).toBe(npmDefault);
  });
});

describe('config layers', () => {
  it('ranks global < user < project < environment < --registry', async () => {
    const globalFile = await sandbox.write('prefix/etc/npmrc', 'registry=https://global.example/\n');
    const userFile = await sandbox.write('home/.npmrc', 'registry=https://user.example/\n');
    expect((await sandbox.load()).defaultRegistry).toBe('https://user.example/');

    const projectFile = await sandbox.write('work/project/.npmrc', 'registry=https://project.example/npm\n');
    const config = await sandbox.load();
    expect(config.defaultRegistry).toBe('https://project.example/npm/');
    expect(config.fetchOptions['registry']).toBe('https://project.example/npm');
    expect(config.files).toEqual([globalFile, userFile, projectFile]);

    const env = { npm_config_registry: 'https://env.example/' };
    expect((await sandbox.load({ env })).defaultRegistry).toBe('https://env.example/');
    expect((await sandbox.load({ env, registry: 'https://flag.example/' })).defaultRegistry).toBe('https://flag.example/');
  });

  it('reads the user and global files named by npm_config_userconfig and npm_config_globalconfig', async () => {
    const userFile = await sandbox.write('elsewhere/user.npmrc', '@user:registry=https://user.example/\n');
    const globalFile = await sandbox.write('elsewhere/global.npmrc', '@global:registry=https://global.example/\n');
    await sandbox.write('home/.npmrc', '@ignored:registry=https://ignored.example/\n');
    const config = await sandbox.load({ env: { npm_config_userconfig: userFile, npm_config_globalconfig: globalFile } });
    expect(config.scopes).toEqual({ '@user': 'https://user.example/', '@global': 'https://global.example/' });
    expect(config.files).toEqual([globalFile, userFile]);
  });

  it('finds the project .npmrc from a subdirectory without package.json, as npm does', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://project.example/\n');
    await sandbox.write('work/project/src/index.js', '');
    const config = await sandbox.load({ projectDir: path.join(sandbox.project, 'src') });
    expect(config.defaultRegistry).toBe('https://project.example/');
  });

  it('takes a PREFIX from the environment for the global config', async () => {
    await sandbox.write('other-prefix/etc/npmrc', 'registry=https://other-prefix.example/\n');
    const config = await sandbox.load({ env: { PREFIX: path.join(sandbox.root, 'other-prefix') } });
    expect(config.defaultRegistry).toBe('https://other-prefix.example/');
  });
});

describe('scoped registries and credentials', () => {
  it('maps scopes to their registries', async () => {
    await sandbox.write(
      'work/project/.npmrc',
      ['@corp:registry=https://npm.corp.example/repository/npm-private', '@tools:registry=https://tools.example/'].join('\n'),
    );
    const config = await sandbox.load();
    expect(config.scopes).toEqual({
      '@corp': 'https://npm.corp.example/repository/npm-private/',
      '@tools': 'https://tools.example/',
    });
    expect(registryFor(config, '@corp/design-system')).toBe('https://npm.corp.example/repository/npm-private/');
    expect(registryFor(config, '@other/x')).toBe(config.defaultRegistry);
  });

  it('expands ${VAR} in keys and values from the environment it is given', async () => {
    await sandbox.write(
      'home/.npmrc',
      [
        '//npm.corp.example/:_authToken=${CORP_TOKEN}',
        '//${MIRROR_HOST}/:_auth=${MIRROR_AUTH}',
        '//optional.example/:_authToken=${OPTIONAL_TOKEN?}',
      ].join('\n'),
    );
    const config = await sandbox.load({ env: { CORP_TOKEN: 'corp-token', MIRROR_HOST: 'mirror.example', MIRROR_AUTH: 'dXNlcjpwYXNz' } });
    expect(config.fetchOptions).toMatchObject({
      '//npm.corp.example/:_authToken': 'corp-token',
      '//mirror.example/:_auth': 'dXNlcjpwYXNz',
    });
    // `${VAR?}` is npm's "empty when unset"; an empty token is no token to npm-registry-fetch.
    expect(config.fetchOptions['//optional.example/:_authToken']).toBe('');
    expect(config.warnings).toEqual([]);
  });

  it('keeps an unset ${VAR} as npm does, and warns by name, not value', async () => {
    const userFile = await sandbox.write('home/.npmrc', '//npm.corp.example/:_authToken=${CORP_TOKEN}\n');
    const config = await sandbox.load();
    expect(config.fetchOptions['//npm.corp.example/:_authToken']).toBe('${CORP_TOKEN}');
    expect(config.warnings).toEqual([`"//npm.corp.example/:_authToken" in ${userFile} refers to \${CORP_TOKEN}, which is not set`]);
  });

  it('keeps per-registry always-auth for the record (npm itself ignores it since 7.10)', async () => {
    await sandbox.write('home/.npmrc', '//npm.corp.example/:always-auth=true\n//npm.corp.example/:_authToken=t\n');
    const config = await sandbox.load();
    expect(config.fetchOptions).toMatchObject({ '//npm.corp.example/:always-auth': true, '//npm.corp.example/:_authToken': 't' });
  });

  it('reads credentials and scoped registries from npm_config_* variables', async () => {
    const config = await sandbox.load({
      env: { 'npm_config_@corp:registry': 'https://npm.corp.example/', 'npm_config_//npm.corp.example/:_authToken': 'env-token' },
    });
    expect(config.scopes).toEqual({ '@corp': 'https://npm.corp.example/' });
    expect(config.fetchOptions['//npm.corp.example/:_authToken']).toBe('env-token');
  });

  it('warns about credentials that are not scoped to a registry', async () => {
    const userFile = await sandbox.write('home/.npmrc', '_authToken=bare-token\n');
    const config = await sandbox.load();
    expect(config.warnings).toEqual([
      `"_authToken" in ${userFile} is not scoped to a registry, so npm ignores it; write it as "//<registry host>/:_authToken"`,
    ]);
    expect(JSON.stringify(config.warnings)).not.toContain('bare-token');
  });

  it('prints without secrets once redacted', async () => {
    await sandbox.write(
      'home/.npmrc',
      [
        '//npm.corp.example/:_authToken=corp-token',
        '//npm.corp.example/:username=ci',
        '//npm.corp.example/:_password=c2VjcmV0',
        'https-proxy=http://proxyuser:proxypass@proxy.example:3128/',
        '@corp:registry=https://npm.corp.example/',
      ].join('\n'),
    );
    const config = await sandbox.load();
    const redacted = redactRegistryConfig(config);
    expect(redacted.fetchOptions).toMatchObject({
      '//npm.corp.example/:_authToken': '***',
      '//npm.corp.example/:username': 'ci',
      '//npm.corp.example/:_password': '***',
      httpsProxy: 'http://proxy.example:3128/',
    });
    const printed = JSON.stringify(redacted);
    for (const secret of ['corp-token', 'c2VjcmV0', 'proxypass']) expect(printed).not.toContain(secret);
    // The original is untouched: it is what goes to npm-registry-fetch.
    expect(config.fetchOptions['//npm.corp.example/:_authToken']).toBe('corp-token');
  });
});

describe('TLS and proxies', () => {
  it('maps ca, cafile, strict-ssl, proxies and noproxy to npm-registry-fetch options', async () => {
    await sandbox.write('home/certs/corp-ca.pem', `${TWO_CERTIFICATES.join('\n')}\n`);
    await sandbox.write(
      'home/.npmrc',
      [
        'cafile=${HOME}/certs/corp-ca.pem',
        'strict-ssl=false',
        'proxy=http://proxy.example:3128/',
        'https-proxy=http://secure-proxy.example:3129/',
        'noproxy=localhost,.corp.example',
        'local-address=10.0.0.7',
      ].join('\n'),
    );
    const config = await sandbox.load();
    expect(config.fetchOptions).toEqual({
      registry: config.defaultRegistry,
      ca: TWO_CERTIFICATES,
      strictSSL: false,
      proxy: 'http://proxy.example:3128/',
      httpsProxy: 'http://secure-proxy.example:3129/',
      noProxy: 'localhost,.corp.example',
      localAddress: '10.0.0.7',
    });
  });

  it('lets a higher layer`s ca replace a lower layer`s cafile, as npm flattens layer by layer', async () => {
    await sandbox.write('home/ca.pem', `${TWO_CERTIFICATES.join('\n')}\n`);
    await sandbox.write('home/.npmrc', 'cafile=${HOME}/ca.pem\n');
    await sandbox.write('work/project/.npmrc', 'ca="-----BEGIN CERTIFICATE-----\\nMIIBproject\\n-----END CERTIFICATE-----"\n');
    const config = await sandbox.load();
    // ini turns the quoted "\n" escapes into newlines; `ca` is a list setting.
    expect(config.fetchOptions['ca']).toEqual(['-----BEGIN CERTIFICATE-----\nMIIBproject\n-----END CERTIFICATE-----']);
  });
});

describe('TLS settings offline', () => {
  it('leaves npm`s CA settings out offline, and does not read the cafile', async () => {
    await sandbox.write('home/certs/corp-ca.pem', `${TWO_CERTIFICATES.join('\n')}\n`);
    await sandbox.write('home/.npmrc', ['cafile=${HOME}/certs/corp-ca.pem', 'strict-ssl=false', 'proxy=http://proxy.example:3128/'].join('\n'));
    const online = await sandbox.load();
    const offline = await sandbox.load({ offline: true });
    expect(online.fetchOptions['ca']).toEqual(TWO_CERTIFICATES);
    expect(offline.fetchOptions).toEqual({ registry: online.defaultRegistry, strictSSL: false, proxy: 'http://proxy.example:3128/', noProxy: '' });
    const rest = Object.fromEntries(Object.entries(online.fetchOptions).filter(([key]) => key !== 'ca'));
    expect(offline).toEqual({ ...online, fetchOptions: rest });
  });

  it('leaves an inline ca out offline too, and keeps it online', async () => {
    await sandbox.write('work/project/.npmrc', 'ca="-----BEGIN CERTIFICATE-----\\nMIIBproject\\n-----END CERTIFICATE-----"\n');
    expect((await sandbox.load()).fetchOptions['ca']).toEqual(['-----BEGIN CERTIFICATE-----\nMIIBproject\n-----END CERTIFICATE-----']);
    expect((await sandbox.load({ offline: true })).fetchOptions).not.toHaveProperty('ca');
  });

  it('fails on an unreadable cafile online, as npm does at load, and not offline, where no connection needs it', async () => {
    // A directory where the bundle should be: readable by nobody as a file, whoever runs the test.
    const bundle = path.join(sandbox.home, 'certs');
    await sandbox.write('home/certs/README', 'not a certificate bundle\n');
    await sandbox.write('home/.npmrc', `cafile=${bundle}\n`);
    await expect(sandbox.load()).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(sandbox.load({ reader: 'npm' })).rejects.toMatchObject({ code: 'EISDIR' });
    expect((await sandbox.load({ offline: true })).fetchOptions).not.toHaveProperty('ca');
    expect((await sandbox.load({ offline: true, reader: 'npm' })).fetchOptions).not.toHaveProperty('ca');
  });
});

describe('invalid configuration', () => {
  it('names the setting and the file of a registry that is not an http(s) URL', async () => {
    const projectFile = await sandbox.write('work/project/.npmrc', 'registry=ftp://mirror.example/npm/\n');
    const error = await configError(sandbox.load());
    expect(error.message).toBe(`"registry" in ${projectFile} is not an http(s) URL (ftp://mirror.example/npm/)`);
    expect(error.hints).toEqual(['registries are written as full URLs, e.g. https://npm.internal.example/']);
  });

  it('does not echo credentials of a broken scoped registry URL', async () => {
    const userFile = await sandbox.write('home/.npmrc', '@corp:registry=gopher://ci:hunter2@corp.example/\n');
    const error = await configError(sandbox.load());
    expect(error.message).toBe(`"@corp:registry" in ${userFile} is not an http(s) URL (gopher://corp.example/)`);
  });
});

describe('registryConfigSourceFor', () => {
  it('maps each lockfile format to the configuration its package manager reads', () => {
    expect(
      (['npm', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun'] as const).map((format) => [format, registryConfigSourceFor(format)]),
    ).toEqual([
      ['npm', 'npm'],
      ['yarn-classic', 'npm'],
      ['yarn-berry', 'yarn-berry'],
      ['pnpm', 'pnpm'],
      ['bun', 'npm'],
    ]);
  });
});
