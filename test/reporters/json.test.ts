import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import { createDependencyGraph, LOCKFILE_FORMATS, type PackageNode } from '../../src/core/graph.ts';
import { summarize } from '../../src/core/policy.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { FAIL_ON_VALUES, SEVERITIES } from '../../src/core/severity.ts';
import json, { toJsonReport } from '../../src/reporters/json.ts';
import { buildCanonicalAuditResult, buildCleanAuditResult, HOSTILE_NAME, PROJECT_DIR } from '../helpers/audit-result.ts';

const schema = JSON.parse(readFileSync(new URL('../../src/schemas/report.schema.json', import.meta.url), 'utf8')) as {
  $defs: Record<string, { enum?: string[]; properties?: Record<string, { enum?: string[] }> }>;
};

function createValidator() {
  // strictRequired is ajv's own lint, and it flags `anyOf: [{ required: [a] }, { required: [b] }]`,
  // the standard JSON Schema idiom for "at least one of" that the ignore notices use.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  // The only format the schema uses; ajv-formats is not a dependency for one keyword.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

/** A second, independent AuditResult: a tiny graph, engine findings from an inline check. */
async function buildTinyAuditResult(): Promise<AuditResult> {
  const node = (id: string, name: string, line: number, deps: string[] = []): PackageNode => ({
    id,
    name,
    version: '1.0.0',
    source: id === '' ? { type: 'directory', path: '.' } : { type: 'registry' },
    flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
    hasInstallScript: name === 'b',
    location: { file: 'yarn.lock', line, column: 1 },
    dependencies: deps.map((to) => ({ name: to, spec: '^1.0.0', type: 'prod' as const, to })),
  });
  const graph = createDependencyGraph({
    lockfile: { path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1' },
    root: node('', 'app', 1, ['a']),
    importers: [],
    packages: [node('a', 'a', 5, ['b']), node('b', 'b', 9)],
  });
  const scripts = defineCheck({
    meta: {
      id: 'install-scripts',
      description: 'Packages that run install scripts',
      rationale: 'Install scripts run with the installing user’s permissions.',
      defaultSeverity: 'low',
      requiresNetwork: false,
      docs: 'https://github.com/pkgguard/pkgguard#install-scripts',
      tags: [],
      rules: { present: { description: 'Package runs an install script', message: '{{name}}@{{version}} runs {{script}}' } },
    },
    run(context) {
      for (const n of context.graph.packages) if (n.hasInstallScript) context.report({ node: n, rule: 'present', data: { script: 'postinstall', count: 1 } });
    },
  });
  const run = await runChecks([graph], [{ check: scripts, options: undefined }], {
    offline: false,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  return {
    tool: { name: 'pkgguard', version: '0.0.0-test' },
    projectDir: '/tmp/project',
    repoPrefix: '',
    lockfiles: [{ ...graph.lockfile, packageCount: graph.packages.length }],
    checks: [scripts.meta],
    findings: run.findings,
    incomplete: run.incomplete,
    skipped: [],
    notes: [],
    ignores: [],
    summary: summarize(run.findings, 'low', 0, run.incomplete),
    graphs: [graph],
  };
}

describe('json reporter', () => {
  it('matches the golden document for the canonical audit', async () => {
    const result = await buildCanonicalAuditResult();
    await expect(json.format(result, { color: false })).toMatchFileSnapshot('./__snapshots__/canonical.json');
  });

  it('produces documents that validate against src/schemas/report.schema.json', async () => {
    const validate = createValidator();
    for (const result of [await buildCanonicalAuditResult(), await buildCleanAuditResult(), await buildTinyAuditResult()]) {
      const document: unknown = JSON.parse(json.format(result, { color: false }));
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('reports the tiny audit exactly', async () => {
    expect(toJsonReport(await buildTinyAuditResult())).toEqual({
      schemaVersion: 1,
      tool: { name: 'pkgguard', version: '0.0.0-test' },
      lockfiles: [{ path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1', packageCount: 2 }],
      findings: [
        {
          checkId: 'install-scripts',
          ruleId: 'install-scripts/present',
          severity: 'low',
          message: 'b@1.0.0 runs postinstall',
          package: { name: 'b', version: '1.0.0', id: 'b', path: ['app@1.0.0', 'a@1.0.0', 'b@1.0.0'] },
          location: { file: 'yarn.lock', line: 9, column: 1 },
          data: { name: 'b', version: '1.0.0', script: 'postinstall', count: 1 },
          helpUri: 'https://github.com/pkgguard/pkgguard#install-scripts',
          fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
        },
      ],
      incomplete: [],
      skipped: [],
      notes: [],
      ignores: [],
      summary: { total: 1, bySeverity: { critical: 0, high: 0, moderate: 0, low: 1, info: 0 }, suppressed: 0, baselined: 0, failOn: 'low', failing: 1, incomplete: false },
    });
  });

  it('writes keys in a fixed order, 2-space indented, with a trailing newline', async () => {
    const text = json.format(await buildCanonicalAuditResult(), { color: false });
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
    const document = JSON.parse(text) as { findings: Record<string, unknown>[]; summary: { bySeverity: object } };
    expect(Object.keys(document)).toEqual(['schemaVersion', 'tool', 'lockfiles', 'findings', 'incomplete', 'skipped', 'notes', 'ignores', 'summary']);
    expect(Object.keys(document.findings[1]!)).toEqual([
      'checkId', 'ruleId', 'severity', 'message', 'package', 'location', 'fix', 'references', 'data', 'helpUri', 'fingerprint',
    ]);
    expect(Object.keys(document.summary.bySeverity)).toEqual(['critical', 'high', 'moderate', 'low', 'info']);
  });

  it('never prints the absolute project directory, crash stacks or credentials', async () => {
    const result = await buildCanonicalAuditResult();
    expect(result.incomplete.some((entry) => entry.stack !== undefined)).toBe(true);
    const text = json.format(result, { color: false });
    expect(text).not.toContain(PROJECT_DIR);
    expect(text).not.toContain('"stack"');
    expect(text).not.toContain('s3cr3t-pa55');
    expect(text).not.toContain('abc123');
    const document = JSON.parse(text) as { incomplete: { message: string }[] };
    expect(document.incomplete[0]!.message).toBe('offline advisory database .pkgguard-cache/osv.zip is missing; run: pkgguard db update');
  });

  it('keeps hostile names exact in the data but escapes them in the bytes', async () => {
    const text = json.format(await buildCanonicalAuditResult(), { color: false });
    // eslint-disable-next-line no-control-regex -- looking for a raw ESC is the point
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('"name": "colors\\u001b[2K\\u202etxt.exe"');
    const document = JSON.parse(text) as { findings: { package: { name: string } }[] };
    expect(document.findings.map((f) => f.package.name)).toContain(HOSTILE_NAME);
  });

  it('is deterministic', async () => {
    const a = json.format(await buildCanonicalAuditResult(), { color: false });
    const b = json.format(await buildCanonicalAuditResult(), { color: false });
    expect(a).toBe(b);
  });
});

describe('report.schema.json', () => {
  it('is strict: unknown keys, absolute paths and missing fields are rejected', async () => {
    const validate = createValidator();
    const good = toJsonReport(await buildTinyAuditResult());
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, extra: true })).toBe(false);
    expect(validate({ ...good, lockfiles: [{ ...good.lockfiles[0]!, path: '/home/me/app/yarn.lock' }] })).toBe(false);
    expect(validate({ ...good, findings: [{ ...good.findings[0]!, location: { file: 'yarn.lock', line: 0, column: 1 } }] })).toBe(false);
    expect(validate(Object.fromEntries(Object.entries(good).filter(([key]) => key !== 'summary')))).toBe(false);
    expect(validate({ ...good, incomplete: [{ checkId: 'advisory', kind: 'crashed', code: 'ECHECKCRASH', message: 'x', stack: 'at …' }] })).toBe(false);
  });

  it('names the same severities, lockfile formats and fail-on values as the code', () => {
    expect(schema.$defs['severity']!.enum).toEqual([...SEVERITIES]);
    expect(schema.$defs['lockfile']!.properties!['format']!.enum).toEqual([...LOCKFILE_FORMATS]);
    expect(schema.$defs['summary']!.properties!['failOn']!.enum).toEqual([...FAIL_ON_VALUES]);
  });

  it('ships with the package under the documented export', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      files: string[];
      exports: Record<string, unknown>;
    };
    expect(manifest.files).toContain('src/schemas');
    expect(resolveExport(manifest.exports, './schemas/report.schema.json')).toBe('./src/schemas/report.schema.json');
  });
});

/** Node's subpath resolution, as far as string targets go: an exact key wins over a `*` pattern. */
function resolveExport(exports: Record<string, unknown>, subpath: string): unknown {
  if (subpath in exports) return exports[subpath];
  for (const [key, target] of Object.entries(exports)) {
    const star = key.indexOf('*');
    if (star < 0 || typeof target !== 'string') continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      return target.replace('*', subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}
