/**
 * The dependency-confusion check through audit(), on the projects of
 * fixtures/projects/dependency-confusion (lockfiles written by npm against the fixtures' two
 * registries, see fixtures/README.md), with their hosts pointed at a "public" and a "private"
 * registry on 127.0.0.1. Each case asserts the exact findings, and what each registry was asked:
 * names of private scopes must never reach the public one, and the private one is never asked.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import dependencyConfusion from '../../src/checks/dependency-confusion.ts';
import { privateNamesOf } from '../../src/checks/dependency-confusion/private-names.ts';
import { normalizeRepository } from '../../src/checks/dependency-confusion/workspaces.ts';
import type { Finding } from '../../src/core/finding.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.ts';
import { publicRegistryConfig } from '../../src/registry/public-registry.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import { createAuditServices } from '../../src/services.ts';
import { makeGraph, makeNode, makeRoot } from '../core/make-graph.ts';
import { closedPort, type Handler, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';
import { type Sandbox, sandboxOf, useRegistries } from './dependency-confusion/harness.ts';

const CHECK = 'dependency-confusion';
const registries = useRegistries();
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.remove();
  sandbox = undefined;
});

/** The sandbox's own config, with the check's severity override taken out so rule defaults show. */
async function defaultSeverities(project: string, options: Record<string, unknown> = {}): Promise<ResolvedConfig> {
  const config = await loadConfig(project);
  const setting = config.checks[CHECK];
  return { ...config, checks: { [CHECK]: { options: { ...(setting?.options as object | undefined), ...options } } } };
}

async function run(scenario: string, options: { offline?: boolean; checkOptions?: Record<string, unknown>; privacy?: Partial<ResolvedConfig['privacy']> } = {}): Promise<AuditResult> {
  sandbox = await sandboxOf(scenario, registries);
  const config = await defaultSeverities(sandbox.project, options.checkOptions);
  return sandbox.run({ config: { ...config, privacy: { ...config.privacy, ...options.privacy } }, offline: options.offline });
}

function essentials(finding: Finding) {
  return {
    rule: finding.ruleId.slice(CHECK.length + 1),
    severity: finding.severity,
    package: `${finding.package.name}@${finding.package.version}`,
    at: `${finding.location.file}:${finding.location.line}:${finding.location.column}`,
  };
}

const publicPaths = () => registries.public.requests.map((request) => request.url);

describe('dependency-confusion: scoped packages (offline findings)', () => {
  it('is quiet on a project whose private scope is mapped and was downloaded from its registry', async () => {
    const result = await run('clean');
    expect(result.findings).toEqual([]);
    expect(result.incomplete).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(publicPaths()).toEqual([]);
    expect(registries.private.requests).toEqual([]);
  });

  it('reports a mapped scope that the lockfile downloaded from the public registry: it happened', async () => {
    const result = await run('wrong-registry');
    const privateUrl = registries.private.url;
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'resolved-from-wrong-registry', severity: 'critical', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { rule: 'resolved-from-wrong-registry', severity: 'critical', package: '@corp/ui@2.1.0', at: 'package-lock.json:20:5' },
    ]);
    const [tokens] = result.findings;
    expect(tokens?.message).toBe(
      `@corp/tokens@1.3.0 was downloaded from ${registries.public.url}@corp/tokens/-/tokens-1.3.0.tgz, but @corp is private ` +
        `(@corp:registry maps it to ${privateUrl}) and must come from ${privateUrl}; today it resolves to ${privateUrl} (@corp:registry maps the scope there)`,
    );
    expect(tokens?.data).toEqual({
      name: '@corp/tokens',
      version: '1.3.0',
      actual: `${registries.public.url}@corp/tokens/-/tokens-1.3.0.tgz`,
      expected: privateUrl,
      because: `@corp is private (@corp:registry maps it to ${privateUrl})`,
      resolvesTo: privateUrl,
      resolvesBecause: '@corp:registry maps the scope there',
    });
    expect(tokens?.fix?.description).toMatch(/^Treat @corp\/tokens@1\.3\.0 as untrusted: /);
    // Names of a private scope are never sent to the public registry, and nothing asks the private one.
    expect(publicPaths()).toEqual([]);
    expect(registries.private.requests).toEqual([]);
  });

  it('reports an unmapped scope the lockfile shows is served by a scope-only registry, once, at its first entry', async () => {
    const result = await run('unmapped-scope');
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'unmapped-private-scope', severity: 'high', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
    ]);
    expect(result.findings[0]?.message).toBe(
      `private scope @corp (downloaded from ${registries.private.url} in the lockfile, a server that serves only scoped packages) has no registry mapping: ` +
        `@corp/tokens and 1 other lockfile entries of the scope resolve to ${registries.public.url} (no @corp:registry is configured, so the default registry serves the scope), ` +
        'where anyone who claims the scope can publish',
    );
    expect(result.findings[0]?.fix).toEqual({ description: `Map the scope to your private registry: add "@corp:registry=<your registry URL>" to the project's .npmrc.` });
    expect(publicPaths()).toEqual([]);
  });

  it('says a scope is declared private when privateScopes lists it', async () => {
    const result = await run('unmapped-scope', { privacy: { privateScopes: ['corp'] } });
    expect(result.findings.map((finding) => finding.data['because'])).toEqual(['declared in privateScopes']);
  });

  it('reports a declared, unmapped private scope downloaded from the public registry both ways: it happened, and it will again', async () => {
    sandbox = await sandboxOf('wrong-registry', registries);
    await sandbox.write('.npmrc', 'registry=https://registry.npm.example/\n');
    const base = await defaultSeverities(sandbox.project);
    // Nothing says @corp is private: a public scope like any other.
    expect((await sandbox.run({ config: base })).findings).toEqual([]);
    const declared = await sandbox.run({ config: { ...base, privacy: { privateScopes: ['@corp'], internalPackages: [] } } });
    expect(declared.findings.map(essentials)).toEqual([
      { rule: 'resolved-from-wrong-registry', severity: 'critical', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { rule: 'unmapped-private-scope', severity: 'high', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { rule: 'resolved-from-wrong-registry', severity: 'critical', package: '@corp/ui@2.1.0', at: 'package-lock.json:20:5' },
    ]);
    expect(declared.findings[0]?.data['expected']).toBe('the private registry of @corp (none is configured)');
    expect(publicPaths()).toEqual([]);
  });

  it('looks up names of a private scope publicly only when checkableScopes lists it', async () => {
    const result = await run('unmapped-scope', { privacy: { privateScopes: ['@corp'] }, checkOptions: { checkableScopes: ['@corp'] } });
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'internal-name-public', severity: 'high', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { rule: 'unmapped-private-scope', severity: 'high', package: '@corp/tokens@1.3.0', at: 'package-lock.json:15:5' },
      { rule: 'internal-name-public', severity: 'high', package: '@corp/ui@2.1.0', at: 'package-lock.json:20:5' },
    ]);
    expect(publicPaths().sort()).toEqual(['/@corp%2ftokens', '/@corp%2fui']);
  });
});

describe('dependency-confusion: internal unscoped names (public registry)', () => {
  it('reports the 99.0.0 trick as critical, a lower public version as high and a free name as moderate', async () => {
    const result = await run('internal-names');
    const publicUrl = registries.public.url;
    const privateUrl = registries.private.url;
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'internal-name-public', severity: 'critical', package: 'billing-core@1.4.0', at: 'package-lock.json:17:5' },
      { rule: 'internal-name-unclaimed', severity: 'moderate', package: 'corp-logger@3.2.0', at: 'package-lock.json:22:5' },
      { rule: 'internal-name-public', severity: 'high', package: 'legacy-auth@1.0.0', at: 'package-lock.json:27:5' },
    ]);
    expect(result.findings[0]?.message).toBe(
      `internal package billing-core (declared in internalPackages) exists on the public registry ${publicUrl}, highest version 99.0.0 (locked 1.4.0); ` +
        `it resolves to ${privateUrl} (unscoped names always come from the default registry)`,
    );
    expect(result.findings[0]?.data).toMatchObject({ publicVersion: '99.0.0', lockedVersion: '1.4.0', publicRegistry: publicUrl, resolvesTo: privateUrl });
    expect(result.findings[1]?.message).toBe(
      `internal package corp-logger (declared in internalPackages) is not registered on the public registry ${publicUrl}: anyone can publish it there, ` +
        `and it resolves to ${privateUrl} (unscoped names always come from the default registry)`,
    );
    // Only the internal names were asked about, abbreviated, and never the user's registry.
    expect(publicPaths().sort()).toEqual(['/billing-core', '/corp-logger', '/legacy-auth']);
    expect(registries.public.requests.every((request) => request.headers.accept?.startsWith('application/vnd.npm.install-v1+json'))).toBe(true);
    expect(registries.private.requests).toEqual([]);
  });

  it('stays quiet about a placeholder you registered yourself, but not when a public version beats the locked one', async () => {
    const result = await run('internal-names', { checkOptions: { publicPlaceholders: ['legacy-auth', 'billing-core'] } });
    expect(result.findings.map(essentials).map((finding) => `${finding.rule} ${finding.package}`)).toEqual([
      'internal-name-public billing-core@1.4.0',
      'internal-name-unclaimed corp-logger@3.2.0',
    ]);
  });

  it('lets a configured severity win over the rule defaults', async () => {
    sandbox = await sandboxOf('internal-names', registries);
    const result = await sandbox.run();
    expect(result.findings.map((finding) => finding.severity)).toEqual(['high', 'high', 'high']);
  });

  it('skips the lookups under --offline and says so', async () => {
    const result = await run('internal-names', { offline: true });
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.notes).toEqual([
      { checkId: CHECK, lockfile: 'package-lock.json', message: `offline: 3 name(s) were not looked up on the public registry ${registries.public.url}` },
    ]);
    expect(publicPaths()).toEqual([]);
  });

  it('still reports what the lockfile shows under --offline', async () => {
    const result = await run('wrong-registry', { offline: true });
    expect(result.findings.map((finding) => finding.ruleId)).toEqual([`${CHECK}/resolved-from-wrong-registry`, `${CHECK}/resolved-from-wrong-registry`]);
  });

  it('sends none of the user\'s credentials to the public registry', async () => {
    sandbox = await sandboxOf('internal-names', registries);
    const nerf = (url: string) => `//${new URL(url).host}/`;
    await sandbox.write('.npmrc', `registry=https://npm.corp.example/\n${nerf(registries.private.url)}:_authToken=private-secret\n${nerf(registries.public.url)}:_authToken=public-secret\n`);
    await sandbox.run({ config: await defaultSeverities(sandbox.project) });
    expect(publicPaths()).toHaveLength(3);
    expect(registries.public.requests.map((request) => request.headers.authorization)).toEqual([undefined, undefined, undefined]);
  });
});

describe('dependency-confusion: an unreachable or broken public registry', () => {
  it('makes the audit incomplete (exit 4) and keeps the offline findings', async () => {
    const port = await closedPort();
    const result = await run('unmapped-scope', {
      privacy: { privateScopes: ['@corp'], internalPackages: [] },
      checkOptions: { checkableScopes: ['@corp'], publicRegistry: `http://127.0.0.1:${port}/` },
    });
    expect(result.findings.map((finding) => finding.ruleId)).toEqual([`${CHECK}/unmapped-private-scope`]);
    expect(result.incomplete).toEqual([
      expect.objectContaining({ checkId: CHECK, lockfile: 'package-lock.json', kind: 'source-unavailable', message: expect.stringContaining(`127.0.0.1:${port}`) }),
    ]);
    expect(result.summary.incomplete).toBe(true);
  });

  it('treats a 500, then malformed JSON, as unavailable rather than as "not registered"', async () => {
    const handlers: [string, Handler][] = [
      ['500', (_request, response) => sendJson(response, 500, { error: 'Internal Server Error' })],
      [
        'bad JSON',
        (_request, response) => {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":');
        },
      ],
    ];
    for (const [label, handler] of handlers) {
      const broken = await startFakeRegistry(handler);
      try {
        const result = await run('internal-names', { checkOptions: { publicRegistry: broken.url } });
        expect(result.findings, label).toEqual([]);
        expect(result.incomplete.map((entry) => entry.kind), label).toEqual(['source-unavailable']);
      } finally {
        await sandbox?.remove();
        sandbox = undefined;
        await broken.close();
      }
    }
  });

  it('waits out a 429 with Retry-After and then answers', async () => {
    let calls = 0;
    const limited = await startFakeRegistry((_request, response) => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(429, { 'retry-after': '0' }).end();
        return;
      }
      sendJson(response, 404, { error: 'Not found' });
    });
    try {
      const result = await run('internal-names', { checkOptions: { publicRegistry: limited.url } });
      expect(result.incomplete).toEqual([]);
      expect(result.findings.map((finding) => finding.ruleId)).toEqual([
        `${CHECK}/internal-name-unclaimed`,
        `${CHECK}/internal-name-unclaimed`,
        `${CHECK}/internal-name-unclaimed`,
      ]);
      expect(calls).toBe(4);
    } finally {
      await limited.close();
    }
  });
});

describe('dependency-confusion: workspace names', () => {
  it('reports published workspaces whose name is free or foreign, at the package.json "name" line', async () => {
    const result = await run('workspaces');
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'workspace-name-unclaimed', severity: 'moderate', package: 'shared-config@1.0.0', at: 'packages/shared-config/package.json:2:3' },
      { rule: 'workspace-name-foreign', severity: 'moderate', package: 'string-kit@1.0.0', at: 'packages/string-kit/package.json:2:3' },
    ]);
    expect(result.findings[1]?.message).toBe(
      `workspace package string-kit (packages/string-kit/package.json) is not "private": true and its name belongs to another package on the public registry ${registries.public.url} ` +
        `(highest version 4.2.0, none is 1.0.0); a dependent that misses the workspace gets that package from ${registries.public.url}`,
    );
    expect(result.findings[0]?.fix?.description).toBe(
      'Add "private": true to packages/shared-config/package.json if the package is not published; otherwise publish it (or a placeholder) so nobody else can claim the name.',
    );
    // Private workspaces are never looked up; web-utils is published from this repository (same `repository`).
    expect(publicPaths().sort()).toEqual(['/shared-config', '/string-kit', '/web-utils']);
    expect(result.notes.map((note) => note.message)).toEqual([
      '1 published workspace name(s) in scopes not listed in checkableScopes were not looked up on the public registry: @acme/tooling',
    ]);
  });

  it('looks up a scoped workspace name when its scope is checkable', async () => {
    const result = await run('workspaces', { checkOptions: { checkableScopes: ['@acme'] } });
    expect(result.findings.map(essentials)).toEqual([
      { rule: 'workspace-name-unclaimed', severity: 'moderate', package: 'shared-config@1.0.0', at: 'packages/shared-config/package.json:2:3' },
      { rule: 'workspace-name-foreign', severity: 'moderate', package: 'string-kit@1.0.0', at: 'packages/string-kit/package.json:2:3' },
      { rule: 'workspace-name-unclaimed', severity: 'moderate', package: '@acme/tooling@0.1.0', at: 'packages/tooling/package.json:2:3' },
    ]);
    expect(result.notes).toEqual([]);
  });

  it('reads the names of pnpm importers from their package.json and keeps private-scope workspaces to itself', async () => {
    const fixture = path.join(REPO_ROOT, 'fixtures', 'lockfiles', 'pnpm', 'workspaces', 'pnpm9');
    sandbox = await sandboxOf(fixture, registries);
    const base = { ...(await loadConfig(sandbox.project)), checks: { [CHECK]: { options: { publicRegistry: registries.public.url, checkableScopes: ['@fixture'] } } } };
    const checkable = await sandbox.run({ config: base });
    expect(checkable.findings.map(essentials)).toEqual([
      { rule: 'workspace-name-unclaimed', severity: 'moderate', package: '@fixture/a@1.0.0', at: 'packages/a/package.json:2:3' },
      { rule: 'workspace-name-unclaimed', severity: 'moderate', package: '@fixture/b@2.0.0', at: 'packages/b/package.json:2:3' },
    ]);
    registries.public.requests.length = 0;
    // Mapped to a private registry in pnpm-workspace.yaml: a private scope, never looked up.
    await sandbox.write('pnpm-workspace.yaml', "packages:\n  - 'packages/*'\nregistries:\n  '@fixture': https://npm.corp.example/\n");
    const mapped = await sandbox.run({ config: base });
    expect(mapped.findings).toEqual([]);
    expect(publicPaths()).toEqual([]);
  });
});

describe('dependency-confusion: yarn Berry configuration', () => {
  it('takes scope mappings from .yarnrc.yml npmScopes, and says when the lockfile records no download URL', async () => {
    const fixture = path.join(REPO_ROOT, 'fixtures', 'lockfiles', 'yarn-berry', 'optional');
    sandbox = await sandboxOf(fixture, registries);
    const config: ResolvedConfig = {
      ...(await loadConfig(sandbox.project)),
      privacy: { privateScopes: ['@isaacs'], internalPackages: [] },
      checks: { [CHECK]: { options: { publicRegistry: registries.public.url } } },
    };
    const unmapped = await sandbox.run({ config });
    expect(unmapped.findings.map(essentials)).toEqual([
      { rule: 'unmapped-private-scope', severity: 'high', package: '@isaacs/fs-minipass@4.0.1', at: 'yarn.lock:8:1' },
    ]);
    expect(unmapped.findings[0]?.fix).toEqual({
      description: `Map the scope to your private registry: add "npmScopes: { isaacs: { npmRegistryServer: <your registry URL> } }" to the project's .yarnrc.yml.`,
    });
    await sandbox.write('.yarnrc.yml', 'npmScopes:\n  isaacs:\n    npmRegistryServer: "https://npm.corp.example/"\n');
    const mapped = await sandbox.run({ config });
    expect(mapped.findings).toEqual([]);
    expect(mapped.notes.map((note) => note.message)).toEqual([
      '1 private package(s) in yarn.lock record no download URL, so where they were downloaded from cannot be checked',
    ]);
    expect(publicPaths()).toEqual([]);
  });
});

describe('private names inferred from the lockfile', () => {
  const config: RegistryConfig = {
    source: 'npm',
    defaultRegistry: 'https://registry.npm.example/',
    scopes: {},
    fetchOptions: { registry: 'https://registry.npm.example/' },
    files: [],
    warnings: [],
  };
  const node = (name: string, resolved: string) => makeNode(`node_modules/${name}`, [], { name, version: '1.0.0', resolved });
  const graphOf = (...packages: ReturnType<typeof node>[]) =>
    makeGraph({ lockfile: { path: 'package-lock.json', format: 'npm', formatVersion: '3' }, root: makeRoot(packages.map((p) => p.id)), importers: [], packages });
  const none = { privateScopes: [], internalPackages: [] };

  it('makes an unscoped name internal when it comes from the server of a private scope', () => {
    const graph = graphOf(node('@corp/ui', 'https://npm.corp.example/@corp/ui/-/ui-1.0.0.tgz'), node('billing', 'https://npm.corp.example/billing/-/billing-1.0.0.tgz'));
    const mapped = privateNamesOf(graph, { ...config, scopes: { '@corp': 'https://npm.corp.example/' } }, none, 'https://registry.npm.example/');
    expect([...mapped.internal]).toEqual([['billing', 'downloaded from https://npm.corp.example/, which serves a private scope']]);
    // Unmapped, the server serves unscoped names too: a mirror, not a scope registry, so nothing is inferred.
    const unmapped = privateNamesOf(graph, config, none, 'https://registry.npm.example/');
    expect(unmapped.scopes.size + unmapped.internal.size).toBe(0);
  });

  it('infers a private scope from a server that served only that scope', () => {
    const graph = graphOf(node('@corp/ui', 'https://npm.corp.example/@corp/ui/-/ui-1.0.0.tgz'), node('ms', 'https://registry.npm.example/ms/-/ms-1.0.0.tgz'));
    const names = privateNamesOf(graph, config, none, 'https://registry.npm.example/');
    expect([...names.scopes]).toEqual([
      ['@corp', { because: 'downloaded from https://npm.corp.example/ in the lockfile, a server that serves only scoped packages', registry: undefined }],
    ]);
  });

  it('infers no scope registry from a lockfile whose registry packages are all scoped', () => {
    const names = privateNamesOf(graphOf(node('@corp/ui', 'https://mirror.example/@corp/ui/-/ui-1.0.0.tgz')), config, none, 'https://registry.npm.example/');
    expect(names.scopes.size).toBe(0);
  });

  it('infers nothing from a mirror that served everything', () => {
    const names = privateNamesOf(
      graphOf(node('@types/node', 'https://mirror.example/@types/node/-/node-1.0.0.tgz'), node('ms', 'https://mirror.example/ms/-/ms-1.0.0.tgz')),
      config,
      none,
      'https://registry.npm.example/',
    );
    expect(names.scopes.size + names.internal.size).toBe(0);
  });

  it('treats the default registry\'s aliases (yarn 1\'s host) as the default registry', () => {
    const names = privateNamesOf(
      graphOf(node('@types/node', 'https://registry.yarn.example/@types/node/-/node-1.0.0.tgz')),
      { ...config, defaultRegistryAliases: ['https://registry.yarn.example/'] },
      none,
      'https://registry.npm.example/',
    );
    expect(names.scopes.size).toBe(0);
  });
});

describe('services for the check', () => {
  it('builds the public client\'s configuration with the network settings only', () => {
    const user: RegistryConfig = {
      source: 'npm',
      defaultRegistry: 'https://npm.corp.example/',
      scopes: { '@corp': 'https://npm.corp.example/' },
      fetchOptions: {
        registry: 'https://npm.corp.example/',
        '@corp:registry': 'https://npm.corp.example/',
        '//npm.corp.example/:_authToken': 'secret',
        cert: 'client cert',
        key: 'client key',
        proxy: 'http://proxy.example:8080/',
        httpsProxy: 'http://proxy.example:8080/',
        strictSSL: false,
        ca: ['-----BEGIN CERTIFICATE-----'],
      },
      files: ['/home/user/.npmrc'],
      warnings: ['a warning'],
    };
    expect(publicRegistryConfig(user, 'https://registry.npm.example')).toEqual({
      source: 'npm',
      defaultRegistry: 'https://registry.npm.example/',
      scopes: {},
      fetchOptions: {
        registry: 'https://registry.npm.example/',
        proxy: 'http://proxy.example:8080/',
        httpsProxy: 'http://proxy.example:8080/',
        strictSSL: false,
        ca: ['-----BEGIN CERTIFICATE-----'],
      },
      files: ['/home/user/.npmrc'],
      warnings: [],
    });
    expect(() => publicRegistryConfig(user, 'ftp://registry.npm.example/')).toThrow(TypeError);
  });

  it('reads project files, answers undefined for a missing one and refuses paths outside the project', async () => {
    const services = await createAuditServices({
      projectDir: path.join(REPO_ROOT, 'fixtures', 'projects', 'dependency-confusion', 'workspaces'),
      cacheDir: path.join(REPO_ROOT, 'node_modules', '.cache-unused'),
      offline: true,
      privacy: { privateScopes: [], internalPackages: [] },
      settings: {},
      now: new Date(),
      signal: new AbortController().signal,
      log: { debug() {}, warn() {} },
    });
    const checkServices = services.servicesFor(
      makeGraph({ lockfile: { path: 'package-lock.json', format: 'npm', formatVersion: '3' }, root: makeRoot([]), importers: [], packages: [] }),
    );
    expect(await checkServices.readProjectFile('packages/app/package.json')).toContain('"name": "corp-app"');
    expect(await checkServices.readProjectFile('packages/none/package.json')).toBeUndefined();
    await expect(checkServices.readProjectFile('../clean/package.json')).rejects.toThrow(TypeError);
    await expect(checkServices.readProjectFile('/etc/passwd')).rejects.toThrow(TypeError);
  });
});

describe('repository comparison', () => {
  it.each([
    ['git+https://git.example/corp/monorepo.git', 'git.example/corp/monorepo'],
    ['git@git.example:corp/monorepo.git', 'git.example/corp/monorepo'],
    ['https://GIT.example/corp/monorepo/', 'git.example/corp/monorepo'],
    ['github:corp/monorepo', 'github.com/corp/monorepo'],
    ['corp/monorepo', 'github.com/corp/monorepo'],
    ['not a url', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRepository(input)).toBe(expected);
  });
});

it('declares runsOffline, so --offline keeps it', () => {
  expect(dependencyConfusion.meta.requiresNetwork).toBe(true);
  expect(dependencyConfusion.meta.runsOffline).toBe(true);
});
