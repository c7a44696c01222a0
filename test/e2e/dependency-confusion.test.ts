/**
 * The dependency-confusion check through the built CLI, on copies of the projects in
 * fixtures/projects/dependency-confusion with their hosts pointed at a "public" and a "private"
 * registry on 127.0.0.1. HOME, the cache, npm's global config and every `npm_config_*` variable
 * are the test's own, so neither this machine's npm configuration nor `npm test`'s reaches the CLI.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonFinding } from '../../src/reporters/json.ts';
import { type Sandbox, sandboxOf, useRegistries } from '../checks/dependency-confusion/harness.ts';
import { closedPort } from '../registry/fake-registry.ts';
import { assertBuilt, type CliResult, parseReport, parseSarif, runCli, STACK_LINE } from './helpers.ts';

beforeAll(assertBuilt);

const registries = useRegistries();
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.remove();
  sandbox = undefined;
});

/** Runs `pkgguard audit <copy of scenario> --checks dependency-confusion ...args` in the sandbox's own environment. */
async function audit(scenario: string, args: readonly string[] = [], config?: unknown): Promise<CliResult> {
  sandbox = await sandboxOf(scenario, registries);
  if (config !== undefined) await sandbox.write('pkgguard.config.json', JSON.stringify(config));
  // runCli already drops the runner's npm_config_* variables; the sandbox's home is the user's.
  return runCli(['audit', sandbox.project, '--checks', 'dependency-confusion', ...args], {
    env: {
      HOME: path.join(sandbox.root, 'home'),
      npm_config_userconfig: path.join(sandbox.root, 'home', '.npmrc'),
      PKGGUARD_CACHE_DIR: path.join(sandbox.root, 'cache'),
      npm_config_globalconfig: path.join(sandbox.root, 'no-global-npmrc'),
    },
  });
}

function essentials(finding: JsonFinding) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    package: `${finding.package.name}@${finding.package.version}`,
    at: `${finding.location.file}:${finding.location.line}:${finding.location.column}`,
  };
}

const publicPaths = () => registries.public.requests.map((request) => request.url).sort();

describe('dependency-confusion end to end', () => {
  it('reports private-scope packages downloaded from the public registry as critical, from the lockfile alone', async () => {
    // No options: the rules' own severities apply.
    const run = await audit('wrong-registry', ['--format', 'json'], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(parseReport(run.stdout).findings.map(essentials)).toEqual([
      { ruleId: 'dependency-confusion/resolved-from-wrong-registry', severity: 'critical', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { ruleId: 'dependency-confusion/resolved-from-wrong-registry', severity: 'critical', package: '@corp/ui@2.1.0', at: 'package-lock.json:20:5' },
    ]);
    expect(registries.public.requests).toEqual([]);
    expect(registries.private.requests).toEqual([]);
  });

  it('asks the public registry about internal names only, and reports the 99.0.0 trick', async () => {
    const run = await audit('internal-names', ['--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    // The fixture's configuration sets options, and with them the severity "high" for every rule.
    expect(report.findings.map(essentials)).toEqual([
      { ruleId: 'dependency-confusion/internal-name-public', severity: 'high', package: 'billing-core@1.4.0', at: 'package-lock.json:17:5' },
      { ruleId: 'dependency-confusion/internal-name-unclaimed', severity: 'high', package: 'corp-logger@3.2.0', at: 'package-lock.json:22:5' },
      { ruleId: 'dependency-confusion/internal-name-public', severity: 'high', package: 'legacy-auth@1.0.0', at: 'package-lock.json:27:5' },
    ]);
    expect(report.findings[0]?.data).toMatchObject({ publicVersion: '99.0.0', lockedVersion: '1.4.0' });
    expect(publicPaths()).toEqual(['/billing-core', '/corp-logger', '/legacy-auth']);
    expect(registries.private.requests).toEqual([]);
  });

  it('runs the lockfile part under --offline and notes the names it did not look up', async () => {
    const run = await audit('internal-names', ['--offline', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.notes).toEqual([
      { checkId: 'dependency-confusion', lockfile: 'package-lock.json', message: `offline: 3 name(s) were not looked up on the public registry ${registries.public.url}` },
    ]);
    expect(registries.public.requests).toEqual([]);
  });

  it('points SARIF results for workspace names at the package.json "name" line', async () => {
    const run = await audit('workspaces', ['--format', 'sarif']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const [sarifRun] = parseSarif(run.stdout).runs;
    expect(
      sarifRun?.results.map((result) => {
        const location = result.locations[0]?.physicalLocation;
        return `${result.ruleId} ${location?.artifactLocation.uri}:${location?.region['startLine']}`;
      }),
    ).toEqual([
      'dependency-confusion/workspace-name-unclaimed packages/shared-config/package.json:2',
      'dependency-confusion/workspace-name-foreign packages/string-kit/package.json:2',
    ]);
    expect(publicPaths()).toEqual(['/shared-config', '/string-kit', '/web-utils']);
  });

  it('exits 4 with one line per problem, no stack, when the public registry cannot be reached, and keeps the lockfile findings', async () => {
    const port = await closedPort();
    const run = await audit('unmapped-scope', ['--format', 'json'], {
      privateScopes: ['@corp'],
      internalPackages: [],
      checks: { 'dependency-confusion': ['high', { publicRegistry: `http://127.0.0.1:${port}/`, checkableScopes: ['@corp'] }] },
    });
    expect(run.code).toBe(4);
    expect(run.stderr).not.toMatch(STACK_LINE);
    const report = parseReport(run.stdout);
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(['dependency-confusion/unmapped-private-scope']);
    expect(report.incomplete.map((entry) => [entry.checkId, entry.kind])).toEqual([['dependency-confusion', 'source-unavailable']]);
  });

  it('never sends a private-scope name to the public registry unless the scope is checkable', async () => {
    const run = await audit('unmapped-scope', ['--format', 'json'], {
      privateScopes: ['@corp'],
      checks: { 'dependency-confusion': ['high', { publicRegistry: 'https://registry.npm.example/' }] },
    });
    expect(run.code).toBe(1);
    expect(parseReport(run.stdout).findings.map((finding) => finding.ruleId)).toEqual(['dependency-confusion/unmapped-private-scope']);
    expect(registries.public.requests).toEqual([]);
  });
});

