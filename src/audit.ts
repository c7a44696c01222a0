/**
 * The library's main entry: load the project's lockfiles, run the selected checks, apply the
 * user's policy and return one AuditResult. The CLI is a thin adapter around this.
 */
import path from 'node:path';
import { builtInChecks } from './checks/index.ts';
import type { Logger } from './core/check.ts';
import { runChecks, type RunChecksOptions } from './core/engine.ts';
import type { DependencyGraph } from './core/graph.ts';
import { applyBaseline, applyIgnores, isoDay, summarize } from './core/policy.ts';
import type { AuditResult } from './core/reporter.ts';
import { selectChecks } from './core/select.ts';
import type { FailOn } from './core/severity.ts';
import { loadConfig, type ResolvedConfig } from './config/load.ts';
import { loadLockfiles } from './lockfiles/index.ts';
import { repoPrefixOf, toolVersion } from './project-info.ts';
import { type AuditEnvironment, type AuditServicesOptions, createAuditServices } from './services.ts';

export const DEFAULT_FAIL_ON: FailOn = 'low';

export interface AuditOptions {
  /** Project directory; default the current directory. */
  readonly dir?: string | undefined;
  /** Audit this lockfile instead of detecting one. */
  readonly lockfile?: string | undefined;
  /** Also audit the lockfiles below `dir` (monorepos), skipping node_modules and .gitignore'd paths. */
  readonly recursive?: boolean | undefined;
  /** Explicit configuration file; default: pkgguard.config.json or package.json#pkgguard in `dir`. */
  readonly configFile?: string | undefined;
  /** Already-resolved configuration (skips loading). */
  readonly config?: ResolvedConfig | undefined;
  /** Overrides the configured `failOn`. */
  readonly failOn?: FailOn | undefined;
  readonly offline?: boolean | undefined;
  /** Omit findings on dev-only packages. */
  readonly production?: boolean | undefined;
  /** Run only these checks. */
  readonly checks?: readonly string[] | undefined;
  readonly skip?: readonly string[] | undefined;
  /** Turn on checks that are off by default (`--verify-tarballs`: tarball-integrity). */
  readonly enable?: readonly string[] | undefined;
  /** Fingerprints of accepted findings (an earlier JSON report): only new findings are reported. */
  readonly baseline?: ReadonlySet<string> | undefined;
  /** "Today" for ignore expiry; default now. */
  readonly now?: Date | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly log?: Logger | undefined;
  /** Told before each check runs on each lockfile (the CLI's progress line). */
  readonly onCheckStart?: RunChecksOptions['onCheckStart'];
  /** The process's environment, home and platform (npm configuration, cache dir); the CLI passes its own. */
  readonly environment?: AuditEnvironment | undefined;
  /** Overrides the configured default registry (`--registry`). */
  readonly registry?: string | undefined;
  /** pkgguard's cache directory; default from the environment. */
  readonly cacheDir?: string | undefined;
  /** Registry client tuning (tests shorten retries and timeouts). */
  readonly registryClient?: AuditServicesOptions['client'];
  /** `--advisory-db`: offline OSV database (directory or all.zip); overrides `advisories.db`. */
  readonly advisoryDb?: string | undefined;
}

const SILENT: Logger = { debug() {}, warn() {} };

export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
  const projectDir = path.resolve(options.dir ?? '.');
  const config = options.config ?? (await loadConfig(projectDir, options.configFile));
  const { selected, skipped } = await selectChecks(builtInChecks, {
    only: options.checks,
    skip: options.skip,
    enable: options.enable,
    offline: options.offline ?? false,
    settings: config.checks,
    configSource: config.source,
  });
  const log = options.log ?? SILENT;
  const graphs = await loadLockfiles(projectDir, { lockfile: options.lockfile, recursive: options.recursive, log });
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? new Date();
  warnAboutSiblingLockfiles(graphs, log);
  const services = await createAuditServices({
    projectDir,
    environment: options.environment,
    registry: options.registry,
    cacheDir: options.cacheDir,
    offline: options.offline ?? false,
    privacy: config.privacy,
    settings: withAdvisoryDb(config.settings, options.advisoryDb),
    now,
    signal,
    log,
    client: options.registryClient,
  });
  const run = await runChecks(graphs, selected, {
    offline: options.offline ?? false,
    signal,
    log,
    includeNode: options.production ? (node) => !node.flags.dev : undefined,
    servicesFor: (graph) => services.servicesFor(graph),
    onCheckStart: options.onCheckStart,
  });
  const failOn = options.failOn ?? config.failOn ?? DEFAULT_FAIL_ON;
  const current = applyBaseline(run.findings, options.baseline ?? new Set());
  const policy = applyIgnores(current.findings, config.ignore, isoDay(now));
  return {
    tool: { name: 'pkgguard', version: toolVersion() },
    projectDir,
    repoPrefix: repoPrefixOf(projectDir),
    lockfiles: graphs.map(summaryOf),
    checks: selected.map((entry) => entry.check.meta),
    findings: policy.findings,
    incomplete: run.incomplete,
    skipped: [...skipped, ...run.skipped],
    notes: run.notes,
    ignores: policy.notices,
    summary: summarize(policy.findings, failOn, policy.suppressed, run.incomplete, current.baselined),
    graphs,
  };
}

/** The command line's database wins over the configured one; the rest of `advisories` stays. */
function withAdvisoryDb(settings: Readonly<Record<string, unknown>>, advisoryDb: string | undefined): Readonly<Record<string, unknown>> {
  if (advisoryDb === undefined) return settings;
  const configured = settings['advisories'];
  const advisories = typeof configured === 'object' && configured !== null ? configured : {};
  return { ...settings, advisories: { ...advisories, db: advisoryDb } };
}

function summaryOf(graph: DependencyGraph): AuditResult['lockfiles'][number] {
  const { path: file, format, formatVersion } = graph.lockfile;
  return { path: file, format, formatVersion, packageCount: graph.packages.length };
}

/**
 * Several package managers' lockfiles in one directory usually means one of them is stale; all
 * are audited, and the user is told so (and how to pick one).
 */
function warnAboutSiblingLockfiles(graphs: readonly DependencyGraph[], log: Logger): void {
  const byDirectory = new Map<string, string[]>();
  for (const graph of graphs) {
    const dir = path.posix.dirname(graph.lockfile.path);
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), path.posix.basename(graph.lockfile.path)]);
  }
  for (const [dir, names] of byDirectory) {
    if (names.length < 2) continue;
    const where = dir === '.' ? 'the project directory' : dir;
    log.warn(`${where} has ${names.length} lockfiles (${names.join(', ')}): auditing each; pick one with --lockfile <path>`);
  }
}
