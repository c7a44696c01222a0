import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../src/core/check.ts';
import type { PrivacySettings } from '../src/core/services.ts';
import { createAuditServices, type AuditServicesOptions, sameJson } from '../src/services.ts';
import { makeGraph, makeNode, makeRoot } from './core/make-graph.ts';
import { type ConfigSandbox, createConfigSandbox } from './registry/config-sandbox.ts';

const warnings: string[] = [];
const LOG: Logger = { debug() {}, warn: (message) => warnings.push(message) };
const NO_PRIVACY: PrivacySettings = { privateScopes: [], internalPackages: [] };

let sandbox: ConfigSandbox;
beforeEach(async () => {
  sandbox = await createConfigSandbox();
  warnings.length = 0;
});
afterEach(() => sandbox.remove());

function options(overrides: Partial<AuditServicesOptions> = {}): AuditServicesOptions {
  return {
    projectDir: sandbox.project,
    environment: { env: {}, homedir: sandbox.home, platform: 'linux', execPath: path.join(sandbox.prefix, 'bin', 'node') },
    cacheDir: path.join(sandbox.root, 'cache'),
    offline: false,
    privacy: NO_PRIVACY,
    settings: {},
    now: new Date('2026-12-06T00:00:00Z'),
    signal: new AbortController().signal,
    log: LOG,
    ...overrides,
  };
}

/** An npm graph with a workspace, a package from the default registry and one from a mirror. */
function projectGraph(lockfilePath = 'package-lock.json') {
  return makeGraph({
    lockfile: { path: lockfilePath, format: 'npm', formatVersion: '3' },
    root: makeRoot(['packages/tools', 'node_modules/left-pad', 'node_modules/internal-utils']),
    importers: [makeNode('packages/tools', [], { name: 'tools-workspace', version: '1.0.0', source: { type: 'workspace', path: 'packages/tools' } })],
    packages: [
      makeNode('node_modules/left-pad', [], { name: 'left-pad', version: '1.3.0', resolved: 'https://registry.npm.example/left-pad/-/left-pad-1.3.0.tgz' }),
      makeNode('node_modules/internal-utils', [], {
        name: 'internal-utils',
        version: '2.0.0',
        resolved: 'https://npm.corp.example/repository/npm/internal-utils/-/internal-utils-2.0.0.tgz',
      }),
    ],
  });
}

describe('createAuditServices', () => {
  it('classifies private names for every reason, from pkgguard config, .npmrc and the lockfile', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://registry.npm.example/\n@corp:registry=https://npm.corp.example/\n');
    const services = await createAuditServices(options({ privacy: { privateScopes: ['@acme'], internalPackages: ['billing'] } }));
    const checkServices = services.servicesFor(projectGraph());
    const names = ['@acme/ui', 'billing', '@corp/api', 'tools-workspace', 'internal-utils', 'left-pad', '@types/node'];
    const reasons = await Promise.all(names.map((name) => checkServices.privateNameReason(name)));
    expect(reasons).toEqual(['private-scope', 'internal-package', 'scope-registry', 'workspace', 'resolved-elsewhere', undefined, undefined]);
    // The classifier for loops over every package answers the same.
    const classify = await checkServices.privateNames();
    expect(names.map(classify)).toEqual(reasons);
  });

  it('loads one registry configuration per directory and package manager, and shares its client', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://registry.npm.example/\n');
    const services = await createAuditServices(options());
    const first = services.servicesFor(projectGraph());
    const second = services.servicesFor(projectGraph());
    expect(await first.registryConfig()).toBe(await second.registryConfig());
    expect(await first.registryClient()).toBe(await second.registryClient());
    expect((await first.registryConfig()).defaultRegistry).toBe('https://registry.npm.example/');
    expect(first.lockfileDir).toBe(sandbox.project);
  });

  it('reads the configuration that applies to a nested lockfile from its own directory', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://registry.npm.example/\n');
    await sandbox.write('work/project/tools/.npmrc', 'registry=https://npm.tools.example/\n');
    await sandbox.write('work/project/tools/package.json', '{ "name": "tools", "version": "1.0.0" }\n');
    const services = await createAuditServices(options());
    const nested = services.servicesFor(projectGraph('tools/package-lock.json'));
    expect(nested.lockfileDir).toBe(path.join(sandbox.project, 'tools'));
    expect((await nested.registryConfig()).defaultRegistry).toBe('https://npm.tools.example/');
  });

  it('lets --registry replace the configured default registry', async () => {
    await sandbox.write('work/project/.npmrc', 'registry=https://registry.npm.example/\n');
    const services = await createAuditServices(options({ registry: 'http://127.0.0.1:9/' }));
    expect((await services.servicesFor(projectGraph()).registryConfig()).defaultRegistry).toBe('http://127.0.0.1:9/');
  });

  it('passes configuration warnings to the log once', async () => {
    await sandbox.write('work/project/.npmrc', '_authToken=secret-value\n');
    const services = await createAuditServices(options());
    const checkServices = services.servicesFor(projectGraph());
    await checkServices.registryConfig();
    await checkServices.registryConfig();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"_authToken" in .*\.npmrc is not scoped to a registry/);
    expect(warnings[0]).not.toContain('secret-value');
  });

  it('shares one client between equal configurations of two directories, and not between different ones', async () => {
    const ca = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';
    await sandbox.write('work/project/.npmrc', `registry=https://registry.npm.example/\nca[]="${ca}"\n`);
    await sandbox.write('work/project/same/.npmrc', `registry=https://registry.npm.example/\nca[]="${ca}"\n`);
    await sandbox.write('work/project/same/package.json', '{ "name": "same", "version": "1.0.0" }\n');
    await sandbox.write('work/project/other/.npmrc', `registry=https://registry.npm.example/\nca[]="${ca}x"\n`);
    await sandbox.write('work/project/other/package.json', '{ "name": "other", "version": "1.0.0" }\n');
    const services = await createAuditServices(options());
    const [root, same, other] = [projectGraph(), projectGraph('same/package-lock.json'), projectGraph('other/package-lock.json')].map((graph) => services.servicesFor(graph));
    // Loaded once per directory: equal, not the same object.
    expect(await root?.registryConfig()).not.toBe(await same?.registryConfig());
    expect((await same?.registryConfig())?.fetchOptions['ca']).toEqual([ca.replaceAll('\\n', '\n')]);
    expect(await root?.registryClient()).toBe(await same?.registryClient());
    expect(await root?.registryClient()).not.toBe(await other?.registryClient());
    // The public registry's client carries the network settings only: not the user's client.
    expect(await root?.publicRegistryClient('https://registry.npm.example/')).not.toBe(await root?.registryClient());
  });

  it('compares configuration values as JSON would write them', () => {
    expect(sameJson({ registry: 'a', ca: ['x', 'y'], strictSSL: true, timeout: 5 }, { registry: 'a', ca: ['x', 'y'], strictSSL: true, timeout: 5 })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson({ ca: ['x'] }, { ca: 'x' })).toBe(false);
    expect(sameJson({ n: Number.NaN, u: undefined }, { n: null })).toBe(true);
    expect(sameJson({ ca: ['x', 'y'] }, { ca: ['x', 'z'] })).toBe(false);
    expect(sameJson({ timeout: 1 }, { timeout: '1' })).toBe(false);
    // Values written by their toJSON: a URL has no own keys, and two of them must still differ.
    expect(sameJson({ proxy: new URL('https://a.example/') }, { proxy: new URL('https://b.example/') })).toBe(false);
    expect(sameJson({ proxy: new URL('https://a.example/') }, { proxy: new URL('https://a.example/') })).toBe(true);
    expect(sameJson({ at: new Date(0) }, { at: new Date(1) })).toBe(false);
    expect(sameJson({ key: Buffer.from('a') }, { key: Buffer.from('b') })).toBe(false);
    expect(sameJson({ x: { toJSON: () => 1 } }, { x: { toJSON: () => 2 } })).toBe(false);
  });

  it('memoizes shared work across lockfiles: the first caller computes', async () => {
    const services = await createAuditServices(options());
    let calls = 0;
    const compute = () => Promise.resolve(++calls);
    const a = services.servicesFor(projectGraph());
    const b = services.servicesFor(projectGraph('tools/package-lock.json'));
    expect(await Promise.all([a.shared('lookup', compute), b.shared('lookup', compute)])).toEqual([1, 1]);
  });

  it('offline, neither reads npm`s cafile nor fails on an unreadable one; online, fails as npm does', async () => {
    // A directory where the certificate bundle should be.
    await sandbox.write('home/certs/README', 'not a certificate bundle\n');
    await sandbox.write('work/project/.npmrc', `registry=https://registry.npm.example/\ncafile=${path.join(sandbox.home, 'certs')}\n`);
    const offline = (await createAuditServices(options({ offline: true }))).servicesFor(projectGraph());
    const config = await offline.registryConfig();
    expect(config.fetchOptions).not.toHaveProperty('ca');
    expect((await offline.publicRegistryClient()).config.fetchOptions).not.toHaveProperty('ca');
    expect((await offline.registryFacts()).registryFor('left-pad')).toBe('https://registry.npm.example/');
    const online = (await createAuditServices(options())).servicesFor(projectGraph());
    await expect(online.registryConfig()).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('gives clients that know their configuration at once and send requests through the HTTP client', async () => {
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/left-pad' ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify(request.url === '/left-pad' ? { name: 'left-pad', 'dist-tags': {}, versions: {} } : { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const services = await createAuditServices(options({ registry: `http://127.0.0.1:${port}/`, client: { retries: 0 } }));
      const client = await services.servicesFor(projectGraph()).registryClient();
      expect([client.config.defaultRegistry, client.offline]).toEqual([`http://127.0.0.1:${port}/`, false]);
      expect(await client.packument('left-pad')).toEqual({ name: 'left-pad', 'dist-tags': {}, versions: {} });
      expect(await client.json('-/npm/v1/keys', { httpCache: false })).toBeUndefined();
      const offline = await (await createAuditServices(options({ offline: true }))).servicesFor(projectGraph()).registryClient();
      expect(offline.offline).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes the cache directory from the environment when none is given', async () => {
    const services = await createAuditServices(
      options({ cacheDir: undefined, environment: { env: { PKGGUARD_CACHE_DIR: '/var/cache/pg' }, homedir: sandbox.home, platform: 'linux', execPath: '' } }),
    );
    expect(services.cacheDir).toBe(path.resolve('/var/cache/pg'));
    expect(services.servicesFor(projectGraph()).cacheDir).toBe(path.resolve('/var/cache/pg'));
  });
});
