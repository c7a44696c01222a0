/**
 * Runs network checks through the real `audit()` against a local registry, in a sandbox: the
 * project is copied into a throwaway tree with its own home directory (so the developer's
 * ~/.npmrc never applies), its own pkgguard cache dir, no environment variables, and client
 * retries shortened so failure tests take milliseconds.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { audit } from '../../src/audit.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { createConfigSandbox, type ConfigSandbox } from '../registry/config-sandbox.ts';
import { REPO_ROOT } from './check-tester.ts';

export interface RegistryAuditSandbox {
  readonly sandbox: ConfigSandbox;
  readonly cacheDir: string;
  run(options: RegistryAuditRun): Promise<AuditResult>;
  remove(): Promise<void>;
}

export interface RegistryAuditRun {
  readonly registry: string;
  readonly checks: readonly string[];
  readonly offline?: boolean | undefined;
  readonly now?: Date | undefined;
  readonly timeoutMs?: number | undefined;
}

/** Copies `fixtures/projects/<project>` (or `fixtures/lockfiles/<format>/<scenario>`) into a new sandbox. */
export async function registryAuditSandbox(fixture: string, config?: unknown): Promise<RegistryAuditSandbox> {
  const sandbox = await createConfigSandbox();
  const source = path.join(REPO_ROOT, 'fixtures', fixture);
  await cp(source, sandbox.project, { recursive: true });
  if (config !== undefined) await writeFile(path.join(sandbox.project, 'pkgguard.config.json'), JSON.stringify(config));
  const cacheDir = path.join(sandbox.root, 'cache');
  await mkdir(cacheDir, { recursive: true });
  return {
    sandbox,
    cacheDir,
    run: (options) =>
      audit({
        dir: sandbox.project,
        checks: options.checks,
        registry: options.registry,
        cacheDir,
        offline: options.offline,
        now: options.now,
        failOn: 'low',
        environment: { env: {}, homedir: sandbox.home, platform: 'linux', execPath: path.join(sandbox.prefix, 'bin', 'node') },
        registryClient: { retries: 2, retryDelayMs: 1, timeoutMs: options.timeoutMs ?? 5_000 },
      }),
    remove: () => rm(sandbox.root, { recursive: true, force: true }),
  };
}

/** Findings as `ruleId name@version line` strings plus severities: compact and exact. */
export function findingLines(result: AuditResult): string[] {
  return result.findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.package.name}@${finding.package.version} line ${finding.location.line}`);
}
