import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import { createDependencyGraph, type PackageNode } from '../../src/core/graph.ts';
import { summarize } from '../../src/core/policy.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import type { Severity } from '../../src/core/severity.ts';
import sarif, { artifactUri, MAX_RESULTS, pascalCase, toSarifLog } from '../../src/reporters/sarif.ts';
import { buildCanonicalAuditResult, buildCleanAuditResult, PROJECT_DIR } from '../helpers/audit-result.ts';
import { probeMultitool, validateWithMultitool } from './sarif/multitool.ts';
import { loadOasisSarifSchema } from './sarif/oasis-schema.ts';
import type { SarifRule } from './sarif/rule.ts';

/* The parts of a SARIF log these tests read. */
interface Region { startLine: number; startColumn: number; endLine: number; endColumn: number }
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Region } }[];
  partialFingerprints: Record<string, string>;
  properties: { severity: string; packageName: string; packageVersion: string; dependencyPath: string[]; fix?: object };
}
interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
  automationDetails: { id: string };
  columnKind: string;
  invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
  results: SarifResult[];
}
interface SarifLog { $schema: string; version: string; runs: SarifRun[] }

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED_VALIDATOR = path.resolve(REPO_ROOT, '../shared/tools/validate-sarif.sh');
const VALIDATOR_CACHE = path.join(process.env['PKGGUARD_VALIDATORS_DIR'] ?? '/tmp/pkgguard-validators', 'sarif', '.pgv-installed');

function parse(text: string): SarifLog {
  return JSON.parse(text) as SarifLog;
}

async function canonicalSarif(): Promise<string> {
  return sarif.format(await buildCanonicalAuditResult(), { color: false });
}

function runOf(text: string): SarifRun {
  return parse(text).runs[0]!;
}

function createOasisValidator() {
  // A CommonJS module whose class is also its `default` property; the latter types cleanly.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  // The schema's formats, without pulling in ajv-formats for three keywords.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i.test(value));
  return ajv.compile(loadOasisSarifSchema());
}

const node = (id: string, name: string, line: number, column: number, deps: string[] = []): PackageNode => ({
  id,
  name,
  version: '1.0.0',
  source: id === '' ? { type: 'directory', path: '.' } : { type: 'registry' },
  flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
  hasInstallScript: false,
  location: { file: 'apps/web shop/package-lock.json', line, column },
  dependencies: deps.map((to) => ({ name: to, spec: '^1.0.0', type: 'prod' as const, to })),
});

/**
 * A lockfile with `count` packages and a check that flags every one: the first ten reported
 * last (at the end of the lockfile) but `critical`, the rest `low`. Tags and descriptions are
 * oversized on purpose.
 */
async function buildLargeAuditResult(count: number): Promise<AuditResult> {
  const names = Array.from({ length: count }, (_, i) => `pkg-${String(i).padStart(5, '0')}`);
  const packages = names.map((name, i) => node(`node_modules/${name}`, name, 10 + i * 5, 0));
  const graph = createDependencyGraph({
    lockfile: { path: 'apps/web shop/package-lock.json', format: 'npm', formatVersion: '3' },
    root: node('', 'web-shop', 0, 0, packages.map((p) => p.id)),
    importers: [],
    packages,
  });
  const flagged = defineCheck({
    meta: {
      id: 'flagged',
      description: `Flagged package ${'x'.repeat(1100)}`,
      rationale: 'Why it matters.',
      defaultSeverity: 'low',
      requiresNetwork: false,
      docs: 'https://github.com/pkgguard/pkgguard#flagged',
      tags: Array.from({ length: 15 }, (_, i) => `tag-${i}`),
      rules: { any: { description: `Flagged package ${'x'.repeat(1100)}`, message: '{{name}}@{{version}} is flagged' } },
    },
    run(context) {
      context.graph.packages.forEach((pkg, i) => {
        const severity: Severity = i >= count - 10 ? 'critical' : 'low';
        context.report({ node: pkg, rule: 'any', severity });
      });
    },
  });
  const run = await runChecks([graph], [{ check: flagged, options: undefined }], {
    offline: false,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  return {
    tool: { name: 'pkgguard', version: '2.0.0-rc.1' },
    projectDir: '/srv/checkout',
    repoPrefix: '',
    lockfiles: [{ ...graph.lockfile, packageCount: graph.packages.length }],
    checks: [flagged.meta],
    findings: run.findings,
    incomplete: run.incomplete,
    skipped: [],
    notes: [],
    ignores: [],
    summary: summarize(run.findings, 'high', 0, run.incomplete),
    graphs: [graph],
  };
}

describe('sarif reporter', () => {
  it('matches the golden log for the canonical audit', async () => {
    await expect(await canonicalSarif()).toMatchFileSnapshot('./__snapshots__/canonical.sarif');
  });

  it('validates against the OASIS SARIF 2.1.0 (errata01) schema', async () => {
    const validate = createOasisValidator();
    for (const text of [await canonicalSarif(), sarif.format(await buildCleanAuditResult(), { color: false })]) {
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
    }
    // The validator is not vacuous: a result without a location region is rejected.
    const broken = parse(await canonicalSarif());
    (broken.runs[0]!.results[0]!.locations[0]!.physicalLocation as { region?: unknown }).region = { startColumn: 2 };
    expect(validate(broken)).toBe(false);
  });

  it('describes the tool and the run', async () => {
    const log = parse(await canonicalSarif());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    const { rules, ...driver } = run.tool.driver;
    expect(driver).toEqual({ name: 'pkgguard', version: '1.4.0', semanticVersion: '1.4.0', informationUri: 'https://github.com/pkgguard/pkgguard' });
    // Every rule of the checks that ran, with or without results; not the skipped check's.
    expect(rules.map((rule) => rule.id)).toEqual([
      'advisory/vulnerable',
      'install-scripts/present',
      'integrity/missing',
      'integrity/weak',
      'lockfile-source/insecure-protocol',
      'malicious/known',
    ]);
    expect(run.automationDetails).toEqual({ id: 'pkgguard/' });
    expect(run.columnKind).toBe('unicodeCodePoints');
  });

  it('builds each rule from the check metadata', async () => {
    const rules = runOf(await canonicalSarif()).tool.driver.rules;
    expect(rules[2]).toEqual({
      id: 'integrity/missing',
      name: 'IntegrityMissing',
      shortDescription: { text: 'Lockfile entry has no integrity hash' },
      fullDescription: {
        text: 'Without an integrity hash, or with only sha1, the package manager cannot tell a tampered tarball from the one that was locked.',
      },
      help: {
        text: [
          'Lockfile entry has no integrity hash.',
          'Why it matters: Without an integrity hash, or with only sha1, the package manager cannot tell a tampered tarball from the one that was locked.',
          'How to fix: Regenerate the lockfile entry. Run: npm install --package-lock-only',
          'Documentation: https://github.com/pkgguard/pkgguard#integrity',
        ].join('\n\n'),
        markdown: [
          '**Lockfile entry has no integrity hash**',
          'Without an integrity hash, or with only sha1, the package manager cannot tell a tampered tarball from the one that was locked.',
          '**How to fix:** Regenerate the lockfile entry.',
          '`npm install --package-lock-only`',
          '[Documentation](https://github.com/pkgguard/pkgguard#integrity)',
        ].join('\n\n'),
      },
      helpUri: 'https://github.com/pkgguard/pkgguard#integrity',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'supply-chain', 'integrity'], precision: 'high', 'problem.severity': 'error', 'security-severity': '8.0' },
    });
    // Rules without results carry their default severity; the others their most serious result's.
    expect(rules.map((rule) => [rule.defaultConfiguration.level, rule.properties['security-severity']])).toEqual([
      ['error', '8.0'],
      ['warning', '2.0'],
      ['error', '8.0'],
      ['warning', '5.5'],
      ['error', '8.0'],
      ['error', '9.5'],
    ]);
  });

  it('keeps package-specific fixes out of the rule help', async () => {
    const rule = runOf(await canonicalSarif()).tool.driver.rules[4]!;
    expect(rule.help.text).toContain('How to fix: Each result names its own fix (result property "fix").');
    expect(rule.help.text).not.toContain('hasown');
  });

  it('points each result at its lockfile line with a repository-relative URI', async () => {
    const results = runOf(await canonicalSarif()).results;
    expect(results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['integrity/weak', 3, 'warning', 31],
      ['malicious/known', 5, 'error', 48],
      ['integrity/missing', 2, 'error', 57],
      ['lockfile-source/insecure-protocol', 4, 'error', 120],
    ]);
    expect(results[0]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'services/api/package-lock.json', uriBaseId: '%SRCROOT%' },
          region: { startLine: 31, startColumn: 5, endLine: 31, endColumn: 6 },
        },
      },
    ]);
  });

  it('fingerprints without line numbers under its own key and primaryLocationLineHash', async () => {
    const result = await buildCanonicalAuditResult();
    const results = runOf(sarif.format(result, { color: false })).results;
    results.forEach((r, i) => {
      const { fingerprint } = result.findings[i]!;
      expect(r.partialFingerprints).toEqual({ 'pkgguard/v1': fingerprint, primaryLocationLineHash: fingerprint });
    });
    const moved = { ...result, findings: result.findings.map((f) => ({ ...f, location: { ...f.location, line: f.location.line + 40 } })) };
    expect(runOf(sarif.format(moved, { color: false })).results.map((r) => r.partialFingerprints)).toEqual(results.map((r) => r.partialFingerprints));
  });

  it('carries severity, package, dependency path and fix as result properties', async () => {
    const results = runOf(await canonicalSarif()).results;
    expect(results[3]!.properties).toEqual({
      severity: 'high',
      packageName: 'hasown',
      packageVersion: '2.0.0',
      dependencyPath: [
        'shop-api@3.2.0', 'jest@29.7.0', '@jest/core@29.7.0', 'jest-runtime@29.7.0',
        'jest-resolve@29.7.0', 'resolve@1.22.8', 'is-core-module@2.13.1', 'hasown@2.0.0',
      ],
      fix: { description: 'Switch the registry of hasown to https and reinstall' },
    });
  });

  it('sanitizes and redacts messages, and never leaks the machine', async () => {
    const text = await canonicalSarif();
    const results = runOf(text).results;
    expect(results[1]!.message.text).toBe('colors\\x1b[2K\\u202etxt.exe@1.4.44 is known to be malicious (MAL-2025-1234)');
    expect(results[3]!.message.text).toBe('hasown@2.0.0 is downloaded over http: http://ci-bot:***@registry.npm.example/hasown/-/hasown-2.0.0.tgz?token=***');
    // eslint-disable-next-line no-control-regex -- looking for a raw ESC is the point
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).not.toContain('s3cr3t-pa55');
    expect(text).not.toContain(PROJECT_DIR);
    expect(text).not.toContain('file:');
    expect(text).not.toMatch(/"stack"|Time(Utc)?"/);
  });

  it('reports an incomplete audit as an unsuccessful invocation with one error per entry', async () => {
    const [invocation] = runOf(await canonicalSarif()).invocations;
    expect(invocation!.executionSuccessful).toBe(false);
    expect(invocation!.toolExecutionNotifications!.map((n) => [n.level, n.message.text])).toEqual([
      ['error', 'Check "advisory" did not finish on package-lock.json (ESOURCE): offline advisory database .pkgguard-cache/osv.zip is missing; run: pkgguard db update'],
      ['error', `Check "install-scripts" did not finish on package-lock.json (ECHECKCRASH): check "install-scripts" crashed on package-lock.json: Cannot read properties of undefined (reading 'scripts')`],
      ['error', 'Check "advisory" did not finish on tools/pnpm-lock.yaml (ESOURCE): offline advisory database .pkgguard-cache/osv.zip is missing; run: pkgguard db update'],
      ['note', 'Check "signatures" was skipped: needs the network; skipped by --offline'],
    ]);
    expect(runOf(sarif.format(await buildCleanAuditResult(), { color: false })).invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('describes the rules of a clean audit, with no results', async () => {
    const run = runOf(sarif.format(await buildCleanAuditResult(), { color: false }));
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules.map((rule) => [rule.id, rule.properties['security-severity']])).toEqual([
      ['integrity/missing', '8.0'],
      ['integrity/weak', '5.5'],
    ]);
  });

  it('is deterministic', async () => {
    expect(await canonicalSarif()).toBe(await canonicalSarif());
  });
});

describe('sarif reporter within GitHub limits', () => {
  it('keeps the 5,000 most severe results and says what it left out', async () => {
    const result = await buildLargeAuditResult(MAX_RESULTS + 1);
    const log = toSarifLog(result) as unknown as SarifLog;
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(MAX_RESULTS);
    expect(run.results.filter((r) => r.properties.severity === 'critical')).toHaveLength(10);
    expect(run.results.map((r) => r.properties.packageName)).not.toContain('pkg-04990');
    expect(run.results.map((r) => r.properties.packageName).slice(-2)).toEqual(['pkg-04999', 'pkg-05000']);
    expect(run.invocations[0]!.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'Left out the 1 least severe of 5,001 findings: GitHub code scanning keeps at most 5,000 results per run. The JSON report has all of them.' },
      },
    ]);
  });

  it('caps tags and descriptions, encodes URIs and clamps a column 0', async () => {
    const run = (toSarifLog(await buildLargeAuditResult(3)) as unknown as SarifLog).runs[0]!;
    const [rule] = run.tool.driver.rules;
    expect(rule!.properties.tags).toEqual(['security', ...Array.from({ length: 9 }, (_, i) => `tag-${i}`)]);
    expect(Array.from(rule!.shortDescription.text)).toHaveLength(1024);
    expect(rule!.shortDescription.text.endsWith('x…')).toBe(true);
    expect(rule!.properties['security-severity']).toBe('9.5');
    expect(rule!.defaultConfiguration.level).toBe('warning');
    const location = run.results[0]!.locations[0]!.physicalLocation;
    expect(location.artifactLocation.uri).toBe('apps/web%20shop/package-lock.json');
    expect(run.invocations[0]!.toolExecutionNotifications).toBeUndefined();
    expect(location.region).toEqual({ startLine: 10, startColumn: 1, endLine: 10, endColumn: 2 });
  });

  it('bounds a result message to 2,000 characters', async () => {
    const result = await buildLargeAuditResult(1);
    const finding = { ...result.findings[0]!, message: `pkg-00000@1.0.0 ${'é'.repeat(3000)}` };
    const { text } = (toSarifLog({ ...result, findings: [finding] }) as unknown as SarifLog).runs[0]!.results[0]!.message;
    expect(Array.from(text)).toHaveLength(2000);
    expect(text.endsWith('éé…')).toBe(true);
  });

  it('clamps a line 0 location to the first line', async () => {
    const result = await buildLargeAuditResult(1);
    const finding = { ...result.findings[0]!, location: { file: 'package-lock.json', line: 0, column: -3 } };
    const region = (toSarifLog({ ...result, findings: [finding] }) as unknown as SarifLog).runs[0]!.results[0]!.locations[0]!.physicalLocation.region;
    expect(region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
  });
});

describe('artifactUri', () => {
  it.each([
    ['', 'package-lock.json', 'package-lock.json'],
    ['services/api/', 'package-lock.json', 'services/api/package-lock.json'],
    ['apps/web shop/', 'sub/yarn.lock', 'apps/web%20shop/sub/yarn.lock'],
    ['', 'odd/#1?/100%.lock', 'odd/%231%3F/100%25.lock'],
    ['packages/@acme/ui/', 'pnpm-lock.yaml', 'packages/@acme/ui/pnpm-lock.yaml'],
    ['', 'c:lock/x', 'c%3Alock/x'],
    ['', './a//b\\c.lock', 'a/b/c.lock'],
  ])('encodes %j + %j as %j', (prefix, file, expected) => {
    expect(artifactUri(prefix, file)).toBe(expected);
  });
});

describe('pascalCase', () => {
  it.each([
    ['integrity/missing', 'IntegrityMissing'],
    ['lockfile-source/insecure-protocol', 'LockfileSourceInsecureProtocol'],
    ['advisory/GHSA-xxxx-yyyy', 'AdvisoryGHSAXxxxYyyy'],
  ])('names %s %s', (ruleId, expected) => {
    expect(pascalCase(ruleId)).toBe(expected);
  });
});

const multitool = probeMultitool();

describe('Microsoft SARIF Multitool', () => {
  if ('reason' in multitool) {
    it.skip(`validate with rule kinds Sarif;Ghas and GH1001-GH1007 (skipped: ${multitool.reason})`, () => {});
    return;
  }
  const { binary } = multitool;

  it.each([
    ['the canonical log', canonicalSarif],
    ['the log of a clean audit', async () => sarif.format(await buildCleanAuditResult(), { color: false })],
  ])('finds no errors or warnings in %s', async (_name, build) => {
    const report = validateWithMultitool(binary, await build());
    expect(report.findings).toEqual([]);
    expect(report.configurationNotices).toEqual([
      "Rule 'SARIF2006' was explicitly disabled by the user. As result, this tool run cannot be used for compliance or other auditing processes that require a comprehensive analysis.",
    ]);
  }, 120_000);

  it('enforces the GitHub rules (a region-less, argument-only result is rejected)', async () => {
    const broken = parse(await canonicalSarif());
    const result = broken.runs[0]!.results[0]! as unknown as { message: object; locations: { physicalLocation: { region?: object } }[] };
    delete result.locations[0]!.physicalLocation.region;
    result.message = { id: 'default', arguments: ['x'] };
    const ruleIds = validateWithMultitool(binary, JSON.stringify(broken)).findings.map((f) => f.ruleId);
    expect(ruleIds).toEqual(expect.arrayContaining(['GH1003', 'GH1007']));
  }, 120_000);
});

describe('shared validate-sarif.sh', () => {
  const reason = !existsSync(SHARED_VALIDATOR)
    ? '../shared/tools is absent'
    : !existsSync(VALIDATOR_CACHE)
      ? 'its pinned validators are not installed and tests stay off the network; run ../shared/tools/validate-sarif.sh once by hand'
      : undefined;
  if (reason) {
    it.skip(`validate-sarif.sh --strict accepts the canonical log (skipped: ${reason})`, () => {});
    return;
  }

  it('validate-sarif.sh --strict accepts the canonical log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pkgguard-sarif-'));
    const file = path.join(dir, 'canonical.sarif');
    writeFileSync(file, await canonicalSarif());
    const run = spawnSync('bash', [SHARED_VALIDATOR, '--strict', file], { encoding: 'utf8', timeout: 300_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stdout).toContain('validate-sarif: OK — 0 error(s), 0 warning(s)');
    expect(run.status).toBe(0);
  }, 300_000);
});
