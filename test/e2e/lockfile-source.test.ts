/**
 * lockfile-source through the built CLI, with the user's configuration sandboxed: a throwaway
 * HOME, user and global npmrc paths that do not exist, and a PATH holding only what a test puts
 * there, so neither the developer's ~/.npmrc nor an installed yarn decides the result.
 *
 * `lockfile-source` (fixtures/projects/README.md): registries configured in the project's .npmrc
 * (a default one and a scoped one) are allowed; a foreign host and a tarball path of another
 * package are reported. `lockfile-source-yarn`: a yarn 1 lockfile naming yarn's own registry host,
 * which is allowed exactly when a yarn 1 is installed to read it from.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { assertBuilt, makeTempDir, parseReport, parseSarif, project, removeTempDir, runCli } from './helpers.ts';

let sandbox: string;
let sandboxEnv: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  sandbox = await makeTempDir('pkgguard-e2e-source-');
  await mkdir(path.join(sandbox, 'home'));
  await mkdir(path.join(sandbox, 'empty-bin'));
  sandboxEnv = {
    HOME: path.join(sandbox, 'home'),
    USERPROFILE: path.join(sandbox, 'home'),
    npm_config_userconfig: path.join(sandbox, 'no-user-npmrc'),
    npm_config_globalconfig: path.join(sandbox, 'no-global-npmrc'),
    XDG_CACHE_HOME: path.join(sandbox, 'cache'),
    PKGGUARD_CACHE_DIR: path.join(sandbox, 'pkgguard-cache'),
    PATH: path.join(sandbox, 'empty-bin'),
  };
});
afterAll(async () => {
  await removeTempDir(sandbox);
});

/** A yarn 1 installed the way `npm install -g yarn@1` lays it out, its bundle's constant written as yarn 1.22 writes it. */
async function installYarnClassic(): Promise<string> {
  const pkg = path.join(sandbox, 'yarn-prefix', 'lib', 'node_modules', 'yarn');
  await mkdir(path.join(pkg, 'bin'), { recursive: true });
  await mkdir(path.join(pkg, 'lib'), { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), '{ "name": "yarn", "version": "1.22.22" }\n');
  await writeFile(path.join(pkg, 'bin', 'yarn.js'), '#!/usr/bin/env node\n');
  await writeFile(path.join(pkg, 'lib', 'cli.js'), "var YARN_REGISTRY = exports.YARN_REGISTRY = 'https://registry.yarn.example';\n");
  const bin = path.join(sandbox, 'yarn-prefix', 'bin');
  await mkdir(bin, { recursive: true });
  await symlink('../lib/node_modules/yarn/bin/yarn.js', path.join(bin, 'yarn'));
  return bin;
}

const compact = (report: ReturnType<typeof parseReport>) =>
  report.findings.map(({ ruleId, severity, package: pkg, location, message }) => ({
    ruleId,
    severity,
    package: `${pkg.name}@${pkg.version}`,
    line: location.line,
    message,
  }));

describe('pkgguard audit: lockfile-source', () => {
  it('allows the registries of the project .npmrc and reports the foreign host and the injected tarball path', async () => {
    const run = await runCli(['audit', project('lockfile-source'), '--offline', '--checks', 'lockfile-source', '--format', 'json'], { env: sandboxEnv });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(compact(parseReport(run.stdout))).toEqual([
      {
        ruleId: 'lockfile-source/unknown-host',
        severity: 'high',
        package: 'once@1.4.0',
        line: 52,
        message:
          `once@1.4.0 is downloaded from npm.attacker.example, which is not a configured registry or allowed host; expected one of: npm.corp.example, ${new URL(await npmDefaultRegistry()).host}, npm.types.example (entries from this host: 1)`,
      },
      {
        ruleId: 'lockfile-source/name-mismatch',
        severity: 'critical',
        package: 'wrappy@1.0.2',
        line: 61,
        message:
          'wrappy@1.0.2 is resolved to /evil-wrappy/-/evil-wrappy-1.0.2.tgz, the tarball of evil-wrappy; expected /wrappy/-/wrappy-1.0.2.tgz',
      },
    ]);
  });

  it('puts the finding on the exact lockfile line in SARIF', async () => {
    const run = await runCli(['audit', project('lockfile-source'), '--offline', '--checks', 'lockfile-source', '--format', 'sarif'], { env: sandboxEnv });
    expect(run.code).toBe(1);
    const [sarifRun] = parseSarif(run.stdout).runs;
    const results = sarifRun!.results.map((result) => ({
      ruleId: result.ruleId,
      file: result.locations[0]!.physicalLocation.artifactLocation.uri,
      line: result.locations[0]!.physicalLocation.region['startLine'],
    }));
    expect(results).toEqual([
      { ruleId: 'lockfile-source/unknown-host', file: 'fixtures/projects/lockfile-source/package-lock.json', line: 52 },
      { ruleId: 'lockfile-source/name-mismatch', file: 'fixtures/projects/lockfile-source/package-lock.json', line: 61 },
    ]);
  });

  it('lets allowedHosts accept the foreign host, never the injected tarball path', async () => {
    const dir = await makeTempDir();
    try {
      const config = path.join(dir, 'pkgguard.config.json');
      await writeFile(config, JSON.stringify({ checks: { 'lockfile-source': ['high', { allowedHosts: ['npm.attacker.example'] }] } }));
      const run = await runCli(['audit', project('lockfile-source'), '--offline', '--checks', 'lockfile-source', '--config', config, '--format', 'json'], {
        env: sandboxEnv,
      });
      expect(run.code).toBe(1);
      expect(compact(parseReport(run.stdout)).map((finding) => finding.ruleId)).toEqual(['lockfile-source/name-mismatch']);
    } finally {
      await removeTempDir(dir);
    }
  });

  it("allows yarn's own registry host when yarn 1 is installed", async () => {
    const bin = await installYarnClassic();
    const run = await runCli(['audit', project('lockfile-source-yarn'), '--offline', '--checks', 'lockfile-source'], {
      env: { ...sandboxEnv, PATH: bin },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  // The fixture's yarn host is rewritten (registry.yarn.example), so it stays unknown; yarn 1's real
  // default now comes from @yarnpkg/lockfile, a dependency, instead of an "unresolved" note.
  it("without yarn 1 installed, knows yarn 1's default from @yarnpkg/lockfile: the fixture's host is reported once, with no note", async () => {
    const run = await runCli(['audit', project('lockfile-source-yarn'), '--offline', '--checks', 'lockfile-source', '--format', 'json'], { env: sandboxEnv });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(compact(report).map(({ ruleId, package: pkg, line }) => `${ruleId} ${pkg} ${line}`)).toEqual([
      'lockfile-source/unknown-host debug@2.6.9 5',
    ]);
    expect(report.findings[0]!.data).toMatchObject({ host: 'registry.yarn.example', count: 5 });
    // npm's default and yarn 1's, both known without any yarn installed.
    expect(String(report.findings[0]!.data['expected']).split(', ')).toHaveLength(2);
    expect(report.notes).toEqual([]);
  });
});
