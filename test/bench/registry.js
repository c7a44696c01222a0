#!/usr/bin/env node
/**
 * `npm run bench:registry`: times `registry-integrity` + `signatures` in the built CLI (run
 * `npm run build` first) against a local registry that adds 50 ms of latency to every response,
 * the goal being under 3 s cold and under 0.5 s warm for a 2,000-package lockfile.
 *
 * The registry (127.0.0.1, free port, in this process) serves 2,000 generated packages the way
 * the npm registry does: abbreviated or full packuments by Accept header, `dist.integrity` the
 * real sha512 of a generated tarball, `dist.signatures` made with a P-256 key generated here,
 * and the public key at /-/npm/v1/keys. The lockfile is a package-lock.json v3 naming them.
 *
 * Cold: a fresh pkgguard cache dir per run (HTTP cache and registry facts empty). Warm: the
 * same cache dir again. Each run is a fresh process, strictly one after another; the numbers are
 * wall-clock times of the whole process (start-up, lockfile parse, npm config, checks, report).
 *
 * `npm run bench:registry -- N [packages] [latencyMs]`: N runs of each kind (default 5).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { spawnAudit } from './spawn-audit.js';

const RUNS = Number(process.argv[2] ?? 5);
const PACKAGES = Number(process.argv[3] ?? 2000);
const LATENCY_MS = Number(process.argv[4] ?? 50);
const ABBREVIATED = 'application/vnd.npm.install-v1+json';

function generateRegistry() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyid = 'SHA256:bench-key';
  const keys = { keys: [{ expires: null, keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') }] };
  const documents = new Map();
  const lockEntries = {};
  for (let index = 0; index < PACKAGES; index += 1) {
    const name = index % 10 === 0 ? `@bench/pkg-${index}` : `bench-pkg-${index}`;
    const basename = name.slice(name.lastIndexOf('/') + 1);
    // Three versions per package, the middle one locked: packuments are never one-version toys.
    const versions = ['1.0.0', '1.1.0', '2.0.0'].map((version) => {
      const tarball = randomBytes(64);
      const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
      const shasum = createHash('sha1').update(tarball).digest('hex');
      const sig = sign('sha256', Buffer.from(`${name}@${version}:${integrity}`), privateKey).toString('base64');
      return { version, dist: { integrity, shasum, tarball: `https://registry.npm.example/${name}/-/${basename}-${version}.tgz`, signatures: [{ keyid, sig }] } };
    });
    const time = { created: '2024-01-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z', '1.0.0': '2024-01-01T00:00:00.000Z', '1.1.0': '2024-02-01T00:00:00.000Z', '2.0.0': '2024-03-01T00:00:00.000Z' };
    const manifests = Object.fromEntries(versions.map(({ version, dist }) => [version, { name, version, dist, dependencies: {} }]));
    const abbreviated = JSON.stringify({ name, modified: time.modified, 'dist-tags': { latest: '2.0.0' }, versions: manifests });
    const full = JSON.stringify({ _id: name, name, 'dist-tags': { latest: '2.0.0' }, versions: manifests, time, license: 'MIT', readme: 'bench package' });
    documents.set(`/${name.replace('/', '%2f')}`, { abbreviated, full });
    const locked = versions[1];
    lockEntries[`node_modules/${name}`] = { version: locked.version, resolved: locked.dist.tarball, integrity: locked.dist.integrity, license: 'MIT' };
  }
  const lockfile = {
    name: 'bench-registry',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'bench-registry', version: '1.0.0', dependencies: Object.fromEntries(Object.entries(lockEntries).map(([key, entry]) => [key.slice('node_modules/'.length), entry.version])) },
      ...lockEntries,
    },
  };
  return { keys: JSON.stringify(keys), documents, lockfile };
}

function startRegistry({ keys, documents }) {
  const counters = { requests: 0 };
  const server = createServer((request, response) => {
    counters.requests += 1;
    setTimeout(() => {
      const url = (request.url ?? '/').split('?')[0];
      let body;
      let type = 'application/json';
      if (url === '/-/npm/v1/keys') body = keys;
      else {
        const document = documents.get(url);
        const abbreviated = (request.headers.accept ?? '').includes(ABBREVIATED);
        body = document && (abbreviated ? document.abbreviated : document.full);
        if (abbreviated) type = ABBREVIATED;
      }
      if (body === undefined) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end('{"error":"Not found"}');
        return;
      }
      response.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'public, max-age=300' });
      response.end(body);
    }, LATENCY_MS);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, counters, url: `http://127.0.0.1:${server.address().port}/` })));
}

/**
 * Loaded into the CLI with --import: reports the process's own CPU time on stderr at exit, so the
 * figures can be read next to wall-clock time on a machine whose cores are shared.
 */
const CPU_REPORTER = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms '+Math.round((u.user+u.system)/1000)+'\\n')})`;

async function runCli(project, registry, cacheDir, home, checks = ['--checks', 'registry-integrity,signatures', '--registry', registry]) {
  const { ms, report, stderr } = await spawnAudit({ args: [project, ...checks], env: { HOME: home, PKGGUARD_CACHE_DIR: cacheDir }, nodeArgs: ['--import', CPU_REPORTER] });
  const cpu = /cpu-ms (\d+)/.exec(stderr);
  return { ms, cpuMs: cpu ? Number(cpu[1]) : Number.NaN, findings: report.findings.length };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const format = (values) => `median ${Math.round(median(values))} ms, min ${Math.round(Math.min(...values))} ms, max ${Math.round(Math.max(...values))} ms`;

const generated = generateRegistry();
const work = await mkdtemp(path.join(os.tmpdir(), 'pkgguard-bench-registry-'));
const { server, counters, url } = await startRegistry(generated);
try {
  const project = path.join(work, 'project');
  const home = path.join(work, 'home');
  await mkdir(project, { recursive: true });
  await mkdir(home, { recursive: true });
  await writeFile(path.join(project, 'package-lock.json'), JSON.stringify(generated.lockfile, null, 2));
  console.log(`registry-integrity + signatures, ${PACKAGES} packages, ${LATENCY_MS} ms latency per request, ${RUNS} runs each, ${os.cpus().length} cores`);
  const cold = [];
  const warm = [];
  const coldCpu = [];
  const warmCpu = [];
  let coldRequests = 0;
  let warmRequests = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const cacheDir = path.join(work, `cache-${run}`);
    counters.requests = 0;
    const first = await runCli(project, url, cacheDir, home);
    coldRequests = counters.requests;
    if (first.findings !== 0) throw new Error(`expected no findings, got ${first.findings}`);
    cold.push(first.ms);
    coldCpu.push(first.cpuMs);
    counters.requests = 0;
    const second = await runCli(project, url, cacheDir, home);
    warmRequests = counters.requests;
    warm.push(second.ms);
    warmCpu.push(second.cpuMs);
  }
  // The floor: the same process with only the offline integrity check (start-up, parse, report).
  const floor = [];
  const floorCpu = [];
  for (let run = 0; run < RUNS; run += 1) {
    const result = await runCli(project, url, path.join(work, 'cache-floor'), home, ['--checks', 'integrity', '--offline']);
    floor.push(result.ms);
    floorCpu.push(result.cpuMs);
  }
  console.log(`floor (integrity only, offline): ${format(floor)} wall; CPU ${format(floorCpu)}`);
  console.log(`cold: ${format(cold)} wall; CPU ${format(coldCpu)} (${coldRequests} requests)`);
  console.log(`warm: ${format(warm)} wall; CPU ${format(warmCpu)} (${warmRequests} requests)`);
  console.log(`machine load average: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
} finally {
  server.close();
  await rm(work, { recursive: true, force: true });
}
