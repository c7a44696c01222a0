/**
 * The user's transport settings (CA, strict-ssl, client certificates, proxies) on both of the
 * client's paths: GETs that skip the HTTP cache go through npm's agent directly (direct-get.ts),
 * everything else through npm-registry-fetch. Each test runs on both, and checks which one it took.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import type { FetchOptionValue, RegistryConfig } from '../../src/registry/registry-config.ts';
import type { RegistryClient } from '../../src/registry/types.ts';
import { type FakeRegistry, readPackumentFixture, servePackuments, startFakeRegistry } from './fake-registry.ts';

const IS_NUMBER = readPackumentFixture('is-number');

function configFor(registry: string, fetchOptions: Record<string, FetchOptionValue> = {}): RegistryConfig {
  return { source: 'npm', defaultRegistry: registry, scopes: {}, fetchOptions: { registry, ...fetchOptions }, files: [], warnings: [] };
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed P-256 certificate for 127.0.0.1, as PEM files in `directory`. */
function mintCertificate(directory: string, name: string): { readonly keyFile: string; readonly certFile: string } {
  const keyFile = path.join(directory, `${name}-key.pem`);
  const certFile = path.join(directory, `${name}-cert.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${name === 'server' ? '127.0.0.1' : name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile };
}

interface Transport {
  readonly name: string;
  /** Creates a client that takes this path. */
  client(config: RegistryConfig): Promise<RegistryClient>;
  /** True when the requests so far went through this path (npm-registry-fetch leaves an HTTP cache behind). */
  tookThisPath(): Promise<boolean>;
}

const cacheDirs: string[] = [];

async function httpCacheEntries(): Promise<number> {
  let entries = 0;
  for (const directory of cacheDirs) entries += (await readdir(path.join(directory, 'http')).catch(() => [])).length;
  return entries;
}

const TRANSPORTS: readonly Transport[] = [
  {
    name: 'direct GET (no HTTP cache)',
    client: (config) => Promise.resolve(createRegistryClient({ config, retries: 0 })),
    tookThisPath: async () => (await httpCacheEntries()) === 0,
  },
  {
    name: 'npm-registry-fetch (HTTP cache)',
    async client(config) {
      const cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-transport-'));
      cacheDirs.push(cacheDir);
      return createRegistryClient({ config, cacheDir, retries: 0 });
    },
    tookThisPath: async () => (await httpCacheEntries()) > 0,
  },
];

afterAll(async () => {
  await Promise.all(cacheDirs.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe.each(TRANSPORTS)('$name', (transport) => {
  describe.skipIf(!hasOpenssl())('a registry behind a private CA (needs the openssl CLI to mint certificates)', () => {
    let registry: FakeRegistry;
    let mutual: FakeRegistry;
    let directory: string;
    let cert: string;
    let key: string;
    let client: { readonly keyFile: string; readonly certFile: string };

    beforeAll(async () => {
      directory = await mkdtemp(path.join(tmpdir(), 'pkgguard-tls-'));
      const server = mintCertificate(directory, 'server');
      client = mintCertificate(directory, 'ci-client');
      cert = await readFile(server.certFile, 'utf8');
      key = await readFile(server.keyFile, 'utf8');
      registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }), { tls: { key, cert } });
      // A registry that only talks to holders of the client certificate (mutual TLS).
      mutual = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }), {
        tls: { key, cert, requestCert: true, rejectUnauthorized: true, ca: [await readFile(client.certFile, 'utf8')] },
      });
    });

    afterAll(async () => {
      await registry.close();
      await mutual.close();
      await rm(directory, { recursive: true, force: true });
    });

    it('trusts the registry when its CA is configured (ca / cafile)', async () => {
      const configured = await transport.client(configFor(registry.url, { ca: [cert] }));
      await expect(configured.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
      expect(await transport.tookThisPath()).toBe(true);
    });

    it('refuses it otherwise, and says how to fix it', async () => {
      const unconfigured = await transport.client(configFor(registry.url));
      const error: unknown = await unconfigured.packument('is-number').catch((rejection: unknown) => rejection);
      expect(error).toBeInstanceOf(SourceUnavailableError);
      expect((error as SourceUnavailableError).message).toBe(
        `127.0.0.1:${new URL(registry.url).port}: TLS certificate problem (DEPTH_ZERO_SELF_SIGNED_CERT) for GET is-number`,
      );
      expect((error as SourceUnavailableError).hints).toEqual(['if the registry uses a private CA, set "cafile" in .npmrc (or caFilePath in .yarnrc.yml)']);
    });

    // make-fetch-happen keeps credentials across a same-host protocol change; the direct path does not.
    it.runIf(transport.name.startsWith('direct'))('drops the credentials when a redirect downgrades https to plain http on the same host', async () => {
      const plain = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }));
      const downgrading = await startFakeRegistry(
        (_request, response) => {
          response.writeHead(301, { location: `${plain.url}is-number` });
          response.end();
        },
        { tls: { key, cert } },
      );
      try {
        const configured = await transport.client(configFor(downgrading.url, { ca: [cert], [`${downgrading.nerfDart}:_authToken`]: 'secret-token' }));
        await expect(configured.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
        expect(downgrading.requests.map((request) => request.headers.authorization)).toEqual(['Bearer secret-token']);
        expect(plain.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
      } finally {
        await Promise.all([plain.close(), downgrading.close()]);
      }
    });

    it('accepts it with strict-ssl=false', async () => {
      const lax = await transport.client(configFor(registry.url, { strictSSL: false }));
      await expect(lax.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
    });

    it('presents the client certificate configured as cert/key', async () => {
      const options = { ca: [cert], cert: await readFile(client.certFile, 'utf8'), key: await readFile(client.keyFile, 'utf8') };
      await expect((await transport.client(configFor(mutual.url, options))).packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
    });

    it('presents the client certificate configured for the registry as //host/:certfile and :keyfile', async () => {
      const before = mutual.requests.length;
      const options = { ca: [cert], [`${mutual.nerfDart}:certfile`]: client.certFile, [`${mutual.nerfDart}:keyfile`]: client.keyFile };
      await expect((await transport.client(configFor(mutual.url, options))).packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
      expect(mutual.requests).toHaveLength(before + 1);
    });

    it('is turned away by a registry that wants a client certificate when none is configured', async () => {
      const before = mutual.requests.length;
      const error: unknown = await (await transport.client(configFor(mutual.url, { ca: [cert] }))).packument('is-number').catch((rejection: unknown) => rejection);
      expect(error).toBeInstanceOf(SourceUnavailableError);
      expect(mutual.requests).toHaveLength(before);
    });
  });

  describe('a configured proxy', () => {
    let proxy: Server;
    let proxyUrl: string;
    const proxied: string[] = [];

    beforeAll(async () => {
      // A forward proxy for plain http: it receives absolute-form request targets and relays them.
      proxy = createServer((incoming, outgoing) => {
        proxied.push(`${incoming.method} ${incoming.url} ${incoming.headers['proxy-authorization'] ?? '-'}`);
        const upstream = httpRequest(incoming.url ?? '', { method: incoming.method, headers: { ...incoming.headers, host: new URL(incoming.url ?? '').host } }, (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        });
        incoming.pipe(upstream);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
    });

    afterAll(async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('carries registry requests, with the registry credentials inside', async () => {
      proxied.length = 0;
      const registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }));
      try {
        const client = await transport.client(configFor(registry.url, { proxy: proxyUrl, [`${registry.nerfDart}:_authToken`]: 'registry-token' }));
        await expect(client.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
        expect(proxied).toEqual([`GET ${registry.url}is-number -`]);
        expect(registry.requests.map((request) => request.headers.authorization)).toEqual(['Bearer registry-token']);
        expect(await transport.tookThisPath()).toBe(true);
      } finally {
        await registry.close();
      }
    });

    it('is bypassed for hosts in noproxy', async () => {
      proxied.length = 0;
      const registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }));
      try {
        const client = await transport.client(configFor(registry.url, { proxy: proxyUrl, noProxy: '127.0.0.1' }));
        await expect(client.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
        expect(proxied).toEqual([]);
        expect(registry.requests).toHaveLength(1);
      } finally {
        await registry.close();
      }
    });
  });
});
