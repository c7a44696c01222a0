/**
 * The canonical AuditResult every reporter snapshot is made from. It is produced the way the
 * real pipeline produces one: graphs through createDependencyGraph, findings through the
 * engine's runChecks with small inline checks, ignores through applyIgnores, the summary
 * through summarize. Only the checks and the lockfile contents are invented.
 *
 * What it contains, on purpose:
 * - two lockfiles (npm with 2,704 packages, pnpm with a handful and no findings);
 * - findings of three severities: critical (a known-malicious package), high (an http download
 *   and a missing integrity), moderate (a sha1 integrity);
 * - a dependency chain of 8 packages through a dev dependency (path shortening, "(dev)");
 * - a package name carrying an ANSI escape and a bidi override;
 * - a resolved URL with basic-auth credentials and a token query parameter;
 * - an --offline run, so the network-only check is skipped (through selectChecks);
 * - an incomplete audit: a source-unavailable check (per lockfile, message quoting the absolute
 *   project directory) and a crashed check (with a stack that must never be printed);
 * - an expired ignore, an unused ignore and a live one (suppressed: 1).
 */
import type { AnyCheck } from '../../src/core/check.ts';
import { defineCheck } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import {
  createDependencyGraph,
  type DependencyEdge,
  type DependencyGraph,
  type LockfileInfo,
  type PackageNode,
} from '../../src/core/graph.ts';
import { applyIgnores, summarize, type IgnoreRule } from '../../src/core/policy.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { selectChecks } from '../../src/core/select.ts';

export const TOOL_VERSION = '1.4.0';
export const PROJECT_DIR = '/home/runner/work/shop/shop/services/api';
export const REPO_PREFIX = 'services/api/';
export const TODAY = '2025-06-01';
/** Name of the hostile package: ESC sequence + RIGHT-TO-LEFT OVERRIDE. */
export const HOSTILE_NAME = 'colors\u001b[2K\u202etxt.exe';
export const SECRET_URL = 'http://ci-bot:s3cr3t-pa55@registry.npm.example/hasown/-/hasown-2.0.0.tgz?token=abc123';
const NPM_PACKAGE_COUNT = 2704;
const SHA512 = 'sha512-ZOWGRPQj3Rk4mc9K7pNT2VWjE8aXxSh6Y5rz7Ju4fgJGHU5YfUrXzVr7kWH7JMqGz0g2gIHtPbGRmXaR6XaTnw==';

const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };

interface NodeSpec {
  readonly name: string;
  readonly version: string;
  readonly line: number;
  readonly deps?: readonly string[];
  /** Targets of `deps` declared as devDependencies (only the root declares any). */
  readonly devDeps?: readonly string[];
  readonly dev?: boolean;
  readonly integrity?: string | null;
  readonly resolved?: string;
}

function npmNode(file: string, id: string, spec: NodeSpec): PackageNode {
  const resolved = spec.resolved ?? `https://registry.npm.example/${spec.name}/-/${spec.name.split('/').pop()}-${spec.version}.tgz`;
  const dependencies: DependencyEdge[] = (spec.deps ?? []).map((to) => ({
    name: to.replace(/^(?:.*\/)?node_modules\//, ''),
    spec: '*',
    type: spec.devDeps?.includes(to) ? 'dev' : 'prod',
    to,
  }));
  return {
    id,
    name: spec.name,
    version: spec.version,
    source: { type: 'registry', url: resolved },
    resolved,
    ...(spec.integrity === null ? {} : { integrity: spec.integrity ?? SHA512 }),
    flags: { ...NO_FLAGS, dev: spec.dev ?? false, devOptional: false },
    hasInstallScript: false,
    location: { file, line: spec.line, column: 5 },
    dependencies,
  };
}

/** package-lock.json v3: named packages first, then filler up to NPM_PACKAGE_COUNT entries. */
function npmGraph(): DependencyGraph {
  const file = 'package-lock.json';
  const lockfile: LockfileInfo = { path: file, format: 'npm', formatVersion: '3' };
  const named: [string, NodeSpec][] = [
    ['node_modules/left-pad', { name: 'left-pad', version: '1.3.0', line: 31, integrity: 'sha1-W7KxSMNuI5ddk2ZEX7aeANfSsf0=' }],
    ['node_modules/old-sha1', { name: 'old-sha1', version: '0.2.0', line: 40, integrity: 'sha1-2ZEX7aeANfSsf0W7KxSMNuI5ddk=' }],
    [`node_modules/${HOSTILE_NAME}`, { name: HOSTILE_NAME, version: '1.4.44', line: 48 }],
    ['node_modules/express', { name: 'express', version: '4.19.2', line: 57, integrity: null }],
    ['node_modules/jest', { name: 'jest', version: '29.7.0', line: 66, dev: true, deps: ['node_modules/@jest/core'] }],
    ['node_modules/@jest/core', { name: '@jest/core', version: '29.7.0', line: 75, dev: true, deps: ['node_modules/jest-runtime'] }],
    ['node_modules/jest-runtime', { name: 'jest-runtime', version: '29.7.0', line: 84, dev: true, deps: ['node_modules/jest-resolve'] }],
    ['node_modules/jest-resolve', { name: 'jest-resolve', version: '29.7.0', line: 93, dev: true, deps: ['node_modules/resolve'] }],
    ['node_modules/resolve', { name: 'resolve', version: '1.22.8', line: 102, dev: true, deps: ['node_modules/is-core-module'] }],
    ['node_modules/is-core-module', { name: 'is-core-module', version: '2.13.1', line: 111, dev: true, deps: ['node_modules/hasown'] }],
    ['node_modules/hasown', { name: 'hasown', version: '2.0.0', line: 120, dev: true, resolved: SECRET_URL }],
  ];
  const filler: [string, NodeSpec][] = Array.from({ length: NPM_PACKAGE_COUNT - named.length }, (_, i) => [
    `node_modules/filler-${i}`,
    { name: `filler-${i}`, version: '1.0.0', line: 200 + i * 9 },
  ]);
  const packages = [...named, ...filler].map(([id, spec]) => npmNode(file, id, spec));
  const root = npmNode(file, '', {
    name: 'shop-api',
    version: '3.2.0',
    line: 7,
    deps: ['node_modules/left-pad', 'node_modules/old-sha1', `node_modules/${HOSTILE_NAME}`, 'node_modules/express', 'node_modules/jest'],
    devDeps: ['node_modules/jest'],
  });
  return createDependencyGraph({ lockfile, root: { ...root, source: { type: 'directory', path: '.' } }, importers: [], packages });
}

/** A small, clean pnpm lockfile of a tools workspace: it yields no findings. */
function pnpmGraph(): DependencyGraph {
  const file = 'tools/pnpm-lock.yaml';
  const lockfile: LockfileInfo = { path: file, format: 'pnpm', formatVersion: '9.0' };
  const packages = [
    npmNode(file, 'semver@7.6.3', { name: 'semver', version: '7.6.3', line: 14 }),
    npmNode(file, 'yaml@2.5.1', { name: 'yaml', version: '2.5.1', line: 19 }),
  ];
  const root = npmNode(file, '.', { name: 'tools', version: '0.0.0', line: 5, deps: ['semver@7.6.3', 'yaml@2.5.1'] });
  return createDependencyGraph({ lockfile, root, importers: [], packages });
}

const integrity = defineCheck({
  meta: {
    id: 'integrity',
    description: 'Lockfile entries must carry a strong integrity hash',
    rationale:
      'Without an integrity hash, or with only sha1, the package manager cannot tell a tampered tarball from the one that was locked.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#integrity',
    tags: ['supply-chain', 'integrity'],
    rules: {
      missing: { description: 'Lockfile entry has no integrity hash', message: '{{name}}@{{version}} has no integrity hash' },
      weak: {
        description: 'Lockfile entry is pinned with sha1 only',
        message: '{{name}}@{{version}} is pinned with {{algorithm}} only; expected sha512',
        severity: 'moderate',
      },
    },
  },
  run(context) {
    for (const node of context.graph.packages) {
      if (node.integrity === undefined) {
        context.report({ node, rule: 'missing', fix: { description: 'Regenerate the lockfile entry', command: 'npm install --package-lock-only' } });
      } else if (node.integrity.startsWith('sha1-')) {
        context.report({
          node,
          rule: 'weak',
          data: { algorithm: 'sha1' },
          fix: { description: 'Regenerate the lockfile entry', command: 'npm install --package-lock-only' },
        });
      }
    }
  },
});

const lockfileSource = defineCheck({
  meta: {
    id: 'lockfile-source',
    description: 'Packages must be downloaded over https from an allowed host',
    rationale: 'A plain-http download can be replaced in transit; the lockfile then installs whatever the network returned.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#lockfile-source',
    tags: ['supply-chain'],
    rules: {
      'insecure-protocol': { description: 'Package is downloaded over plain http', message: '{{name}}@{{version}} is downloaded over http: {{resolved}}' },
    },
  },
  run(context) {
    for (const node of context.graph.packages) {
      if (node.resolved?.startsWith('http:')) {
        context.report({
          node,
          rule: 'insecure-protocol',
          data: { resolved: node.resolved },
          fix: { description: `Switch the registry of ${node.name} to https and reinstall` },
        });
      }
    }
  },
});

const malicious = defineCheck({
  meta: {
    id: 'malicious',
    description: 'Packages known to be malicious',
    rationale: 'Malicious packages run attacker code at install or import time: credentials on the machine must be treated as stolen.',
    defaultSeverity: 'critical',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#malicious',
    tags: ['malware', 'supply-chain'],
    rules: { known: { description: 'Package version is known to be malicious', message: '{{name}}@{{version}} is known to be malicious ({{advisory}})' } },
  },
  run(context) {
    for (const node of context.graph.packages) {
      if (node.name === HOSTILE_NAME) {
        context.report({
          node,
          rule: 'known',
          data: { advisory: 'MAL-2025-1234' },
          references: ['https://osv.example/vulnerability/MAL-2025-1234'],
          fix: { description: 'Remove the package and rotate every credential the install could read', command: `npm uninstall ${node.name}` },
        });
      }
    }
  },
});

/** Stands in for the advisory check under --offline when the offline database is missing. */
const advisory = defineCheck({
  meta: {
    id: 'advisory',
    description: 'Known vulnerabilities from advisory databases',
    rationale: 'Published advisories name the affected versions and the versions that fix them.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#advisory',
    tags: ['vulnerability'],
    rules: { vulnerable: { description: 'Package version has a known vulnerability', message: '{{name}}@{{version}}: {{id}}' } },
  },
  run() {
    throw new SourceUnavailableError(
      `offline advisory database ${PROJECT_DIR}/.pkgguard-cache/osv.zip is missing; run: pkgguard db update`,
    );
  },
});

/** Stands in for a check with a bug: it crashes on the npm lockfile only. */
const installScripts = defineCheck({
  meta: {
    id: 'install-scripts',
    description: 'Packages that run scripts at install time',
    rationale: 'Install scripts run with the permissions of whoever installs.',
    defaultSeverity: 'low',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#install-scripts',
    tags: [],
    rules: { present: { description: 'Package runs an install script', message: '{{name}}@{{version}} runs an install script' } },
  },
  run(context) {
    const manifests = new Map<string, { scripts: object }>();
    // Reproduces a typical bug: a manifest that is not there, dereferenced.
    if (context.graph.lockfile.format === 'npm') void manifests.get('node_modules/express')!.scripts;
  },
});

const signatures = defineCheck({
  meta: {
    id: 'signatures',
    description: 'Registry signatures and provenance',
    rationale: 'Signatures prove the registry served the tarball the publisher uploaded.',
    defaultSeverity: 'high',
    requiresNetwork: true,
    docs: 'https://github.com/pkgguard/pkgguard#signatures',
    tags: ['provenance'],
    rules: { invalid: { description: 'Registry signature does not verify', message: '{{name}}@{{version}} has an invalid signature' } },
  },
  run() {
    // Never runs: --offline moves it to `skipped`.
  },
});

export const CANONICAL_CHECKS: readonly AnyCheck[] = [advisory, installScripts, integrity, lockfileSource, malicious, signatures];

const IGNORES: readonly IgnoreRule[] = [
  { ruleId: 'integrity/weak', package: 'old-sha1', reason: 'vendored fork, re-hashed in Q3', expires: '2099-12-31' },
  { ruleId: 'lockfile-source', package: 'hasown', reason: 'internal mirror is http until the TLS migration', expires: '2025-03-31' },
  { ruleId: 'typosquat', package: 'lodahs', reason: 'our own internal package', expires: '2026-01-31' },
];

/** Everything but the summary's fail threshold is fixed; tests vary `failOn` to see the verdicts. */
export async function buildCanonicalAuditResult(
  options: { failOn?: AuditResult['summary']['failOn'] } = {},
): Promise<AuditResult> {
  const graphs = [npmGraph(), pnpmGraph()];
  const { selected, skipped } = await selectChecks(CANONICAL_CHECKS, { offline: true, settings: {} });
  const run = await runChecks(graphs, selected, {
    offline: true,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  const policy = applyIgnores(run.findings, IGNORES, TODAY);
  return {
    tool: { name: 'pkgguard', version: TOOL_VERSION },
    projectDir: PROJECT_DIR,
    repoPrefix: REPO_PREFIX,
    lockfiles: graphs.map((graph) => ({ ...graph.lockfile, packageCount: graph.packages.length })),
    checks: selected.map((entry) => entry.check.meta),
    findings: policy.findings,
    incomplete: run.incomplete,
    skipped,
    notes: [],
    ignores: policy.notices,
    summary: summarize(policy.findings, options.failOn ?? 'high', policy.suppressed, run.incomplete),
    graphs,
  };
}

/** The same project with nothing wrong: for the "✔ no findings" verdict. */
export async function buildCleanAuditResult(): Promise<AuditResult> {
  const graphs = [pnpmGraph()];
  const run = await runChecks(graphs, [{ check: integrity, options: undefined }], {
    offline: false,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  return {
    tool: { name: 'pkgguard', version: TOOL_VERSION },
    projectDir: PROJECT_DIR,
    repoPrefix: '',
    lockfiles: graphs.map((graph) => ({ ...graph.lockfile, packageCount: graph.packages.length })),
    checks: [integrity.meta],
    findings: run.findings,
    incomplete: run.incomplete,
    skipped: [],
    notes: [],
    ignores: [],
    summary: summarize(run.findings, 'high', 0, run.incomplete),
    graphs,
  };
}
