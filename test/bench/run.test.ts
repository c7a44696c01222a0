// End to end: `node test/bench/run.js` with one timed run on our own large fixture, so these
// tests need neither the shared corpus nor a built pkgguard.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUN_LARGE_ENTRIES } from './large-entries.ts';
import { NPM_LARGE_ENTRIES } from './npm-large.ts';

interface BenchDocument {
  runs: number;
  skipped: unknown[];
  lockfiles: unknown[];
  rows: {
    tool: string;
    status: string;
    reference?: boolean;
    note?: string;
    message?: string;
    exitCodes?: number[];
    samplesMs?: number[];
    cpuSamplesMs?: number[];
  }[];
}

const scratchDirs: string[] = [];
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

function runBench(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const dir = scratchDir('pkgguard-bench-');
  const jsonFile = join(dir, 'bench.json');
  const result = spawnSync(process.execPath, ['test/bench/run.js', '--runs', '2', '--json', jsonFile, ...args], { encoding: 'utf8', env });
  return { ...result, dir, json: () => JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchDocument };
}

/** A pkgguard stand-in whose dist exists but whose process fails the way a broken CLI would. */
function brokenPkgguard(
  script = "process.stderr.write('\\nerror: lockfile exploded\\nhint: none\\n'); process.exitCode = 70;\n",
): string {
  const root = scratchDir('pkgguard-broken-');
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist/cli'), { recursive: true });
  writeFileSync(join(root, 'dist/cli/main.js'), '');
  const bin = join(root, 'bin/pkgguard.js');
  writeFileSync(bin, script);
  return bin;
}

describe('npm run bench', () => {
  it('times the selected rows, two runs each, and writes the raw numbers', () => {
    const result = runBench(['--only', 'npm-large/baseline', '--only', 'npm-large/json-parse']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('npm-large: node -e 0 ...\nnpm-large: JSON.parse ...\n');
    const document = result.json();
    expect(document.runs).toBe(2);
    expect(document.skipped).toEqual([]);
    expect(document.lockfiles).toEqual([
      { name: 'npm-large', dir: 'fixtures/bench/npm-large', format: 'npm', formatLabel: 'npm lockfile v3', lockfileVersion: 3, entries: NPM_LARGE_ENTRIES },
    ]);
    expect(document.rows.map((row) => [row.tool, row.status, row.exitCodes, row.samplesMs?.length])).toEqual([
      ['baseline', 'ok', [0, 0], 2],
      ['json-parse', 'ok', [0, 0], 2],
    ]);
    // CPU time next to wall clock where /proc reports it.
    const linux = process.platform === 'linux';
    expect(document.rows.map((row) => row.cpuSamplesMs?.length)).toEqual(linux ? [2, 2] : [undefined, undefined]);
    expect(result.stdout).toContain(`npm-large: npm lockfile v3, ${NPM_LARGE_ENTRIES.toLocaleString('en-US')} entries (fixtures/bench/npm-large)\n  tool        median ms  p90 ms  cpu ms  exit  note\n  node -e 0 `);
  });

  it('reports pkgguard as not built when its compiled CLI is missing, and times nothing for it', () => {
    const result = runBench(['--only', 'npm-large/pkgguard', '--pkgguard', '/nonexistent/bin/pkgguard.js']);
    expect(result.status).toBe(0);
    const message = 'pkgguard not built: /nonexistent/bin/pkgguard.js not found';
    expect(result.stdout).toContain(`  pkgguard audit: ${message}\n  pkgguard ls --json: ${message}\n`);
    expect(result.json().rows.map((row) => [row.tool, row.status, row.message])).toEqual([
      ['pkgguard-audit', 'unavailable', message],
      ['pkgguard-ls', 'unavailable', message],
    ]);
  });

  it('reports pkgguard as not built when its bin exists but dist/cli/main.js does not', () => {
    const bin = brokenPkgguard();
    const compiledMain = join(dirname(dirname(bin)), 'dist/cli/main.js');
    rmSync(compiledMain);
    const result = runBench(['--only', 'npm-large/pkgguard-ls', '--pkgguard', bin]);
    expect(result.stdout).toContain(`  pkgguard ls --json: pkgguard not built: ${compiledMain} missing (run npm run build)\n`);
  });

  it('reports a pkgguard that exits with an error code as failed, with its first stderr line', () => {
    const result = runBench(['--only', 'npm-large/pkgguard-audit', '--pkgguard', brokenPkgguard()]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('  pkgguard audit: pkgguard failed: warm-up exit 70: error: lockfile exploded\n');
  });

  it("runs pkgguard with the fixture registry as npm's default, or with the machine's configuration under --registry-as-is", () => {
    // The stand-in fails on purpose, so its one stderr line (the registry it saw) lands in the report.
    const bin = brokenPkgguard("process.stderr.write(`registry=${process.env.npm_config_registry ?? 'unset'}\\n`); process.exitCode = 70;\n");
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_registry'));
    const fixture = runBench(['--only', 'npm-large/pkgguard-audit', '--pkgguard', bin], env);
    expect(fixture.stdout).toContain('  pkgguard audit: pkgguard failed: warm-up exit 70: registry=https://registry.npm.example/\n');
    expect(fixture.stdout).toContain('pkgguard rows: npm_config_registry=https://registry.npm.example/, the registry the bench lockfiles name');
    const asIs = runBench(['--only', 'npm-large/pkgguard-audit', '--pkgguard', bin, '--registry-as-is'], env);
    expect(asIs.stdout).toContain('  pkgguard audit: pkgguard failed: warm-up exit 70: registry=unset\n');
    expect(asIs.stdout).toContain("pkgguard rows: this machine's npm configuration as-is (--registry-as-is).");
  });

  it('generates bun-large from the committed fixture and times its reference parse, which reads every entry', () => {
    const result = runBench(['--only', 'bun-large/jsonc']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('generating bun-large ...\nbun-large: JSONC (strip commas, JSON.parse) ...\n');
    const document = result.json();
    expect(document.lockfiles).toEqual([
      {
        name: 'bun-large',
        dir: 'node_modules/.cache/pkgguard-bench/bun-large',
        format: 'bun',
        formatLabel: 'bun.lock v2',
        lockfileVersion: 2,
        entries: BUN_LARGE_ENTRIES,
      },
    ]);
    expect(document.rows.map((row) => [row.tool, row.status, row.reference, row.note])).toEqual([
      ['jsonc', 'ok', true, `parsed ${BUN_LARGE_ENTRIES} keys`],
    ]);
  });

  it('runs a tool only on the formats it reads', () => {
    const result = runBench(['--only', 'npm-large/jsonc']);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('no lockfile/tool matches --only npm-large/jsonc');
  });

  it('reports a process that outlives --timeout as timed out', () => {
    const root = scratchDir('pkgguard-slow-');
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'dist/cli'), { recursive: true });
    writeFileSync(join(root, 'dist/cli/main.js'), '');
    const bin = join(root, 'bin/pkgguard.js');
    writeFileSync(bin, 'setTimeout(() => {}, 5000);\n');
    const result = runBench(['--only', 'npm-large/pkgguard-ls', '--pkgguard', bin, '--timeout', '1']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('  pkgguard ls --json: pkgguard failed: warm-up timed out after 1 s (--timeout)\n');
  });

  it('exits 2 when --only matches no row', () => {
    const result = runBench(['--only', 'no-such-tool']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('no lockfile/tool matches --only no-such-tool');
  });

  it('exits 2 with the usage on a bad option', () => {
    const result = runBench(['--runs', 'many']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').slice(0, 2)).toEqual([
      '--runs must be a positive integer, got "many"',
      'usage: node test/bench/run.js [--runs N] [--only SUBSTRING]... [--json FILE] [--pkgguard BIN] [--timeout SECONDS] [--registry-as-is]',
    ]);
  });
});
