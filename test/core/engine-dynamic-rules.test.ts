/**
 * Run-time rules (ReportDescriptor.dynamicRule): the finding's ruleId is the dynamic id, its
 * message still comes from the declared rule's template, the rule's text travels on the
 * finding, severities stack in the documented order, and fingerprints follow the dynamic id.
 */
import { describe, expect, it } from 'vitest';
import { defineCheck, type DynamicRule } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import { fingerprintOf } from '../../src/core/fingerprint.ts';
import type { Severity } from '../../src/core/severity.ts';
import { graphOf } from '../helpers/graph.ts';

const RULE: DynamicRule = {
  id: 'GHSA-xvch-5gv4-984h',
  description: 'Prototype Pollution in minimist',
  help: 'minimist before 1.2.6 is vulnerable to Prototype Pollution.',
  helpUri: 'https://github.com/advisories/GHSA-xvch-5gv4-984h',
  severity: 'critical',
  score: 9.8,
  tags: ['CWE-1321'],
};

function checkReporting(descriptor: { rule?: string; severity?: Severity; dynamicRule?: DynamicRule }) {
  return defineCheck({
    meta: {
      id: 'known',
      description: 'Known things',
      rationale: 'Because.',
      defaultSeverity: 'low',
      requiresNetwork: false,
      docs: 'https://github.com/pkgguard/pkgguard#known',
      tags: [],
      rules: { hit: { description: 'A hit', message: '{{name}}@{{version}} hit {{id}}', severity: 'moderate' } },
    },
    run(context) {
      const node = context.graph.packages[0]!;
      context.report({
        node,
        rule: (descriptor.rule ?? 'hit') as 'hit',
        data: { id: RULE.id },
        ...(descriptor.severity ? { severity: descriptor.severity } : {}),
        ...(descriptor.dynamicRule ? { dynamicRule: descriptor.dynamicRule } : {}),
      });
    },
  });
}

async function run(descriptor: Parameters<typeof checkReporting>[0], configured?: Severity) {
  const graph = graphOf([{ name: 'minimist', version: '1.2.5' }]);
  const result = await runChecks([graph], [{ check: checkReporting(descriptor), options: undefined, severity: configured }], {
    offline: false,
    signal: new AbortController().signal,
    log: { debug() {}, warn() {} },
  });
  return result;
}

describe('dynamic rules', () => {
  it('report under the dynamic id with the declared message and the rule text', async () => {
    const { findings } = await run({ dynamicRule: RULE });
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.ruleId).toBe('GHSA-xvch-5gv4-984h');
    expect(finding!.checkId).toBe('known');
    expect(finding!.message).toBe('minimist@1.2.5 hit GHSA-xvch-5gv4-984h');
    expect(finding!.helpUri).toBe('https://github.com/pkgguard/pkgguard#known');
    expect(finding!.rule).toEqual({
      description: 'Prototype Pollution in minimist',
      help: 'minimist before 1.2.6 is vulnerable to Prototype Pollution.',
      helpUri: 'https://github.com/advisories/GHSA-xvch-5gv4-984h',
      score: 9.8,
      tags: ['CWE-1321'],
    });
    expect(finding!.fingerprint).toBe(
      fingerprintOf({ ruleId: 'GHSA-xvch-5gv4-984h', file: 'package-lock.json', packageId: 'node_modules/minimist', name: 'minimist', version: '1.2.5' }),
    );
  });

  it('leave declared findings without rule text', async () => {
    const { findings } = await run({});
    expect(findings[0]!.ruleId).toBe('known/hit');
    expect(findings[0]!.rule).toBeUndefined();
  });

  it('take severity from configuration, then the report, then the dynamic rule, then the declared rule', async () => {
    expect((await run({ dynamicRule: RULE }, 'info')).findings[0]!.severity).toBe('info');
    expect((await run({ dynamicRule: RULE, severity: 'high' })).findings[0]!.severity).toBe('high');
    expect((await run({ dynamicRule: RULE })).findings[0]!.severity).toBe('critical');
    expect((await run({ dynamicRule: { ...RULE, severity: undefined } })).findings[0]!.severity).toBe('moderate');
  });

  it('still require a declared rule key', async () => {
    const { findings, incomplete } = await run({ rule: 'nope', dynamicRule: RULE });
    expect(findings).toEqual([]);
    expect(incomplete.map((entry) => [entry.kind, entry.message])).toEqual([
      ['crashed', 'check "known" crashed on package-lock.json: check "known" reported unknown rule "nope"'],
    ]);
  });
});
