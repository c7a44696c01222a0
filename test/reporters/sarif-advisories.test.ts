/**
 * SARIF for run-time rules: the `advisory` and `malicious` checks report under advisory ids, and
 * the log gets one rule per advisory with its summary, details, page and CVSS score, as
 * osv-scanner's does. Findings come from the real checks and engine on
 * fixtures/projects/advisories, with the advisory layer replaced by an injected lookup. The
 * JSON and text reporters' view of the same findings is asserted here too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AdvisoriesModule from '../../src/advisories/index.ts';
import type { AdvisoryLookupRequest } from '../../src/advisories/index.ts';
import advisory from '../../src/checks/advisory.ts';
import malicious from '../../src/checks/malicious.ts';
import { runChecks } from '../../src/core/engine.ts';
import { fingerprintOf } from '../../src/core/fingerprint.ts';
import { summarize } from '../../src/core/policy.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import { toJsonReport } from '../../src/reporters/json.ts';
import { toSarifLog } from '../../src/reporters/sarif.ts';
import { formatText } from '../../src/reporters/text.ts';
import { createFakeLookup, type FakeLookup } from '../checks/advisory/fake-lookup.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';
import { loadOasisSarifSchema } from './sarif/oasis-schema.ts';
import type { SarifRule } from './sarif/rule.ts';

const fake = vi.hoisted(() => ({ current: undefined as FakeLookup | undefined }));

vi.mock('../../src/advisories/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof AdvisoriesModule>();
  return { ...original, lookupAdvisories: (request: AdvisoryLookupRequest) => fake.current!.answer(request) };
});

const PROJECT_DIR = path.join(REPO_ROOT, 'fixtures', 'projects', 'advisories');

async function buildResult(): Promise<AuditResult> {
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === 'npm')!;
  const absolutePath = path.join(PROJECT_DIR, 'package-lock.json');
  const graph = await parser.parse({ path: 'package-lock.json', absolutePath, text: await readFile(absolutePath, 'utf8') });
  const checks = [advisory, malicious];
  const run = await runChecks([graph], checks.map((check) => ({ check, options: undefined })), {
    offline: false,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  return {
    tool: { name: 'pkgguard', version: '1.0.0' },
    projectDir: PROJECT_DIR,
    repoPrefix: '',
    lockfiles: [{ ...graph.lockfile, packageCount: graph.packages.length }],
    checks: checks.map((check) => check.meta),
    findings: run.findings,
    incomplete: run.incomplete,
    skipped: run.skipped,
    notes: run.notes,
    ignores: [],
    summary: summarize(run.findings, 'high', 0, run.incomplete),
    graphs: [graph],
  };
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  partialFingerprints: Record<string, string>;
  properties: { packageName: string };
}
interface Log {
  runs: { tool: { driver: { rules: SarifRule[] } }; results: Result[] }[];
}

let result: AuditResult;
let log: Log;
beforeAll(async () => {
  fake.current = createFakeLookup();
  result = await buildResult();
  log = toSarifLog(result) as unknown as Log;
});

describe('SARIF rules for advisories', () => {
  it('has one rule per advisory next to the checks\' declared rules, sorted by id', () => {
    expect(log.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toEqual([
      'GHSA-97m3-w2cp-4xx6',
      'GHSA-mh6f-8j2x-4483',
      'GHSA-p6mc-m468-83gw',
      'GHSA-pjwm-rvh2-c87w',
      'GHSA-xvch-5gv4-984h',
      'advisory/vulnerable',
      'malicious/malware',
    ]);
  });

  it('describes a vulnerability with the advisory\'s summary, details, page and CVSS score', () => {
    const rule = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'GHSA-p6mc-m468-83gw')!;
    const details =
      'Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution.\n\nThe function zipObjectDeep allows a malicious user to modify the prototype of Object.';
    expect(rule).toEqual({
      id: 'GHSA-p6mc-m468-83gw',
      name: 'GhsaP6mcM46883gw',
      shortDescription: { text: 'Prototype Pollution in lodash' },
      fullDescription: { text: details },
      help: {
        text:
          `Prototype Pollution in lodash.\n\n${details}\n\n` +
          'How to fix: Each result names its own fix (result property "fix").\n\n' +
          'Advisory: https://github.com/advisories/GHSA-p6mc-m468-83gw\n\n' +
          "Reported by pkgguard's advisory check: https://github.com/pkgguard/pkgguard#advisory",
        markdown:
          `**Prototype Pollution in lodash**\n\n${details}\n\n` +
          '**How to fix:** Each result names its own fix (result property `fix`).\n\n' +
          '[Advisory](https://github.com/advisories/GHSA-p6mc-m468-83gw)\n\n' +
          "Reported by pkgguard's [`advisory` check](https://github.com/pkgguard/pkgguard#advisory).",
      },
      helpUri: 'https://github.com/advisories/GHSA-p6mc-m468-83gw',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'vulnerability', 'supply-chain', 'CWE-1321', 'CWE-770'],
        precision: 'very-high',
        'problem.severity': 'error',
        'security-severity': '7.4',
      },
    });
  });

  it('falls back to the severity band when an advisory has no CVSS score, and tags malware', () => {
    const rule = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'GHSA-pjwm-rvh2-c87w')!;
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.properties.tags).toEqual(['security', 'malware', 'supply-chain', 'CWE-506']);
    // No details published: the summary serves as both descriptions.
    expect(rule.fullDescription.text).toBe('Embedded malware in ua-parser-js');
  });

  it('points every result at its advisory\'s rule, one rule for two packages of one advisory', () => {
    const run = log.runs[0]!;
    const pairs = run.results.map((r) => [r.properties.packageName, r.ruleId, run.tool.driver.rules[r.ruleIndex]!.id]);
    expect(pairs).toEqual([
      ['event-stream', 'GHSA-mh6f-8j2x-4483', 'GHSA-mh6f-8j2x-4483'],
      ['flatmap-stream', 'GHSA-mh6f-8j2x-4483', 'GHSA-mh6f-8j2x-4483'],
      ['lodash', 'GHSA-p6mc-m468-83gw', 'GHSA-p6mc-m468-83gw'],
      ['minimist', 'GHSA-xvch-5gv4-984h', 'GHSA-xvch-5gv4-984h'],
      ['node-ipc', 'GHSA-97m3-w2cp-4xx6', 'GHSA-97m3-w2cp-4xx6'],
      ['ua-parser-js', 'GHSA-pjwm-rvh2-c87w', 'GHSA-pjwm-rvh2-c87w'],
    ]);
    // Fixes name their package, so a rule defers to its results (as for declared rules).
    const shared = run.tool.driver.rules.find((r) => r.id === 'GHSA-mh6f-8j2x-4483')!;
    expect(shared.help.text).toContain('How to fix: Each result names its own fix (result property "fix").');
  });

  it('keeps fingerprints keyed by the advisory id, independent of the line', () => {
    const lodash = log.runs[0]!.results.find((r) => r.properties.packageName === 'lodash')!;
    const expected = fingerprintOf({ ruleId: 'GHSA-p6mc-m468-83gw', file: 'package-lock.json', packageId: 'node_modules/lodash', name: 'lodash', version: '4.17.15' });
    expect(lodash.partialFingerprints).toEqual({ 'pkgguard/v1': expected, primaryLocationLineHash: expected });
  });

  it('is valid against the OASIS SARIF 2.1.0 schema', () => {
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
    ajv.addFormat('uri', (value: string) => URL.canParse(value));
    ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/'));
    ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile(loadOasisSarifSchema());
    expect(validate(toSarifLog(result)), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('JSON and text for advisories', () => {
  it('JSON carries the advisory id as ruleId and its text as `rule`, valid against the report schema', async () => {
    const report = toJsonReport(result);
    const lodash = report.findings.find((f) => f.package.name === 'lodash')!;
    expect(lodash.ruleId).toBe('GHSA-p6mc-m468-83gw');
    expect(lodash.rule).toEqual({
      description: 'Prototype Pollution in lodash',
      help: 'Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution.\n\nThe function zipObjectDeep allows a malicious user to modify the prototype of Object.',
      helpUri: 'https://github.com/advisories/GHSA-p6mc-m468-83gw',
      score: 7.4,
      tags: ['CWE-1321', 'CWE-770'],
    });
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'src', 'schemas', 'report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the report schema still rejects a ruleId that is neither <check>/<rule> nor an advisory id', async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'src', 'schemas', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    const report = JSON.parse(JSON.stringify(toJsonReport(result))) as { findings: { ruleId: string }[] };
    report.findings[0]!.ruleId = 'not an id';
    expect(validate(report)).toBe(false);
  });

  it('text shows the advisory id, its summary and its page', () => {
    const text = formatText(result, false);
    expect(text).toContain(
      [
        '  high      lodash@4.17.15 is affected by GHSA-p6mc-m468-83gw (Prototype Pollution in lodash); fixed in 4.17.19  GHSA-p6mc-m468-83gw',
        '      package-lock.json:60:5',
        '      via advisory-demo@1.0.0 > lodash@4.17.15',
        '      see https://github.com/advisories/GHSA-p6mc-m468-83gw',
        '      fix: Upgrade lodash to 4.17.19 or later (the project declares 4.17.15)',
        '      $ npm install lodash@4.17.19',
      ].join('\n'),
    );
  });
});
