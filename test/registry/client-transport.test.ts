import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import type { FetchOptionValue, RegistryConfig } from '../../src/registry/registry-config.ts';
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

describe.skipIf(!hasOpenssl())('a registry behind a private CA (needs the openssl CLI to mint a certificate)', () => {
  let registry: FakeRegistry;
  let directory: string;
  let cert: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'pkgguard-tls-'));
    const [key, certFile] = [path.join(directory, 'key.pem'), path.join(directory, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', certFile], { stdio: 'ignore' });
    cert = await readFile(certFile, 'utf8');
    registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }), { tls: { key: await readFile(key, 'utf8'), cert } });
  });

  afterAll(async () => {
    await registry.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('trusts the registry when its CA is configured (ca / cafile)', async () => {
    const client = createRegistryClient({ config: configFor(registry.url, { ca: [cert] }) });
    await expect(client.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
  });

  it('refuses it otherwise, and says how to fix it', async () => {
    const client = createRegistryClient({ config: configFor(registry.url) });
    const error: unknown = await client.packument('is-number').catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as SourceUnavailableError).message).toBe(
      `127.0.0.1:${new URL(registry.url).port}: TLS certificate problem (DEPTH_ZERO_SELF_SIGNED_CERT) for GET is-number`,
    );
    expect((error as SourceUnavailableError).hints).toEqual(['if the registry uses a private CA, set "cafile" in .npmrc (or caFilePath in .yarnrc.yml)']);
  });

  it('accepts it with strict-ssl=false', async () => {
    const client = createRegistryClient({ config: configFor(registry.url, { strictSSL: false }) });
    await expect(client.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
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

  it('carries registry requests', async () => {
    const registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER }));
    try {
      const client = createRegistryClient({ config: configFor(registry.url, { proxy: proxyUrl }) });
      await expect(client.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
      expect(proxied).toEqual([`GET ${registry.url}is-number -`]);
      expect(registry.requests).toHaveLength(1);
    } finally {
      await registry.close();
    }
  });
});
