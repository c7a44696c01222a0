/**
 * Helpers for the end-to-end tests: they spawn the real, built CLI (`node bin/pkgguard.js`) on
 * the projects in fixtures/projects/ and look only at what a user or a CI job sees: exit code,
 * stdout, stderr and files on disk.
 *
 * The CLI runs from dist/, so it must be built first: `npm test` does that through `pretest`;
 * before a plain `npx vitest run test/e2e`, run `npm run build`. `assertBuilt()` fails the suite
 * with that instruction instead of letting every test fail with a confusing spawn error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Inventory } from '../../src/lockfiles/inventory.ts';
import type { JsonReport } from '../../src/reporters/json.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO_ROOT, 'bin', 'pkgguard.js');
export const PROJECTS = path.join(REPO_ROOT, 'fixtures', 'projects');
export const PRELOADS = path.join(REPO_ROOT, 'test', 'e2e', 'preload');

/** Generous: the CLI starts in well under a second here, but shared CI runners can be much slower. */
const DEFAULT_TIMEOUT_MS = 20_000;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Working directory; default the repository root. */
  readonly cwd?: string | undefined;
  /** Added to the environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Modules loaded with `node --import` before the CLI (file names under test/e2e/preload/). */
  readonly preload?: readonly string[] | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * Variables that change how the CLI runs or what it prints. They are removed so a developer's
 * shell (or a CI runner's FORCE_COLOR) cannot change test results; a test that wants one sets it
 * through `env`.
 */
const NEUTRALISED_ENV = ['NO_COLOR', 'FORCE_COLOR', 'NODE_OPTIONS', 'NODE_DISABLE_COLORS', 'TERM'];

/**
 * The npm configuration every spawned CLI sees unless a test says otherwise: the fixtures'
 * registry (`registry.npm.example`, which the committed lockfiles name) as the default registry,
 * no global npmrc, and a cache of its own. Without this, the developer's ~/.npmrc and the
 * `npm_config_*` variables `npm test` exports would decide which hosts the checks trust, and the
 * network checks could reach for the real registry. Tests that need a registry start one on
 * 127.0.0.1 and pass it with `--registry` or `env`.
 */
function hermeticNpmEnv(): Record<string, string> {
  hermeticDir ??= mkdtempSync(path.join(os.tmpdir(), 'pkgguard-e2e-env-'));
  const userconfig = path.join(hermeticDir, 'npmrc');
  if (!existsSync(userconfig)) writeFileSync(userconfig, 'registry=https://registry.npm.example/\n');
  const cache = path.join(hermeticDir, 'cache');
  mkdirSync(cache, { recursive: true });
  return {
    npm_config_userconfig: userconfig,
    npm_config_globalconfig: path.join(hermeticDir, 'no-global-npmrc'),
    PKGGUARD_CACHE_DIR: cache,
    // Tests never touch the internet: anything not on this machine goes to a proxy port nobody
    // listens on and fails at once, while the tests' own 127.0.0.1 servers are reached directly.
    npm_config_proxy: 'http://127.0.0.1:9/',
    npm_config_https_proxy: 'http://127.0.0.1:9/',
    npm_config_noproxy: '127.0.0.1,localhost',
  };
}
let hermeticDir: string | undefined;

export function childEnv(extra: RunOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of NEUTRALISED_ENV) delete env[name];
  for (const name of Object.keys(env)) if (/^npm_config_/i.test(name)) delete env[name];
  Object.assign(env, hermeticNpmEnv());
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `node [--import preload]... bin/pkgguard.js ...args`; rejects only if the process hangs or cannot start. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const imports = (options.preload ?? []).flatMap((name) => ['--import', pathToFileURL(path.join(PRELOADS, name)).href]);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...imports, BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === null) {
        reject(new Error(`pkgguard ${args.join(' ')} was killed by ${signal} (timeout ${timeoutMs} ms)\nstderr:\n${stderr}`));
      } else {
        resolve({ code, stdout, stderr });
      }
    });
  });
}

/**
 * Runs the CLI with its stdout closed before anything is written (`pkgguard audit | head` once
 * head has exited): what it prints on stderr and the exit code it ends with.
 */
export function runCliWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: childEnv(undefined), stdio: ['ignore', 'pipe', 'pipe'], timeout: DEFAULT_TIMEOUT_MS });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Absolute path of a fixture project. */
export function project(name: string): string {
  return path.join(PROJECTS, name);
}

/** Fails fast, with the fix, when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'bundle', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before `npx vitest run test/e2e` (`npm test` builds first)');
  }
}

/** A fresh temporary directory; remove it with `removeTempDir`. */
export function makeTempDir(prefix = 'pkgguard-e2e-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Scratch space for the tests of the calling file or describe block: a temporary directory made
 * before they run and removed after. Call the returned function for its path (set once they run).
 */
export function useScratchDir(): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeTempDir(dir));
  return () => dir;
}

/** Copies a fixture project into `dir/subpath` (created) and returns the copy's path. */
export async function copyProject(name: string, dir: string, subpath = name): Promise<string> {
  const target = path.join(dir, subpath);
  await cp(project(name), target, { recursive: true });
  return target;
}

/** `git init` in `dir`, quietly; the SARIF tests need a real repository root above a project. */
export function gitInit(dir: string): void {
  const result = spawnSync('git', ['init', '--quiet', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git init failed: ${result.stderr}`);
}

/** Every file and directory below `dir`, relative, sorted: a before/after snapshot of a tree. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => entry.split(path.sep).join('/')).sort();
}

/** Lines of a stack trace ("    at fn (file:1:2)"); error output must have none without --debug. */
export const STACK_LINE = /^ {4}at /m;

/** Any ANSI escape sequence (CSI or OSC). */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
export const ANSI = /\u001b[[\]]/;

/** `{ schemaVersion, error }`: what --format json prints on stdout instead of a report. */
export interface JsonErrorDocument {
  readonly schemaVersion: number;
  readonly error: { readonly code: string; readonly exitCode: number; readonly message: string; readonly hints: readonly string[] };
}

/** The part of SARIF 2.1.0 the tests read. */
export interface SarifLog {
  readonly version: string;
  readonly runs: readonly {
    readonly tool: { readonly driver: { readonly rules: readonly { readonly id: string; readonly properties: Record<string, unknown> }[] } };
    readonly invocations: readonly {
      readonly executionSuccessful: boolean;
      readonly toolExecutionNotifications?: readonly {
        readonly level: string;
        readonly message: { readonly text: string };
        readonly properties?: Record<string, unknown>;
      }[];
    }[];
    readonly results: readonly {
      readonly ruleId: string;
      readonly ruleIndex: number;
      readonly level: string;
      readonly locations: readonly {
        readonly physicalLocation: {
          readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
          readonly region: Record<string, number>;
        };
      }[];
    }[];
  }[];
}

/*
 * Typed views of stdout. JSON.parse itself is the check that stdout holds exactly one JSON
 * document: any text before or after it makes the parse throw.
 */
export const parseReport = (text: string): JsonReport => JSON.parse(text) as JsonReport;
export const parseError = (text: string): JsonErrorDocument => JSON.parse(text) as JsonErrorDocument;
export const parseInventory = (text: string): Inventory => JSON.parse(text) as Inventory;
export const parseSarif = (text: string): SarifLog => JSON.parse(text) as SarifLog;

/**
 * What every `audit --offline` text report lists between the findings and the lockfile summary
 * when no advisory database is configured and pkgguard's registry cache is empty (the e2e default).
 */
export const OFFLINE_SKIPPED_LINES: readonly string[] = [
  'Skipped checks',
  '  provenance: needs the network; skipped by --offline',
  '  advisory, malicious: offline and no advisory database; run pkgguard db update or pass --advisory-db',
  "  registry-integrity, signatures: offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)",
  '',
];
