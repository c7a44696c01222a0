/**
 * The `advisory` check (and, where they share code, `malicious`) through the real engine on the
 * fixture project fixtures/projects/advisories (npm 11 lockfile with lodash 4.17.15, minimist
 * 1.2.5 and the malware releases), with the advisory layer replaced by an injected lookup.
 * The layer itself, against a fake OSV server, is covered by test/checks/advisory-osv.test.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as AdvisoriesModule from '../../src/advisories/index.ts';
import advisory from '../../src/checks/advisory.ts';
import malicious from '../../src/checks/malicious.ts';
import type { AnyCheck, Logger } from '../../src/core/check.ts';
import { runChecks, type RunChecksResult, type SelectedCheck } from '../../src/core/engine.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { createDependencyGraph, type DependencyGraph, type LockfileFormat, type PackageNode } from '../../src/core/graph.ts';
import { type CheckServices, type PrivateNameReason, withoutServices } from '../../src/core/services.ts';
import type { Severity } from '../../src/core/severity.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';
import { answerFromKnown, createFakeLookup, type FakeLookup } from './advisory/fake-lookup.ts';

const fake = vi.hoisted(() => ({ current: undefined as FakeLookup | undefined }));

vi.mock('../../src/advisories/index.ts', async (importOriginal) =>
  (await import('./advisory/mock-lookup.ts')).withFakeLookup(await importOriginal<typeof AdvisoriesModule>(), fake),
);

const { NoAdvisorySourceError } = await import('../../src/advisories/index.ts');

const silent: Logger = { debug() {}, warn() {} };
const PROJECT = path.join(REPO_ROOT, 'fixtures', 'projects', 'advisories');

async function fixtureGraph(): Promise<DependencyGraph> {
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === 'npm')!;
  const absolutePath = path.join(PROJECT, 'package-lock.json');
  return parser.parse({ path: 'package-lock.json', absolutePath, text: await readFile(absolutePath, 'utf8') });
}

interface RunOptions {
  readonly checks?: readonly AnyCheck[];
  readonly offline?: boolean;
  readonly privateNames?: Readonly<Record<string, PrivateNameReason>>;
  readonly severity?: Severity;
}

/** One services object per audit, as src/services.ts makes them: `shared` spans every lockfile. */
async function audit(graphs: readonly DependencyGraph[], options: RunOptions = {}): Promise<RunChecksResult> {
  const base = withoutServices();
  const services: CheckServices = {
    ...base,
    privateNameReason: (name) => Promise.resolve(options.privateNames?.[name]),
    privateNames: () => Promise.resolve((name) => options.privateNames?.[name]),
  };
  const selected: SelectedCheck[] = (options.checks ?? [advisory, malicious]).map((check) => ({ check, options: undefined, severity: options.severity }));
  return runChecks(graphs, selected, {
    offline: options.offline ?? false,
    signal: new AbortController().signal,
    log: silent,
    servicesFor: () => services,
  });
}

function summary(result: RunChecksResult) {
  return result.findings.map((f) => `${f.checkId} ${f.ruleId} ${f.package.name}@${f.package.version} line ${f.location.line} ${f.severity}`);
}

const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };

/** A hand-made graph: `root → direct → transitive`, each edge with the given spec. */
function chainGraph(format: LockfileFormat, specs: { direct: string; transitive: string }, file = 'package-lock.json'): DependencyGraph {
  const node = (id: string, name: string, version: string, line: number, deps: PackageNode['dependencies'] = []): PackageNode => ({
    id,
    name,
    version,
    source: id === '' ? { type: 'directory', path: '.' } : { type: 'registry' },
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: { file, line, column: 5 },
    dependencies: deps,
  });
  const minimist = node('minimist@1.2.5', 'minimist', '1.2.5', 20);
  const mkdirp = node('mkdirp@0.5.5', 'mkdirp', '0.5.5', 10, [{ name: 'minimist', spec: specs.transitive, type: 'prod', to: minimist.id }]);
  const root = node('', 'app', '1.0.0', 1, [{ name: 'mkdirp', spec: specs.direct, type: 'prod', to: mkdirp.id }]);
  return createDependencyGraph({ lockfile: { path: file, format, formatVersion: '1' }, root, importers: [], packages: [mkdirp, minimist] });
}

beforeEach(() => {
  fake.current = createFakeLookup();
});

describe('check "advisory" on fixtures/projects/advisories', () => {
  it('reports lodash and minimist under their advisory ids, and leaves malware to the malicious check', async () => {
    const result = await audit([await fixtureGraph()], { checks: [advisory] });
    expect(summary(result)).toEqual([
      'advisory GHSA-p6mc-m468-83gw lodash@4.17.15 line 60 high',
      'advisory GHSA-xvch-5gv4-984h minimist@1.2.5 line 72 critical',
    ]);
    expect(result.incomplete).toEqual([]);
    expect(result.skipped).toEqual([]);
  });

  it('fills message, data, references, rule text and fix of a finding', async () => {
    const result = await audit([await fixtureGraph()], { checks: [advisory] });
    const lodash = result.findings[0]!;
    expect(lodash.message).toBe('lodash@4.17.15 is affected by GHSA-p6mc-m468-83gw (Prototype Pollution in lodash); fixed in 4.17.19');
    expect(lodash.data).toEqual({
      name: 'lodash',
      version: '4.17.15',
      advisoryId: 'GHSA-p6mc-m468-83gw',
      summary: 'Prototype Pollution in lodash',
      advisorySeverity: 'high',
      remedy: 'fixed in 4.17.19',
      fixedIn: '4.17.19',
      aliases: 'CVE-2020-8203',
      cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H',
      cvssScore: 7.4,
      cwes: 'CWE-1321, CWE-770',
      paths: 'advisory-demo@1.0.0 > lodash@4.17.15',
      pathCount: 1,
      pathsCapped: 0,
      sources: 'osv',
    });
    expect(lodash.references).toEqual(['https://github.com/advisories/GHSA-p6mc-m468-83gw']);
    expect(lodash.rule).toEqual({
      description: 'Prototype Pollution in lodash',
      help: 'Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution.\n\nThe function zipObjectDeep allows a malicious user to modify the prototype of Object.',
      helpUri: 'https://github.com/advisories/GHSA-p6mc-m468-83gw',
      score: 7.4,
      tags: ['CWE-1321', 'CWE-770'],
    });
    expect(lodash.helpUri).toBe('https://github.com/pkgguard/pkgguard#advisory');
    expect(lodash.fix).toEqual({
      description: 'Upgrade lodash to 4.17.19 or later (the project declares 4.17.15)',
      command: 'npm install lodash@4.17.19',
    });
  });

  it('lists every dependency path of a package that is required twice', async () => {
    const result = await audit([await fixtureGraph()], { checks: [advisory] });
    const minimist = result.findings[1]!;
    expect(minimist.data['paths']).toBe('advisory-demo@1.0.0 > minimist@1.2.5; advisory-demo@1.0.0 > mkdirp@0.5.5 > minimist@1.2.5');
    expect(minimist.data['pathCount']).toBe(2);
    // Declared by the project itself: the fix rewrites the declared range.
    expect(minimist.fix).toEqual({ description: 'Upgrade minimist to 1.2.6 or later (the project declares 1.2.5)', command: 'npm install minimist@1.2.6' });
  });

  it('keeps fingerprints apart per advisory and stable across runs', async () => {
    const first = await audit([await fixtureGraph()], { checks: [advisory] });
    fake.current = createFakeLookup();
    const second = await audit([await fixtureGraph()], { checks: [advisory] });
    expect(first.findings.map((f) => f.fingerprint)).toEqual(second.findings.map((f) => f.fingerprint));
    expect(new Set(first.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('lets a configured severity override the advisory\'s', async () => {
    const result = await audit([await fixtureGraph()], { checks: [advisory], severity: 'low' });
    expect(result.findings.map((f) => f.severity)).toEqual(['low', 'low']);
  });
});

describe('one lookup for both checks and every lockfile', () => {
  it('asks once for the advisory and malicious checks of one lockfile', async () => {
    const result = await audit([await fixtureGraph()]);
    expect(fake.current!.requests).toHaveLength(1);
    expect(result.findings.map((f) => f.checkId)).toEqual(['malicious', 'malicious', 'advisory', 'advisory', 'malicious', 'malicious']);
  });

  it('asks a second lockfile only about releases the first did not have', async () => {
    const graph = await fixtureGraph();
    const other = chainGraph('npm', { direct: '^0.5.5', transitive: '^1.2.5' }, 'tools/package-lock.json');
    await audit([graph, other]);
    expect(fake.current!.requests).toHaveLength(1);
    const sent = fake.current!.requests[0]!.packages.map((q) => `${q.name}@${q.version}`);
    expect(sent).toContain('minimist@1.2.5');
  });

  it('says the layer\'s notes once per audit, and the lockfile\'s once per lockfile', async () => {
    fake.current!.answer = (request) => answerFromKnown(request, ['offline advisory database is 9 days old']);
    const graph = chainGraph('npm', { direct: '^0.5.5', transitive: '^1.2.5' });
    const tarball: PackageNode = { ...graph.packages[0]!, id: 'local', name: 'local', source: { type: 'tarball', url: 'file:local.tgz' } };
    const withTarball = createDependencyGraph({ lockfile: graph.lockfile, root: graph.root, importers: [], packages: [...graph.packages, tarball] });
    const result = await audit([withTarball]);
    expect(result.notes).toEqual([
      { checkId: 'advisory', lockfile: 'package-lock.json', message: 'offline advisory database is 9 days old' },
      {
        checkId: 'advisory',
        lockfile: 'package-lock.json',
        message: '1 package from git, tarball or local sources was not checked for advisories, which name registry releases: 1 tarball',
      },
    ]);
  });
});

describe('privacy', () => {
  it('never sends a private name, and says how many were withheld and why', async () => {
    const result = await audit([await fixtureGraph()], { privateNames: { '@corp/internal-lib': 'private-scope' } });
    const sent = fake.current!.requests.flatMap((request) => request.packages.map((q) => q.name));
    expect(sent).not.toContain('@corp/internal-lib');
    expect(sent).toContain('lodash');
    expect(result.notes).toEqual([
      {
        checkId: 'advisory',
        lockfile: 'package-lock.json',
        message:
          '1 private release was not looked up in advisory databases (private names are never sent to public services, and public advisories do not describe them): 1 in privateScopes',
      },
    ]);
  });

  it('counts withheld releases per reason', async () => {
    const result = await audit([await fixtureGraph()], {
      checks: [malicious],
      privateNames: { '@corp/internal-lib': 'private-scope', lodash: 'resolved-elsewhere', minimist: 'resolved-elsewhere' },
    });
    expect(result.notes.map((n) => n.message)).toEqual([
      '3 private releases were not looked up in advisory databases (private names are never sent to public services, and public advisories do not describe them): 1 in privateScopes, 2 resolved from a non-default registry',
    ]);
  });
});

describe('sources that cannot answer', () => {
  it('skips both checks offline without a database', async () => {
    fake.current!.answer = () => Promise.reject(new NoAdvisorySourceError('no advisory source can answer offline'));
    const result = await audit([await fixtureGraph()], { offline: true });
    const reason = 'offline and no advisory database; run pkgguard db update or pass --advisory-db';
    expect(result.skipped).toEqual([
      { checkId: 'advisory', lockfile: 'package-lock.json', reason },
      { checkId: 'malicious', lockfile: 'package-lock.json', reason },
    ]);
    expect(result.incomplete).toEqual([]);
  });

  it('makes both checks incomplete when the source fails', async () => {
    fake.current!.answer = () => Promise.reject(new SourceUnavailableError('OSV answered 503 three times'));
    const result = await audit([await fixtureGraph()]);
    expect(result.incomplete.map((entry) => [entry.checkId, entry.kind, entry.message])).toEqual([
      ['advisory', 'source-unavailable', 'OSV answered 503 three times'],
      ['malicious', 'source-unavailable', 'OSV answered 503 three times'],
    ]);
    expect(fake.current!.requests).toHaveLength(1);
  });
});

describe('fix hints for a transitive dependency', () => {
  it('npm: npm update when every range allows the fixed version', async () => {
    const result = await audit([chainGraph('npm', { direct: '^0.5.5', transitive: '^1.2.5' })], { checks: [advisory] });
    expect(result.findings[0]!.fix).toEqual({
      description: 'Upgrade minimist to 1.2.6 or later: every range that requires it already allows that version, so re-resolving it is enough',
      command: 'npm update minimist',
    });
  });

  it('yarn Berry: yarn up -R, from the lockfile\'s directory', async () => {
    const result = await audit([chainGraph('yarn-berry', { direct: '^0.5.5', transitive: 'npm:^1.2.5' }, 'apps/web/yarn.lock')], { checks: [advisory] });
    expect(result.findings[0]!.fix?.command).toBe('cd apps/web && yarn up -R minimist');
  });

  it('pnpm: the instruction without a command', async () => {
    const result = await audit([chainGraph('pnpm', { direct: '^0.5.5', transitive: '^1.2.5' }, 'pnpm-lock.yaml')], { checks: [advisory] });
    expect(result.findings[0]!.fix).toEqual({
      description: 'Upgrade minimist to 1.2.6 or later: every range that requires it already allows that version, so re-resolving it is enough',
    });
  });

  it('names the dependent whose range excludes the fixed version', async () => {
    const result = await audit([chainGraph('npm', { direct: '^0.5.5', transitive: '1.2.5' })], { checks: [advisory] });
    expect(result.findings[0]!.fix).toEqual({
      description:
        'Upgrade minimist to 1.2.6 or later: mkdirp@0.5.5 requires 1.2.5, which excludes it, so upgrade that dependent or force the version with an override (npm overrides, yarn resolutions, pnpm overrides)',
    });
  });
});
