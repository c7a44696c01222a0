import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import lockfileSource from '../../src/checks/lockfile-source.ts';
import type { Logger } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { selectChecks } from '../../src/core/select.ts';
import { withoutServices } from '../../src/core/services.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import { expectFindings, LOCKFILE_FIXTURES, loadFixtureGraph } from '../helpers/check-tester.ts';

const silent: Logger = { debug() {}, warn() {} };
const NPM_EXAMPLE = 'https://registry.npm.example/';

function configOf(partial: Partial<RegistryConfig> = {}): RegistryConfig {
  return { source: 'npm', defaultRegistry: NPM_EXAMPLE, scopes: {}, fetchOptions: {}, files: [], warnings: [], ...partial };
}

/** Like loadFixtureGraph, also for pnpm's `<scenario>/<manager>` folders. */
async function loadGraph(fixture: string): Promise<DependencyGraph> {
  const [format, ...rest] = fixture.split('/');
  if (rest.length === 1) return loadFixtureGraph(fixture);
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === format)!;
  const absolutePath = path.join(LOCKFILE_FIXTURES, fixture, parser.filenames[0]!);
  return parser.parse({ path: parser.filenames[0]!, absolutePath, text: await readFile(absolutePath, 'utf8') });
}

interface Run {
  readonly config?: RegistryConfig | undefined;
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  /** Relative to the fixture folder; default the fixture folder itself. */
  readonly projectDir?: string | undefined;
}

/** Runs the check on `fixtures/lockfiles/<fixture>` with the lockfile's folder as project and lockfile dir. */
async function audit(fixture: string, run: Run = {}) {
  const graph = await loadGraph(fixture);
  const lockfileDir = path.join(LOCKFILE_FIXTURES, fixture);
  let configLoads = 0;
  const settings = run.options === undefined ? {} : { 'lockfile-source': { options: run.options } };
  const { selected } = await selectChecks([lockfileSource], { offline: true, settings });
  const result = await runChecks([graph], selected, {
    offline: true,
    signal: new AbortController().signal,
    log: silent,
    servicesFor: () => ({
      ...withoutServices(),
      projectDir: path.resolve(lockfileDir, run.projectDir ?? '.'),
      lockfileDir,
      registryConfig: () => {
        configLoads += 1;
        return Promise.resolve(run.config ?? configOf());
      },
    }),
  });
  const [incomplete] = result.incomplete;
  if (incomplete) throw new Error(`check did not complete: ${incomplete.message}\n${incomplete.stack ?? ''}`);
  for (const finding of result.findings) expect(finding.message, finding.ruleId).not.toMatch(/\{\{|\}\}/);
  return { findings: result.findings, notes: result.notes.map((note) => note.message), configLoads };
}

describe('lockfile-source: clean lockfiles of every format', () => {
  const clean: [string, Run][] = [
    ['npm/source-clean', {}],
    ['npm/v1', {}],
    ['npm/v2', {}],
    ['npm/alias', {}],
    ['npm/workspaces', {}],
    ['npm/git', {}],
    ['npm/bundled', {}],
    ['yarn-classic/basic', {}],
    ['yarn-classic/alias', {}],
    ['yarn-classic/workspaces', {}],
    ['yarn-classic/git', {}],
    ['yarn-classic/file-link', {}],
    ['yarn-classic/sha1-only', {}],
    ['yarn-berry/basic', {}],
    ['yarn-berry/patch', {}],
    ['yarn-berry/file-link', {}],
    ['yarn-berry/tarball', {}],
    ['pnpm/basic/pnpm9', {}],
    ['pnpm/git/pnpm9', { options: { allowedHosts: ['git.example'] } }],
    ['pnpm/tarball/pnpm9', { options: { allowedHosts: ['tarballs.example'] } }],
    ['pnpm/file-link/pnpm9', {}],
    ['bun/basic', {}],
    ['bun/alias', {}],
    ['bun/git', {}],
    ['bun/tarball', { options: { allowedHosts: ['*.example'] } }],
    ['bun/scoped-registry', { config: configOf({ scopes: { '@types': 'https://npm.corp.example/' } }) }],
  ];
  for (const [fixture, run] of clean) {
    it(fixture, async () => {
      expectFindings((await audit(fixture, run)).findings, []);
    });
  }

  it('does not load the registry configuration for a lockfile that writes no URL (pnpm, yarn Berry)', async () => {
    expect((await audit('pnpm/basic/pnpm9')).configLoads).toBe(0);
    expect((await audit('yarn-berry/basic')).configLoads).toBe(0);
    expect((await audit('npm/source-clean')).configLoads).toBe(1);
  });
});

describe('lockfile-source: lockfile injection (npm/source-tampered)', () => {
  it('reports the http download, the foreign host and both tarball paths of another release, at their lines', async () => {
    const { findings } = await audit('npm/source-tampered');
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/insecure-protocol',
        package: 'debug@2.6.9',
        line: 24,
        column: 5,
        severity: 'high',
        message:
          'debug@2.6.9 is downloaded over http: from registry.npm.example, which anyone on the network path can read and alter; expected https: (entries from this origin: 1)',
        data: { scheme: 'http:', host: 'registry.npm.example', url: 'http://registry.npm.example/debug/-/debug-2.6.9.tgz', expected: 'https:', count: 1 },
        fix: { description: 'Configure the registry with an https:// URL and regenerate these lockfile entries' },
      },
      {
        ruleId: 'lockfile-source/name-mismatch',
        package: 'ms@2.0.0',
        line: 33,
        column: 5,
        id: 'node_modules/debug/node_modules/ms',
        severity: 'critical',
        message: 'ms@2.0.0 is resolved to /ms/-/ms-2.1.3.tgz, the tarball of ms; expected /ms/-/ms-2.0.0.tgz',
        data: {
          expected: '/ms/-/ms-2.0.0.tgz',
          actual: '/ms/-/ms-2.1.3.tgz',
          actualName: 'ms',
          expectedFile: 'ms-2.0.0.tgz',
          actualFile: 'ms-2.1.3.tgz',
          url: 'https://registry.npm.example/ms/-/ms-2.1.3.tgz',
        },
      },
      {
        ruleId: 'lockfile-source/unknown-host',
        package: 'once@1.4.0',
        line: 52,
        column: 5,
        severity: 'high',
        message:
          'once@1.4.0 is downloaded from registry.evil.example, which is not a configured registry or allowed host; expected one of: registry.npm.example (entries from this host: 1)',
        data: { host: 'registry.evil.example', url: 'https://registry.evil.example/once/-/once-1.4.0.tgz', expected: 'registry.npm.example', count: 1 },
      },
      {
        ruleId: 'lockfile-source/name-mismatch',
        package: 'wrappy@1.0.2',
        line: 61,
        column: 5,
        severity: 'critical',
        data: {
          expected: '/wrappy/-/wrappy-1.0.2.tgz',
          actual: '/evil-wrappy/-/evil-wrappy-1.0.2.tgz',
          actualName: 'evil-wrappy',
          expectedFile: 'wrappy-1.0.2.tgz',
          actualFile: 'evil-wrappy-1.0.2.tgz',
          url: 'https://registry.npm.example/evil-wrappy/-/evil-wrappy-1.0.2.tgz',
        },
      },
    ]);
  });

  it('allowedHosts lets the foreign host through, but never a wrong tarball path or plain http', async () => {
    const { findings } = await audit('npm/source-tampered', { options: { allowedHosts: ['Registry.Evil.Example'] } });
    expect(findings.map((finding) => `${finding.ruleId} ${finding.location.line}`)).toEqual([
      'lockfile-source/insecure-protocol 24',
      'lockfile-source/name-mismatch 33',
      'lockfile-source/name-mismatch 61',
    ]);
  });

  it('rejects an allowedHosts entry that is a URL', async () => {
    await expect(selectChecks([lockfileSource], { offline: true, settings: { 'lockfile-source': { options: { allowedHosts: ['https://x.example/'] } } } })).rejects.toThrow(
      /allowedHosts.*host name/s,
    );
  });
});

describe('lockfile-source: hosts come from the registry configuration', () => {
  it('groups every entry of an unconfigured host into one finding at the first entry, with the count', async () => {
    const { findings } = await audit('npm/source-clean', { config: configOf({ defaultRegistry: 'https://npm.corp.example/' }) });
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/unknown-host',
        package: '@types/ms@0.7.34',
        line: 18,
        column: 5,
        data: { host: 'registry.npm.example', url: 'https://registry.npm.example/@types/ms/-/ms-0.7.34.tgz', expected: 'npm.corp.example', count: 7 },
        fix: {
          description:
            "If registry.npm.example is a registry or git host you trust, configure it as a registry or add it to lockfile-source's allowedHosts; otherwise re-resolve these packages from your registry",
        },
      },
    ]);
  });

  it('leaves a scoped package resolved outside its scope registry to dependency-confusion, when its host is allowed', async () => {
    const { findings } = await audit('npm/source-clean', { config: configOf({ scopes: { '@types': 'https://npm.types.example/' } }) });
    expectFindings(findings, []);
  });

  it('allows a scope registry for its host (bun records the scoped registry tarball URL)', async () => {
    const { findings } = await audit('bun/scoped-registry');
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/unknown-host',
        package: '@types/ms@2.1.0',
        line: 14,
        column: 5,
        data: { host: 'npm.corp.example', url: 'https://npm.corp.example/@types/ms/-/ms-2.1.0.tgz', expected: 'registry.npm.example', count: 1 },
      },
    ]);
  });

  it('reads a registry mounted below the host root (Artifactory) in its own layout', async () => {
    const artifactory = configOf({ defaultRegistry: 'https://artifactory.corp.example/api/npm/npm-remote/' });
    expectFindings((await audit('npm/source-prefix', { config: artifactory })).findings, [
      {
        ruleId: 'lockfile-source/name-mismatch',
        package: 'ms@2.1.3',
        line: 39,
        column: 5,
        data: {
          expected: '/api/npm/npm-remote/ms/-/ms-2.1.3.tgz',
          actual: '/api/npm/npm-remote/evil/ms/-/ms-2.1.3.tgz',
          actualName: 'evil/ms',
          expectedFile: 'ms-2.1.3.tgz',
          actualFile: 'ms-2.1.3.tgz',
          url: 'https://artifactory.corp.example/api/npm/npm-remote/evil/ms/-/ms-2.1.3.tgz',
        },
      },
    ]);
    // Allowed only by host, the layout is unknown: the last segment before /-/ is taken as the name.
    expectFindings((await audit('npm/source-prefix', { options: { allowedHosts: ['artifactory.corp.example'] } })).findings, []);
  });

  it("allows yarn 1's own host when the configuration knows it as an alias of the default registry", async () => {
    const withAlias = configOf({ defaultRegistryAliases: ['https://registry.yarn.example/'], unresolvedAliases: [] });
    expectFindings((await audit('yarn-classic/source-yarn-host', { config: withAlias })).findings, []);
  });

  it('without yarn 1 installed, reports its host once for the whole yarn 1 lockfile, with a note and a hint', async () => {
    const unresolved = "yarn 1's own default registry (no yarn 1 was found on PATH or in corepack's cache to read it from)";
    const { findings, notes } = await audit('yarn-classic/source-yarn-host', { config: configOf({ defaultRegistryAliases: [], unresolvedAliases: [unresolved] }) });
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/unknown-host',
        package: 'debug@2.6.9',
        line: 5,
        column: 1,
        data: {
          host: 'registry.yarn.example',
          url: 'https://registry.yarn.example/debug/-/debug-2.6.9.tgz',
          expected: 'registry.npm.example',
          count: 5,
        },
        fix: {
          description:
            "If registry.yarn.example is a registry or git host you trust, configure it as a registry or add it to lockfile-source's allowedHosts; otherwise re-resolve these packages from your registry. For a yarn 1 lockfile, installing yarn 1 lets pkgguard read yarn's own default registry",
        },
      },
    ]);
    expect(notes).toEqual([`lockfile-source could not allow ${unresolved}; hosts it reports may include it`]);
  });
});

describe('lockfile-source: git, tarball and local sources', () => {
  it('reports a git dependency on a tag, and its unconfigured host', async () => {
    expectFindings((await audit('npm/source-git')).findings, [
      {
        ruleId: 'lockfile-source/unknown-host',
        package: 'git-dep@1.0.0',
        line: 14,
        column: 5,
        data: { host: 'git.example', url: 'git+ssh://git.example/team/git-dep.git', expected: 'registry.npm.example', count: 1 },
      },
      {
        ruleId: 'lockfile-source/unpinned-git',
        package: 'git-dep@1.0.0',
        line: 14,
        column: 5,
        message: 'git-dep@1.0.0 comes from git at git+ssh://git.example/team/git-dep.git#v1.0.0, which can move after review; expected a full commit hash',
        data: { actual: 'git+ssh://git.example/team/git-dep.git#v1.0.0', committish: 'v1.0.0' },
      },
    ]);
  });

  it('reports git:// (yarn Berry) as a plain-text protocol', async () => {
    const { findings } = await audit('yarn-berry/git', { options: { allowedHosts: ['git.example'] } });
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/insecure-protocol',
        package: 'git-dep@1.0.0',
        line: 16,
        column: 1,
        data: { scheme: 'git:', host: 'git.example', url: 'git://git.example/git-dep.git', expected: 'git+https: or git+ssh:', count: 1 },
        fix: { description: 'Depend on the repository through git+https: or git+ssh: and reinstall' },
      },
    ]);
  });

  it('reports remote tarballs on unconfigured hosts (pnpm writes their URL)', async () => {
    expectFindings((await audit('pnpm/tarball/pnpm9')).findings, [
      {
        ruleId: 'lockfile-source/unknown-host',
        package: 'ms@2.1.3',
        line: 24,
        column: 3,
        data: { host: 'tarballs.example', url: 'https://tarballs.example/ms-2.1.3.tgz', expected: 'registry.npm.example', count: 1 },
      },
    ]);
  });

  it('reports file: folders and tarballs outside the project, not the one inside', async () => {
    const { findings } = await audit('npm/source-outside');
    expectFindings(findings, [
      {
        ruleId: 'lockfile-source/outside-project',
        package: 'outside-dir@1.0.0',
        line: 16,
        column: 5,
        severity: 'moderate',
        message: 'outside-dir@1.0.0 is installed from file:../shared/outside-dir, which resolves to ../shared/outside-dir outside the project; expected a path inside it',
        data: { actual: 'file:../shared/outside-dir', resolved: '../shared/outside-dir' },
      },
      {
        ruleId: 'lockfile-source/outside-project',
        package: 'outside-tgz@1.0.0',
        line: 27,
        column: 5,
        data: { actual: 'file:../shared/outside-tgz-1.0.0.tgz', resolved: '../shared/outside-tgz-1.0.0.tgz' },
      },
    ]);
  });

  it("resolves yarn Berry's file: paths from the workspace that declares them", async () => {
    expectFindings((await audit('yarn-berry/source-workspace-paths')).findings, [
      {
        ruleId: 'lockfile-source/outside-project',
        package: 'outside-dep@1.0.0',
        line: 23,
        column: 1,
        data: { actual: 'file:../../../outside-dep', resolved: '../outside-dep' },
      },
    ]);
  });

  it('judges local paths against the audit root, not the lockfile folder (a monorepo audited from above)', async () => {
    expectFindings((await audit('npm/source-outside', { projectDir: '..' })).findings, []);
  });

  it("reports bun's link: dependencies, which are packages registered with `bun link`", async () => {
    expectFindings((await audit('bun/file-link')).findings, [
      {
        ruleId: 'lockfile-source/outside-project',
        package: 'linked-pkg@',
        line: 16,
        column: 5,
        data: { actual: 'link:linked-pkg', resolved: 'a package registered with `bun link` (linked-pkg)' },
      },
    ]);
  });
});

/** lockfile-lint's API (CommonJS, untyped): the parts the parity test uses. */
interface LockfileLintApi {
  ParseLockfile: new (options: { lockfilePath: string; lockfileType: string }) => { parseSync(): { object: Record<string, unknown> } };
  ValidateHttps: new (options: { packages: Record<string, unknown> }) => { validate(): { errors: { package: string }[] } };
  ValidateHost: new (options: { packages: Record<string, unknown> }) => { validate(hosts: string[]): { errors: { package: string }[] } };
}
const lockfileLint = createRequire(import.meta.url)('lockfile-lint-api') as LockfileLintApi;

describe('lockfile-source: parity with lockfile-lint on the same files', () => {
  /** lockfile-lint keys npm entries `name@version-<hash>`: the `name@version` part. */
  const release = (key: string): string => key.replace(/-[0-9a-f]{40}$/, '');

  it('flags what --validate-https and --allowed-hosts flag (npm/source-tampered)', async () => {
    const packages = new lockfileLint.ParseLockfile({
      lockfilePath: path.join(LOCKFILE_FIXTURES, 'npm/source-tampered/package-lock.json'),
      lockfileType: 'npm',
    }).parseSync().object;
    const https = new lockfileLint.ValidateHttps({ packages }).validate().errors.map((error) => release(error.package));
    const host = new lockfileLint.ValidateHost({ packages }).validate(['registry.npm.example']).errors.map((error) => release(error.package));
    const { findings } = await audit('npm/source-tampered');
    const flagged = (rule: string) =>
      findings.filter((finding) => finding.ruleId === `lockfile-source/${rule}`).map((finding) => `${finding.package.name}@${finding.package.version}`);
    expect(https).toEqual(['debug@2.6.9']);
    expect(flagged('insecure-protocol')).toEqual(https);
    expect(host).toEqual(['once@1.4.0']);
    expect(flagged('unknown-host')).toEqual(host);
  });

  it('counts, in one finding, every entry lockfile-lint reports for a foreign host (yarn classic)', async () => {
    const packages = new lockfileLint.ParseLockfile({
      lockfilePath: path.join(LOCKFILE_FIXTURES, 'yarn-classic/source-yarn-host/yarn.lock'),
      lockfileType: 'yarn',
    }).parseSync().object;
    const errors = new lockfileLint.ValidateHost({ packages }).validate(['registry.npm.example']).errors;
    const { findings } = await audit('yarn-classic/source-yarn-host', { config: configOf({ defaultRegistryAliases: [], unresolvedAliases: [] }) });
    expect(errors).toHaveLength(5);
    expect(findings.map((finding) => [finding.ruleId, finding.data['count']])).toEqual([['lockfile-source/unknown-host', errors.length]]);
  });
});
