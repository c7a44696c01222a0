#!/usr/bin/env node
/**
 * `npm run bench:typosquat`: measures the typosquat check built in dist/ (run `npm run build`
 * first). Reports, in this order:
 *
 * 1. start-up: importing the check module, and importing + opening the embedded data on the
 *    check's first run (fresh processes: minimum and median);
 * 2. whole process: the CLI on ../shared/bench/sink/npm with and without the check, alternating
 *    (the number the README quotes);
 * 3. typosquat findings on real lockfiles (../shared/bench/sink/*, fixtures/bench/npm-large and
 *    this repository's own): every one is a false alarm;
 * 4. recall on fixtures/typosquat/incidents.json, counting incidents whose target is protected;
 * 5. false-positive rate: every name of the top 10,000 checked, with its own download count,
 *    against all the other protected names (a legitimate name must not be flagged);
 * 6. gate derivation: target/candidate download ratios of look-alike pairs in which both names
 *    are protected (legitimate pairs) next to those of the incidents;
 * 7. time to check 5,000 names in-process, and a full check run over a 5,000-package graph.
 *
 * `npm run bench:typosquat -- N` runs N fresh processes per start-up and whole-process figure
 * (default 15); on a loaded machine, quote minimums and medians of many.
 *
 * Plain JavaScript on purpose: it measures what ships, not what vitest transpiles.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = new URL('../../', import.meta.url);
const dist = (file) => new URL(`dist/${file}`, ROOT).href;
const FP_SAMPLE = 10_000;
const TIMED_NAMES = 5_000;
/** Fresh processes per start-up or whole-process measurement: `npm run bench:typosquat -- 31`. */
const PROCESS_RUNS = Number(process.argv[2] ?? 15);

const { embeddedReferenceData } = await import(dist('checks/typosquat/reference-data.js'));
const { findLookalikes } = await import(dist('checks/typosquat/matcher.js'));
const { passesPopularityGate, POPULARITY_RATIO } = await import(dist('checks/typosquat/gate.js'));
const { readKnownNames, readPopularNames } = await import(dist('data/typosquat-data.js'));
const { source: POPULAR_NAMES_SOURCE, index: POPULAR_INDEX } = readPopularNames();
// As read from the file, the records are its bytes.
const KNOWN_NAMES = Buffer.from(readKnownNames().records).toString('latin1');

const data = await embeddedReferenceData();
const scope = { indexes: [data.index], knownScopes: data.knownScopes };
const protectedNames = records(POPULAR_INDEX.entries);
// Most downloaded first, as a lockfile-like mix needs them.
const knownNames = records(KNOWN_NAMES).sort((a, b) => b.downloads - a.downloads || (a.name < b.name ? -1 : 1));

/** Same decision as the check: best look-alike whose target passes the gate. */
async function judge(name, candidateDownloads) {
  const lookalikes = findLookalikes(name, scope);
  if (lookalikes.length === 0) return undefined;
  const downloads = candidateDownloads ?? (await data.downloadsOf(name, true));
  return lookalikes.find((lookalike) => passesPopularityGate(lookalike, downloads, data.unknownCeiling));
}

const report = [];
const say = (line = '') => report.push(line);

say(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')} ` +
  '(times are wall clock; with a load above the core count they are inflated, so CPU time is shown too)');
say(`typosquat bench — data ${POPULAR_NAMES_SOURCE.file} ${POPULAR_NAMES_SOURCE.date}, ` +
  `${POPULAR_NAMES_SOURCE.protectedCount} protected names (>= ${POPULAR_NAMES_SOURCE.protectedFloor}/month), ` +
  `known floor ${POPULAR_NAMES_SOURCE.knownFloor}/month, popularity ratio ${POPULARITY_RATIO}`);
say();
startup();
wholeProcess();
realLockfiles();
await recall();
await falsePositives();
gateDerivation();
await timing();
process.stdout.write(`${report.join('\n')}\n`);

function startup() {
  const timed = (setup, work) =>
    `${setup} const c = process.cpuUsage(); const t = performance.now(); ${work}; ` +
    'const u = process.cpuUsage(c); process.stdout.write(`${performance.now() - t} ${(u.user + u.system) / 1000}`);';
  const check = JSON.stringify(dist('checks/typosquat.js'));
  const referenceData = JSON.stringify(dist('checks/typosquat/reference-data.js'));
  const module = timeRuns(timed('', `await import(${check})`));
  const open = timeRuns(timed(`const m = await import(${referenceData});`, 'await m.embeddedReferenceData()'));
  const lookup = timeRuns(
    timed(`const m = await import(${referenceData}); const d = await m.embeddedReferenceData();`, "d.index.get('react')"),
  );
  say(`start-up (${PROCESS_RUNS} fresh processes each; wall min / median, then CPU median)`);
  say(`  import the check module (no data, no zod):    ${module}`);
  say(`  first run: import and open the embedded data: ${open}`);
  say(`  then the first look-up (bucket offsets):      ${lookup}`);
  say('  commands that do not run the check load no data at all');
  say();
}

/**
 * The number the README quotes: the CLI on a real 2,704-entry lockfile, with and without the
 * check, alternating so that a change in the machine's load hits both alike.
 */
function wholeProcess() {
  const sink = new URL('../shared/bench/sink/npm/', ROOT);
  if (!existsSync(sink)) {
    say('whole process: skipped (../shared/bench/sink/npm is absent)');
    say();
    return;
  }
  const audit = ['bin/pkgguard.js', 'audit', fileURLToPath(sink), '--offline', '--format', 'json'];
  const without = [];
  const withCheck = [];
  for (let run = 0; run < PROCESS_RUNS; run++) {
    without.push(timeProcess([...audit, '--skip', 'typosquat']));
    withCheck.push(timeProcess(audit));
  }
  const differences = withCheck.map((time, i) => time - (without[i] ?? 0));
  const sorted = (list) => [...list].sort((a, b) => a - b);
  const text = (list) => `min ${sorted(list)[0]?.toFixed(0)} ms, median ${quantile(sorted(list), 0.5).toFixed(0)} ms`;
  say(`whole process: pkgguard audit ../shared/bench/sink/npm --offline --format json (${PROCESS_RUNS} runs each, alternating)`);
  say(`  --skip typosquat: ${text(without)}`);
  say(`  with the check:   ${text(withCheck)}`);
  say(`  the check adds:   median of paired differences ${quantile(sorted(differences), 0.5).toFixed(0)} ms, ` +
    `difference of minimums ${((sorted(withCheck)[0] ?? 0) - (sorted(without)[0] ?? 0)).toFixed(0)} ms`);
  say();
}

/** The false alarms that matter most: findings on real trees of popular packages (there should be none). */
function realLockfiles() {
  const sinks = new URL('../shared/bench/sink/', ROOT);
  const dirs = [
    ...(existsSync(sinks) ? readdirSync(sinks).sort().map((name) => `../shared/bench/sink/${name}`) : []),
    'fixtures/bench/npm-large',
    '.',
  ];
  say('typosquat findings on real lockfiles (legitimate trees of popular packages: each one is a false alarm)');
  for (const dir of dirs) {
    const result = spawnSync(process.execPath, ['bin/pkgguard.js', 'audit', dir, '--offline', '--format', 'json'], {
      cwd: fileURLToPath(ROOT),
      maxBuffer: 1 << 28,
    });
    let line;
    try {
      const report = JSON.parse(result.stdout.toString());
      const found = report.findings.filter((finding) => finding.checkId === 'typosquat');
      const entries = report.lockfiles.map((lockfile) => `${lockfile.format} ${lockfile.formatVersion}, ${lockfile.packageCount} entries`);
      line = `${found.length} (${entries.join('; ')})${found.map((finding) => `\n      ${finding.message}`).join('')}`;
    } catch {
      line = `not audited (exit ${result.status}: ${result.stderr.toString().split('\n')[0]})`;
    }
    say(`  ${dir}: ${line}`);
  }
  say();
}

function timeProcess(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: fileURLToPath(ROOT) });
  const time = performance.now() - start;
  // Exit 1 means findings, which is still a complete run; anything else is a broken one.
  if (result.status !== 0 && result.status !== 1) throw new Error(`pkgguard exited ${result.status}: ${result.stderr.toString()}`);
  return time;
}

async function recall() {
  const incidents = JSON.parse(readFileSync(new URL('fixtures/typosquat/incidents.json', ROOT), 'utf8')).incidents;
  let eligible = 0;
  let flagged = 0;
  let rightTarget = 0;
  const misses = [];
  const outside = [];
  for (const incident of incidents) {
    if (incident.targets.length === 0) continue;
    if (!incident.targets.some((target) => data.index.get(target.toLowerCase()))) {
      outside.push(incident.name);
      continue;
    }
    eligible += 1;
    const verdict = await judge(incident.name);
    if (!verdict) {
      misses.push(`${incident.name} (for ${incident.targets.join(' or ')})`);
      continue;
    }
    flagged += 1;
    if (incident.targets.includes(verdict.target.name)) rightTarget += 1;
    else misses.push(`${incident.name}: flagged, but as a look-alike of ${verdict.target.name}`);
  }
  say(`recall on ${incidents.length} labelled incidents (fixtures/typosquat/incidents.json)`);
  say(`  target protected: ${eligible}; flagged: ${flagged} = ${pct(flagged, eligible)}; ` +
    `with the labelled target: ${rightTarget} = ${pct(rightTarget, eligible)}`);
  say(`  not flagged or other target: ${misses.join('; ') || 'none'}`);
  say(`  target not in the protected list (not counted): ${outside.join(', ') || 'none'}`);
  say();
}

async function falsePositives() {
  const sample = protectedNames.slice(0, FP_SAMPLE);
  const alarms = [];
  for (const { name, downloads } of sample) {
    const verdict = await judge(name, downloads);
    if (verdict) alarms.push(`${name} → ${verdict.target.name} (${verdict.steps.map((s) => s.text).join(', ')})`);
  }
  say(`false positives: top ${sample.length} names, each checked with its own downloads against the others`);
  say(`  flagged: ${alarms.length} = ${pct(alarms.length, sample.length)}`);
  for (const alarm of alarms) say(`    ${alarm}`);
  say();
}

function gateDerivation() {
  const legitimate = [];
  for (const { name, downloads } of protectedNames) {
    const best = findLookalikes(name, scope).find(({ target }) => target.downloads >= downloads);
    if (best) legitimate.push(best.target.downloads / downloads);
  }
  legitimate.sort((a, b) => a - b);
  const above = (ratio) => legitimate.filter((value) => value >= ratio).length;
  const p90 = quantile(legitimate, 0.9);
  const derived = Number(p90.toPrecision(1));
  say(`gate derivation: ${legitimate.length} look-alike pairs in which both names are protected (legitimate pairs)`);
  say(`  target/candidate download ratio percentiles: ${[50, 90, 95, 97, 99]
    .map((p) => `p${p} ${quantile(legitimate, p / 100).toFixed(1)}`)
    .join(', ')}`);
  say(`  pairs at or above ratio 10: ${pct(above(10), legitimate.length)}, 20: ${pct(above(20), legitimate.length)}, ` +
    `50: ${pct(above(50), legitimate.length)}, 100: ${pct(above(100), legitimate.length)}`);
  say(`  rule: ratio = p90 of legitimate pairs, to one significant digit = ${derived} (in use: ${POPULARITY_RATIO}); ` +
    `known floor <= protected floor / ratio = ${Math.floor(POPULAR_NAMES_SOURCE.protectedFloor / POPULARITY_RATIO)} ` +
    `(in use: ${POPULAR_NAMES_SOURCE.knownFloor})`);
  if (derived !== POPULARITY_RATIO || POPULAR_NAMES_SOURCE.knownFloor * POPULARITY_RATIO > POPULAR_NAMES_SOURCE.protectedFloor) {
    say('  MISMATCH: update POPULARITY_RATIO in src/checks/typosquat/gate.ts or regenerate the data with a lower --floor');
  }
  say();
}

async function timing() {
  // A lockfile-like mix: ranks spread over the protected list and the known tier below it.
  const pool = [...protectedNames, ...knownNames];
  const mixed = spread(pool.slice(0, 60_000), TIMED_NAMES).map((entry) => entry.name);
  const obscure = spread(knownNames, TIMED_NAMES).map((entry) => entry.name);
  say(`time to check ${TIMED_NAMES} names in-process (index already built; median of 5 runs)`);
  say(`  lockfile-like mix (ranks 1-60,000):        ${await timeNames(mixed)}`);
  say(`  worst case (none protected, all searched): ${await timeNames(obscure)}`);
  say(`  full check run, 5,000-package npm graph:   ${await timeCheck(mixed)}`);
}

/** As the check does it: a popular name costs one look-up, a promise only for names with a look-alike. */
async function timeNames(names) {
  return medianTime(async () => {
    for (const name of names) {
      if (data.index.has(name.toLowerCase())) continue;
      const lookalikes = findLookalikes(name, scope);
      if (lookalikes.length === 0) continue;
      const downloads = await data.downloadsOf(name, true);
      lookalikes.find((lookalike) => passesPopularityGate(lookalike, downloads, data.unknownCeiling));
    }
  });
}

/** Median wall and CPU time of 5 runs of `work`, as "12.3 ms (CPU 10.1 ms)". */
async function medianTime(work) {
  const wall = [];
  const cpu = [];
  for (let run = 0; run < 5; run++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (list) => quantile([...list].sort((a, b) => a - b), 0.5);
  return `${median(wall).toFixed(1)} ms (CPU ${median(cpu).toFixed(1)} ms)`;
}

async function timeCheck(names) {
  const { default: check } = await import(dist('checks/typosquat.js'));
  const { runChecks } = await import(dist('core/engine.js'));
  const { createDependencyGraph } = await import(dist('core/graph.js'));
  const flags = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
  const node = (id, name, dependencies) => ({
    id, name, version: '1.0.0', source: { type: 'registry' }, flags, hasInstallScript: false,
    location: { file: 'package-lock.json', line: 1, column: 1 }, dependencies,
  });
  const packages = names.map((name) => node(`node_modules/${name}`, name, []));
  const root = node('', 'bench', packages.slice(0, 50).map((p) => ({ name: p.name, spec: '^1.0.0', type: 'prod', to: p.id })));
  const graph = createDependencyGraph({
    lockfile: { path: 'package-lock.json', format: 'npm', formatVersion: '3' }, root, importers: [], packages,
  });
  const options = check.meta.options.defaults;
  const log = { debug() {}, warn() {} };
  return medianTime(() => runChecks([graph], [{ check, options }], { offline: true, signal: new AbortController().signal, log }));
}

/** Runs `source` (which prints "<wall ms> <cpu ms>") in fresh processes: "min / median ms (CPU median)". */
function timeRuns(source) {
  const wall = [];
  const cpu = [];
  for (let run = 0; run < PROCESS_RUNS; run++) {
    const [w, c] = execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: fileURLToPath(ROOT) })
      .toString()
      .split(' ')
      .map(Number);
    wall.push(w);
    cpu.push(c);
  }
  const sorted = (list) => [...list].sort((a, b) => a - b);
  return `${sorted(wall)[0]?.toFixed(1)} / ${quantile(sorted(wall), 0.5).toFixed(1)} ms (CPU ${quantile(sorted(cpu), 0.5).toFixed(1)} ms)`;
}

/** `name downloads` records (downloads in base 36) joined by ',', as src/data holds them. */
function records(text) {
  return text.split(',').map((record) => {
    const [name = '', count = ''] = record.split(' ');
    return { name, downloads: Number.parseInt(count, 36) };
  });
}

function spread(list, count) {
  const step = list.length / count;
  return Array.from({ length: count }, (_, i) => list[Math.floor(i * step)]);
}

function quantile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function pct(part, whole) {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)} %`;
}
