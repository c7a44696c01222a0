/**
 * Measurements of the registry layer, not assertions: import cost of the npm libraries it loads
 * lazily, per-request overhead against bare node:http on loopback, and throughput of 500
 * packument fetches. The fake registry runs in a child process so the client's CPU time is its
 * own. Opt-in because timings on a shared CI box are noise: PKGGUARD_MEASURE=1 npx vitest run
 * test/registry/measure.test.ts
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/registry/client.ts';
import { loadRegistryConfig } from '../../src/registry/npm-config.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';

const ENABLED = process.env['PKGGUARD_MEASURE'] === '1';
const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/registry/is-number.abbreviated.json');

/** Serves the is-number abbreviated packument under any name, like a registry would. */
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const document = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(FIXTURE)}, 'utf8'));
const server = createServer((request, response) => {
  const body = JSON.stringify({ ...document, name: decodeURIComponent(request.url.slice(1)) });
  response.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json', 'cache-control': 'public, max-age=300', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

let server: ChildProcess;
let url: string;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function configFor(registry: string): RegistryConfig {
  return { source: 'npm', defaultRegistry: registry, scopes: {}, fetchOptions: { registry }, files: [], warnings: [] };
}

/** Cold import time of a module in a fresh node process, best of three. */
function coldImportMs(specifier: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
  const runs = [0, 1, 2].map(() => Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
  return Math.min(...runs);
}

describe.skipIf(!ENABLED)('registry layer measurements (opt-in: set PKGGUARD_MEASURE=1)', () => {
  beforeAll(async () => {
    server = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => server.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    url = `http://127.0.0.1:${port}/`;
  });

  afterAll(() => {
    server.kill();
  });

  it('import cost of the lazily loaded libraries', () => {
    const costs = Object.fromEntries(
      ['@npmcli/config', '@npmcli/config/lib/definitions/index.js', 'npm-registry-fetch', 'yaml'].map((specifier) => [specifier, Math.round(coldImportMs(specifier))]),
    );
    console.log('cold import, ms (best of 3):', costs);
    expect(Object.keys(costs)).toHaveLength(4);
  });

  it('loading the npm configuration, first call (imports @npmcli/config) and again', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'pkgguard-measure-config-'));
    try {
      const load = () => loadRegistryConfig({ projectDir: empty, env: {}, homedir: empty, platform: 'linux', execPath: path.join(empty, 'bin', 'node') });
      let started = performance.now();
      await load();
      const first = performance.now() - started;
      started = performance.now();
      await load();
      console.log(`loadRegistryConfig: first ${first.toFixed(0)} ms, again ${(performance.now() - started).toFixed(1)} ms`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('per-request overhead against bare node:http on loopback', async () => {
    const client = createRegistryClient({ config: configFor(url) });
    await client.packument('warm-up');
    const clientTimes: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const started = performance.now();
      await client.packument(`sequential-${i}`);
      clientTimes.push(performance.now() - started);
    }
    const agent = new Agent({ keepAlive: true });
    const bare = (name: string) =>
      new Promise<unknown>((resolve, reject) => {
        get(`${url}${name}`, { agent, headers: { accept: 'application/vnd.npm.install-v1+json' } }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve(JSON.parse(text)));
        }).on('error', reject);
      });
    const bareTimes: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const started = performance.now();
      await bare(`bare-${i}`);
      bareTimes.push(performance.now() - started);
    }
    agent.destroy();
    const overhead = median(clientTimes) - median(bareTimes);
    console.log(`median latency: client ${median(clientTimes).toFixed(2)} ms, bare http ${median(bareTimes).toFixed(2)} ms, overhead ${overhead.toFixed(2)} ms`);
    expect(clientTimes).toHaveLength(300);
  });

  it('throughput of 500 packument fetches', async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-measure-'));
    try {
      const runs: [string, Parameters<typeof createRegistryClient>[0], string][] = [
        ['no disk cache, concurrency 16', { config: configFor(url) }, 'plain'],
        ['no disk cache, concurrency 64', { config: configFor(url), concurrency: 64 }, 'wide'],
        ['disk cache, cold', { config: configFor(url), cacheDir }, 'cached'],
        ['disk cache, warm (new client)', { config: configFor(url), cacheDir }, 'cached'],
        ['offline, warm cache', { config: configFor(url), cacheDir, offline: true }, 'cached'],
      ];
      for (const [label, options, prefix] of runs) {
        const client = createRegistryClient(options);
        await client.packument(`${prefix}-0`);
        const cpu = process.cpuUsage();
        const started = performance.now();
        await Promise.all(Array.from({ length: 500 }, (_, i) => client.packument(`${prefix}-${i}`)));
        const elapsed = performance.now() - started;
        const { user, system } = process.cpuUsage(cpu);
        console.log(
          `${label}: ${elapsed.toFixed(0)} ms (${Math.round((500 / elapsed) * 1000)} req/s), client CPU ${((user + system) / 1000 / 500).toFixed(2)} ms per request`,
        );
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
