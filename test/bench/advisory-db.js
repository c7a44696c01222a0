#!/usr/bin/env node
/**
 * `npm run bench:advisory-db`: the offline advisory database at the size of OSV's real npm
 * export, measured on what dist/ ships (run `npm run build` first).
 *
 * 1. Writes a synthetic OSV npm export of 200,000 records into a temporary all.zip (deflated, one
 *    `<id>.json` per record, like OSV's): 95 % MAL-shaped malicious-package records (every
 *    version of one name), 5 % GHSA-shaped advisories with several ranges, CVSS and CWEs.
 * 2. Builds the index once (what the first audit, or `pkgguard db update`, pays).
 * 3. Looks up a 3,000-package lockfile (300 names with records, 2,700 without) against it,
 *    offline, as the advisory checks do: in fresh processes (module loading, index parsing and
 *    reading included; minimum and median) and warm in one process. Goal: < 300 ms.
 *
 * `npm run bench:advisory-db -- N` runs N fresh processes (default 7); BENCH_DIR=<dir> keeps the
 * generated export there for the next run; BENCH_RECORDS=<n> changes its size. Plain JavaScript on
 * purpose: it measures what ships, not what vitest transpiles.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import zlib from 'node:zlib';

const ROOT = new URL('../../', import.meta.url);
const dist = (file) => new URL(`dist/${file}`, ROOT).href;
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const ADVISORY_SHARE = 0.05;
const LOCKFILE_PACKAGES = 3_000;
const LOCKFILE_HITS = 300;
const PROCESS_RUNS = process.argv[2] === "--child" ? 0 : Number(process.argv[2] ?? 7);

/** Deterministic pseudo-random numbers, so every run measures the same database. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function malRecord(index) {
  const name = `synthetic-mal-${index.toString(36)}`;
  return {
    modified: '2025-06-01T00:00:00Z',
    published: '2025-06-01T00:00:00Z',
    schema_version: '1.5.0',
    id: `MAL-2025-${index}`,
    summary: `Malicious code in ${name} (npm)`,
    details: '\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ossf-package-analysis\nThe package was found to contain malicious code.\n',
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
        database_specific: { cwes: [{ cweId: 'CWE-506', description: 'The product contains code that appears to be malicious in nature.', name: 'Embedded Malicious Code' }] },
      },
    ],
    database_specific: { 'malicious-packages-origins': [{ source: 'ossf-package-analysis', sha256: 'a'.repeat(64), import_time: '2025-06-01T00:00:00Z' }] },
  };
}

function advisoryRecord(index, next) {
  const name = `synthetic-lib-${(index % 4000).toString(36)}`;
  const major = 1 + Math.floor(next() * 5);
  return {
    schema_version: '1.6.0',
    id: `GHSA-syn${index.toString(36).padStart(4, '0')}-xxxx-xxxx`,
    modified: '2025-05-01T00:00:00Z',
    published: '2024-01-01T00:00:00Z',
    aliases: [`CVE-2024-${10000 + index}`],
    summary: `Synthetic vulnerability ${index} in ${name}`,
    details: 'A long enough description of the vulnerability, its impact and its workarounds. '.repeat(8),
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      { package: { ecosystem: 'npm', name, purl: `pkg:npm/${name}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${major - 1 || 0}.9.9` }] }] },
      { package: { ecosystem: 'npm', name, purl: `pkg:npm/${name}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: `${major}.0.0` }, { fixed: `${major}.4.2` }] }] },
    ],
    references: [{ type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/CVE-2024-${10000 + index}` }, { type: 'PACKAGE', url: `https://github.com/example/${name}` }],
    database_specific: { cwe_ids: ['CWE-1321'], severity: 'HIGH', github_reviewed: true },
  };
}

/**
 * A zip writer for the synthetic export (deflated entries, ZIP64 end records because 200,000
 * entries exceed the classic format's 65,535): yazl's per-entry streams take minutes for this
 * many entries, and the bench is about reading, not writing.
 */
function zipBuffers(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = zlib.deflateRawSync(content);
    const crc = zlib.crc32(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(45, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(content.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = central.reduce((sum, part) => sum + part.length, 0);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(entries.length), 24);
  zip64End.writeBigUInt64LE(BigInt(entries.length), 32);
  zip64End.writeBigUInt64LE(BigInt(centralSize), 40);
  zip64End.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + centralSize), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(Math.min(offset, 0xffffffff), 16);
  return [...locals, ...central, zip64End, locator, end];
}

async function writeExport(file) {
  const next = random(7);
  const entries = [];
  for (let index = 0; index < RECORDS; index += 1) {
    const record = next() < ADVISORY_SHARE ? advisoryRecord(index, next) : malRecord(index);
    entries.push([`${record.id}.json`, Buffer.from(JSON.stringify(record, null, 2))]);
  }
  await writeFile(file, zipBuffers(entries));
}

/** 3,000 packages: some with records (MAL names and advisory names at affected and fixed versions), most without. */
function lockfilePackages() {
  const next = random(11);
  const packages = [];
  for (let index = 0; index < LOCKFILE_HITS; index += 1) {
    packages.push(index % 2 === 0 ? { name: `synthetic-mal-${Math.floor(next() * RECORDS).toString(36)}`, version: '1.0.0' } : { name: `synthetic-lib-${(index * 13).toString(36)}`, version: `${1 + (index % 5)}.${index % 7}.0` });
  }
  for (let index = packages.length; index < LOCKFILE_PACKAGES; index += 1) packages.push({ name: `ordinary-package-${index}`, version: `${index % 9}.${index % 5}.${index % 3}` });
  return packages;
}

function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const ms = (value) => `${value.toFixed(0)} ms`;

/** Child mode: one cold lookup in a fresh process, printing its time (module loading included). */
async function child(zipPath, cacheDir) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { lookupAdvisories } = await import(dist('advisories/index.js'));
  const result = await lookupAdvisories(lookupRequest(zipPath, cacheDir));
  const { user, system } = process.cpuUsage(cpu);
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, cpuMs: (user + system) / 1000, affected: result.matches.size }));
}

function lookupRequest(zipPath, cacheDir) {
  const services = {
    projectDir: cacheDir,
    lockfileDir: cacheDir,
    cacheDir,
    privacy: { privateScopes: [], internalPackages: [] },
    now: new Date('2025-06-02T00:00:00Z'),
    settings: { advisories: { db: zipPath } },
    registryConfig: () => Promise.reject(new Error('offline')),
    registryClient: () => Promise.reject(new Error('offline')),
    privateNameReason: () => Promise.resolve(undefined),
    shared: (_key, compute) => compute(),
  };
  return { packages: lockfilePackages(), services, offline: true, signal: new AbortController().signal, log: { debug() {}, warn() {} } };
}

async function main() {
  // BENCH_DIR keeps the generated export between runs (writing it takes minutes); default: a temporary directory.
  const keep = process.env.BENCH_DIR;
  const work = keep ?? (await mkdtemp(path.join(os.tmpdir(), 'pkgguard-bench-advisory-db-')));
  const zipPath = path.join(work, `all-${RECORDS}.zip`);
  const cacheDir = path.join(work, 'cache');
  try {
    let started = performance.now();
    const reused = keep !== undefined && existsSync(zipPath);
    if (!reused) await writeExport(zipPath);
    const written = performance.now() - started;
    const { size } = await stat(zipPath);
    console.log(`synthetic npm export: ${RECORDS.toLocaleString('en-US')} records (${ADVISORY_SHARE * 100} % GHSA-shaped), ${(size / 1e6).toFixed(1)} MB zip, ${reused ? 'reused' : `written in ${ms(written)}`}`);

    const { openDbIndex, indexDirFor } = await import(dist('advisories/db/db-index.js'));
    started = performance.now();
    let rebuilt = false;
    const index = await openDbIndex(zipPath, { cacheDir, now: new Date(), onBuild: () => (rebuilt = true) });
    const built = performance.now() - started;
    const sizeOf = async (file) => `${((await stat(path.join(indexDirFor(cacheDir, zipPath), file))).size / 1e6).toFixed(1)} MB`;
    console.log(
      `index build (once per database version): ${rebuilt ? ms(built) : 'already built (BENCH_DIR)'}; ${index.info.npmRecords.toLocaleString('en-US')} npm records, ${index.info.names.toLocaleString('en-US')} names; ` +
        `names.txt ${await sizeOf('names.txt')}, names.bin ${await sizeOf('names.bin')}, data.ndjson ${await sizeOf('data.ndjson')}`,
    );

    const cold = [];
    const coldCpu = [];
    let affected = 0;
    for (let run = 0; run < PROCESS_RUNS; run += 1) {
      const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', zipPath, cacheDir], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(result.stderr);
      const parsed = JSON.parse(result.stdout);
      cold.push(parsed.ms);
      coldCpu.push(parsed.cpuMs);
      affected = parsed.affected;
    }
    console.log(`lookup of ${LOCKFILE_PACKAGES.toLocaleString('en-US')} packages, fresh process (${PROCESS_RUNS} runs; module loading, stamp check, index parse and reads included): wall min ${ms(Math.min(...cold))}, median ${ms(median(cold))}; CPU min ${ms(Math.min(...coldCpu))}, median ${ms(median(coldCpu))}; ${affected} packages with advisories`);

    const { lookupAdvisories } = await import(dist('advisories/index.js'));
    const warm = [];
    for (let run = 0; run < 5; run += 1) {
      started = performance.now();
      await lookupAdvisories(lookupRequest(zipPath, cacheDir));
      warm.push(performance.now() - started);
    }
    console.log(`lookup, warm process (5 runs): min ${ms(Math.min(...warm))}, median ${ms(median(warm))}`);
    console.log(`goal < 300 ms: ${median(cold) < 300 ? 'met' : 'NOT met'} by the wall-clock median of fresh processes, ${median(coldCpu) < 300 ? 'met' : 'NOT met'} by their CPU time (load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
  } finally {
    if (keep === undefined) await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
