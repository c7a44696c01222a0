// `npm run bench`: times pkgguard against JSON.parse, lockfile-lint and arborist's loadVirtual on
// large npm lockfiles, whole process per run. Plain JavaScript so it runs without a build; only
// pkgguard's own rows need `npm run build`, and they say so when it is missing.
import process from 'node:process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_LOCKFILES, loadBenchLockfile } from './lockfiles.js';
import { measureTool } from './measure.js';
import { isSelected, parseBenchArgs, USAGE } from './options.js';
import { computeLinearity, computeRatios, formatReport, rowProblem } from './report.js';
import { benchTools } from './tools.js';

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
  const tools = benchTools({ repoRoot, pkgguardBin });
  const wanted = BENCH_LOCKFILES.filter(({ name }) => tools.some((tool) => isSelected(options.only, name, tool.id)));
  const loaded = wanted.map((lockfile) => loadBenchLockfile(repoRoot, lockfile));
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
  const rows = [];
  for (const lockfile of lockfiles) {
    for (const tool of tools) {
      if (!isSelected(options.only, lockfile.name, tool.id)) continue;
      process.stderr.write(`${lockfile.name}: ${tool.label} ...\n`);
      const row = measureTool(tool, lockfile, { runs: options.runs, cwd: repoRoot, timeoutMs: options.timeoutMs });
      const problem = rowProblem(row, tool.failurePrefix ?? tool.label);
      rows.push(problem ? { ...row, message: problem } : row);
    }
  }

  const environment = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
    loadAverage: { start: round2(loadAverageAtStart), end: round2(loadavg()[0]) },
    extraCaCerts: Boolean(process.env['NODE_EXTRA_CA_CERTS']),
  };
  const ratios = computeRatios(lockfiles, rows);
  const linearity = computeLinearity(ratios);
  const measuredLockfiles = lockfiles.map(({ name, dir, lockfileVersion, entries }) => ({ name, dir, lockfileVersion, entries }));
  process.stdout.write(
    `\n${formatReport({ environment, runs: options.runs, lockfiles: measuredLockfiles, skipped, rows, tools, ratios, linearity })}`,
  );
  if (options.json) {
    const document = { environment, runs: options.runs, lockfiles: measuredLockfiles, skipped, rows, ratios, linearity: linearity ?? null };
    writeFileSync(options.json, `${JSON.stringify(document, null, 2)}\n`);
  }
  return 0;
}

function round2(value) {
  return Math.round(value * 100) / 100;
}

process.exitCode = main(process.argv.slice(2));
