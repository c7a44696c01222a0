#!/usr/bin/env node
/**
 * `npm run bench:tarballs`: times `--verify-tarballs` (the tarball-integrity check) in the built
 * CLI (run `npm run build` first) against a local registry that adds 50 ms of latency to every
 * response, cold (every tarball downloaded and hashed) and `--offline` from an npm cache that
 * holds every tarball under its URL, as npm's own cache does after an install.
 *
 * The registry (127.0.0.1, free port, in this process) serves N real gzipped tarballs
 * (`package/package.json` in a ustar archive, ≈ 6 KB each, about the size of a small npm
 * package), and the lockfile is a package-lock.json v3 naming them with their real sha512. Each
 * run is a fresh process, strictly one after another; the numbers are wall-clock times of the
 * whole process (start-up, lockfile parse, npm config, check, report).
 *
 * `npm run bench:tarballs -- N [packages] [latencyMs]`: N runs of each kind (default 5).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { gzipSync } from 'node:zlib';
import cacache from 'cacache';
import { spawnAudit } from './spawn-audit.js';

const RUNS = Number(process.argv[2] ?? 5);
const PACKAGES = Number(process.argv[3] ?? 500);
const LATENCY_MS = Number(process.argv[4] ?? 50);
const BLOCK = 512;

/** A ustar archive with one `package/package.json`, gzipped: what `npm pack` makes of a tiny package. */
function packTarball(name, version) {
  const manifest = Buffer.from(`${JSON.stringify({ name, version, description: randomBytes(4500).toString('base64') }, null, 2)}\n`);
  const header = Buffer.alloc(BLOCK);
  const octal = (value, width) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  header.write('package/package.json', 0);
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(manifest.length, 12), 124);
  header.write(octal(499162500, 12), 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(manifest.length / BLOCK) * BLOCK);
  manifest.copy(body);
  return gzipSync(Buffer.concat([header, body, Buffer.alloc(BLOCK * 2)]));
}

function startRegistry(tarballs) {
  const counters = { requests: 0, bytes: 0 };
  const server = createServer((request, response) => {
    counters.requests += 1;
    setTimeout(() => {
      const data = tarballs.get((request.url ?? '/').split('?')[0]);
      if (!data) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":"Not found"}');
        return;
      }
      counters.bytes += data.length;
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
      response.end(data);
    }, LATENCY_MS);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, counters, url: `http://127.0.0.1:${server.address().port}/` })));
}

async function runCli(project, env, args) {
  const { ms, report } = await spawnAudit({ args: [project, '--checks', 'integrity', '--verify-tarballs', ...args], env });
  return { ms, findings: report.findings.length, notes: report.notes.length, skipped: report.skipped.length };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const format = (values) => `median ${Math.round(median(values))} ms, min ${Math.round(Math.min(...values))} ms, max ${Math.round(Math.max(...values))} ms`;

const work = await mkdtemp(path.join(os.tmpdir(), 'pkgguard-bench-tarballs-'));
const tarballs = new Map();
const entries = [];
for (let index = 0; index < PACKAGES; index += 1) {
  const name = index % 10 === 0 ? `@bench/pkg-${index}` : `bench-pkg-${index}`;
  const pathname = `/${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-1.0.0.tgz`;
  const data = packTarball(name, '1.0.0');
  tarballs.set(pathname, data);
  entries.push({ name, pathname, data });
}
const { server, counters, url } = await startRegistry(tarballs);
try {
  const project = path.join(work, 'project');
  const home = path.join(work, 'home');
  await mkdir(project, { recursive: true });
  await mkdir(home, { recursive: true });
  const packages = { '': { name: 'bench-tarballs', version: '1.0.0', dependencies: Object.fromEntries(entries.map(({ name }) => [name, '1.0.0'])) } };
  for (const { name, pathname, data } of entries) {
    packages[`node_modules/${name}`] = { version: '1.0.0', resolved: `${url.slice(0, -1)}${pathname}`, integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`, license: 'MIT' };
  }
  await writeFile(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'bench-tarballs', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));

  // npm's cache after an install: every tarball under make-fetch-happen's key for its URL.
  const npmCache = path.join(work, 'npm-cache');
  for (const { pathname, data } of entries) await cacache.put(path.join(npmCache, '_cacache'), `make-fetch-happen:request-cache:${url.slice(0, -1)}${pathname}`, data);

  const totalBytes = entries.reduce((sum, { data }) => sum + data.length, 0);
  console.log(`tarball-integrity, ${PACKAGES} tarballs (${(totalBytes / 1e6).toFixed(1)} MB), ${LATENCY_MS} ms latency per request, ${RUNS} runs each, ${os.cpus().length} cores`);
  const env = { HOME: home, npm_config_cache: npmCache };
  const cold = [];
  const offline = [];
  const floor = [];
  let coldRequests = 0;
  for (let run = 0; run < RUNS; run += 1) {
    counters.requests = 0;
    const online = await runCli(project, { ...env, PKGGUARD_CACHE_DIR: path.join(work, `cache-${run}`) }, ['--registry', url]);
    if (online.findings !== 0) throw new Error(`expected no findings, got ${online.findings}`);
    coldRequests = counters.requests;
    cold.push(online.ms);
    counters.requests = 0;
    const local = await runCli(project, { ...env, PKGGUARD_CACHE_DIR: path.join(work, `cache-${run}`) }, ['--offline']);
    if (local.findings !== 0 || local.notes !== 0 || local.skipped !== 0 || counters.requests !== 0) throw new Error('expected every tarball verified from the npm cache, without a request');
    offline.push(local.ms);
  }
  for (let run = 0; run < RUNS; run += 1) {
    floor.push((await runCli(project, { ...env, PKGGUARD_CACHE_DIR: path.join(work, 'cache-floor') }, ['--offline', '--skip', 'tarball-integrity'])).ms);
  }
  console.log(`floor (integrity only, offline): ${format(floor)}`);
  console.log(`cold (download + hash): ${format(cold)} (${coldRequests} requests)`);
  console.log(`offline (npm cache by URL): ${format(offline)}`);
  console.log(`machine load average: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
} finally {
  server.close();
  await rm(work, { recursive: true, force: true });
}
