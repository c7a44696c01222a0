// `npm run bench`: times pkgguard on large lockfiles of every format (npm, yarn classic, yarn
// Berry, pnpm, bun) against the plain reference parse of the same file, snyk's parser,
// lockfile-lint and arborist's loadVirtual where they read the format, whole process per run.
// Plain JavaScript so it runs without a build; only pkgguard's own rows need `npm run build`,
// and they say so when it is missing.
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenCpuClock } from './cpu.js';
import { materializeLarge } from './large.js';
import { BENCH_LOCKFILES, loadBenchLockfile } from './lockfiles.js';
import { measureTools } from './measure.js';
import { isSelected, parseBenchArgs, USAGE } from './options.js';
import { computeLinearity, computeRatios, formatReport, rowProblem } from './report.js';
import { benchTools, FIXTURE_REGISTRY } from './tools.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

function main(argv) {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const pkgguardBin = options.pkgguard ? resolve(options.pkgguard) : join(repoRoot, 'bin/pkgguard.js');
  const tools = benchTools({ repoRoot, pkgguardBin, registryAsIs: options.registryAsIs });
  // Before loading, a spec knows its format but not its version: appliesTo() sees the format only.
  const runsOn = (tool, lockfile) => isSelected(options.only, lockfile.name, tool.id) && (!tool.appliesTo || tool.appliesTo(lockfile));
  const wanted = BENCH_LOCKFILES.filter((lockfile) => tools.some((tool) => runsOn(tool, lockfile)));
  const generated = wanted.filter((lockfile) => lockfile.generated);
  if (generated.length > 0) process.stderr.write(`generating ${generated.map(({ name }) => name).join(', ')} ...\n`);
  const notGenerated = new Map(materializeLarge(repoRoot, generated).map(({ name, reason }) => [name, reason]));
  const loaded = wanted.map((lockfile) =>
    notGenerated.has(lockfile.name) ? { ...lockfile, missing: notGenerated.get(lockfile.name) } : loadBenchLockfile(repoRoot, lockfile),
  );
  const skipped = loaded.filter((lockfile) => lockfile.missing).map(({ name, missing }) => ({ name, reason: missing }));
  const lockfiles = loaded.filter((lockfile) => !lockfile.missing);
  // Progress and notes go to stderr, so stdout stays the report alone (which repeats the skips).
  for (const { name, reason } of skipped) process.stderr.write(`skipping ${name}: ${reason}\n`);
  if (wanted.length === 0) {
    process.stderr.write(`no lockfile/tool matches --only ${options.only.join(', ')}\n${USAGE}\n`);
    return 2;
  }

  // Other work on the machine skews every row; the report says how busy it was.
  const loadAverageAtStart = loadavg()[0];
  const cpuClock = childrenCpuClock();
  const rows = [];
  for (const lockfile of lockfiles) {
    const lockfileTools = tools.filter((tool) => runsOn(tool, lockfile));
    const measured = measureTools(lockfileTools, lockfile, {
      runs: options.runs,
      cwd: repoRoot,
      timeoutMs: options.timeoutMs,
      cpuClock,
      onWarmUp: (tool) => process.stderr.write(`${lockfile.name}: ${tool.label} ...\n`),
    });
    measured.forEach((row, index) => {
      const problem = rowProblem(row, lockfileTools[index].failurePrefix ?? lockfileTools[index].label);
      rows.push(problem ? { ...row, message: problem } : row);
    });
  }

  const environment = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
    loadAverage: { start: round2(loadAverageAtStart), end: round2(loadavg()[0]) },
    extraCaCerts: Boolean(process.env['NODE_EXTRA_CA_CERTS']),
    pkgguardRegistry: options.registryAsIs ? 'as-is' : FIXTURE_REGISTRY,
    cpuTime: cpuClock !== undefined,
  };
  const ratios = computeRatios(lockfiles, rows);
  const linearity = computeLinearity(ratios);
  const measuredLockfiles = lockfiles.map(({ name, dir, format, formatLabel, lockfileVersion, entries }) => ({
    name,
    dir,
    format,
    formatLabel,
    lockfileVersion,
    entries,
  }));
  process.stdout.write(
    `\n${formatReport({ environment, runs: options.runs, lockfiles: measuredLockfiles, skipped, rows, tools, ratios, linearity })}`,
  );
  if (options.json) {
    const document = { environment, runs: options.runs, lockfiles: measuredLockfiles, skipped, rows, ratios, linearity };
    writeFileSync(options.json, `${JSON.stringify(document, null, 2)}\n`);
  }
  return 0;
}

function round2(value) {
  return Math.round(value * 100) / 100;
}

process.exitCode = main(process.argv.slice(2));
