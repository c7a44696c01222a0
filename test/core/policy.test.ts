import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.ts';
import { applyBaseline, applyIgnores, type IgnoreRule, ignoreMatches, isoDay, summarize } from '../../src/core/policy.ts';
import type { IncompleteEntry } from '../../src/core/reporter.ts';
import { FAIL_ON_VALUES, type Severity } from '../../src/core/severity.ts';

function finding(ruleId: string, name: string, version: string, severity: Severity = 'high'): Finding {
  const checkId = ruleId.split('/')[0]!;
  return {
    checkId,
    ruleId,
    severity,
    message: `${name}@${version}: ${ruleId}`,
    package: { name, version, id: `node_modules/${name}`, path: ['app@1.0.0', `${name}@${version}`] },
    location: { file: 'package-lock.json', line: 1, column: 1 },
    data: {},
    helpUri: `https://example.test/#${checkId}`,
    fingerprint: `${ruleId}|${name}@${version}`,
  };
}

const TODAY = '2026-06-15';
const LIVE = '2026-12-31';
const weakLeftPad = finding('integrity/weak', 'left-pad', '1.3.0');
const missingLodash = finding('integrity/missing', 'lodash', '4.17.21');
const typosquatLodash = finding('typosquat/lookalike', 'lodash', '4.17.20');
const ALL = [weakLeftPad, missingLodash, typosquatLodash];

const rule = (fields: Partial<IgnoreRule>): IgnoreRule => ({ reason: 'accepted', expires: LIVE, ...fields });
const kept = (findings: readonly Finding[]): string[] => findings.map((f) => f.fingerprint);

describe('isoDay', () => {
  it('is the UTC calendar day', () => {
    expect(isoDay(new Date('2026-03-01T23:30:00-05:00'))).toBe('2026-03-02');
    expect(isoDay(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });
});

describe('ignoreMatches', () => {
  it.each([
    ['the exact ruleId', rule({ ruleId: 'integrity/weak' }), true],
    ['another ruleId of the same check', rule({ ruleId: 'integrity/missing' }), false],
    ['the check id (the whole check)', rule({ ruleId: 'integrity' }), true],
    ['a check id that is only a prefix', rule({ ruleId: 'integ' }), false],
    ['the package name', rule({ package: 'left-pad' }), true],
    ['the package name@version', rule({ package: 'left-pad@1.3.0' }), true],
    ['another version of the package', rule({ package: 'left-pad@1.3.1' }), false],
    ['another package', rule({ package: 'lodash' }), false],
    ['rule and package, both matching', rule({ ruleId: 'integrity', package: 'left-pad@1.3.0' }), true],
    ['rule matching, package not', rule({ ruleId: 'integrity', package: 'lodash' }), false],
    ['package matching, rule not', rule({ ruleId: 'typosquat', package: 'left-pad' }), false],
  ])('%s → %s', (_what, ignore, expected) => {
    expect(ignoreMatches(ignore, weakLeftPad)).toBe(expected);
  });
});

describe('applyIgnores', () => {
  it('suppresses by ruleId, by check id, by name, by name@version and by both', () => {
    const cases: [IgnoreRule, string[]][] = [
      [rule({ ruleId: 'integrity/weak' }), [missingLodash.fingerprint, typosquatLodash.fingerprint]],
      [rule({ ruleId: 'integrity' }), [typosquatLodash.fingerprint]],
      [rule({ package: 'lodash' }), [weakLeftPad.fingerprint]],
      [rule({ package: 'lodash@4.17.20' }), [weakLeftPad.fingerprint, missingLodash.fingerprint]],
      [rule({ ruleId: 'integrity', package: 'lodash' }), [weakLeftPad.fingerprint, typosquatLodash.fingerprint]],
    ];
    for (const [ignore, expected] of cases) {
      const outcome = applyIgnores(ALL, [ignore], TODAY);
      expect(kept(outcome.findings)).toEqual(expected);
      expect(outcome.suppressed).toBe(ALL.length - expected.length);
      expect(outcome.notices).toEqual([]);
    }
  });

  it('still suppresses on the expiry day itself', () => {
    const outcome = applyIgnores(ALL, [rule({ ruleId: 'integrity', expires: TODAY })], TODAY);

    expect(kept(outcome.findings)).toEqual([typosquatLodash.fingerprint]);
    expect(outcome.notices).toEqual([]);
  });

  it('stops suppressing the day after expiry and says so', () => {
    const outcome = applyIgnores(ALL, [rule({ ruleId: 'integrity', reason: 'upgrade planned', expires: '2026-06-14' })], TODAY);

    expect(kept(outcome.findings)).toEqual(kept(ALL));
    expect(outcome.suppressed).toBe(0);
    expect(outcome.notices).toEqual([
      { kind: 'expired', ruleId: 'integrity', package: undefined, reason: 'upgrade planned', expires: '2026-06-14' },
    ]);
  });

  it("reports an entry that matches nothing as 'unused'", () => {
    const outcome = applyIgnores(ALL, [rule({ package: 'not-installed', reason: 'old exception' })], TODAY);

    expect(kept(outcome.findings)).toEqual(kept(ALL));
    expect(outcome.notices).toEqual([
      { kind: 'unused', ruleId: undefined, package: 'not-installed', reason: 'old exception', expires: LIVE },
    ]);
  });

  it("does not call an entry 'unused' when another entry already suppressed what it matches", () => {
    const outcome = applyIgnores(ALL, [rule({ ruleId: 'integrity' }), rule({ package: 'left-pad' })], TODAY);

    expect(kept(outcome.findings)).toEqual([typosquatLodash.fingerprint]);
    expect(outcome.notices).toEqual([]);
  });

  it('lists expired notices first, then unused ones, each in configuration order', () => {
    const outcome = applyIgnores(
      ALL,
      [
        rule({ package: 'gone-1' }),
        rule({ package: 'lodash', expires: '2020-01-01' }),
        rule({ package: 'gone-2' }),
        rule({ ruleId: 'integrity/weak' }),
        rule({ ruleId: 'typosquat', expires: '2026-06-01' }),
      ],
      TODAY,
    );

    expect(outcome.notices.map((n) => `${n.kind} ${n.ruleId ?? n.package ?? ''}`)).toEqual([
      'expired lodash',
      'expired typosquat',
      'unused gone-1',
      'unused gone-2',
    ]);
    expect(kept(outcome.findings)).toEqual([missingLodash.fingerprint, typosquatLodash.fingerprint]);
    expect(outcome.suppressed).toBe(1);
  });

  it('does nothing without ignore entries', () => {
    expect(applyIgnores(ALL, [], TODAY)).toEqual({ findings: ALL, suppressed: 0, notices: [] });
  });
});

describe('summarize', () => {
  const findings = [
    finding('a/x', 'p1', '1.0.0', 'info'),
    finding('a/x', 'p2', '1.0.0', 'low'),
    finding('a/x', 'p3', '1.0.0', 'moderate'),
    finding('a/x', 'p4', '1.0.0', 'moderate'),
    finding('a/x', 'p5', '1.0.0', 'high'),
    finding('a/x', 'p6', '1.0.0', 'critical'),
  ];

  it('counts by severity and carries suppressed and failOn through', () => {
    expect(summarize(findings, 'high', 4, [])).toEqual({
      total: 6,
      bySeverity: { info: 1, low: 1, moderate: 2, high: 1, critical: 1 },
      suppressed: 4,
      baselined: 0,
      failOn: 'high',
      failing: 2,
      incomplete: false,
    });
  });

  it('counts the findings at or above every --fail-on value, none included', () => {
    const failing = Object.fromEntries(FAIL_ON_VALUES.map((failOn) => [failOn, summarize(findings, failOn, 0, []).failing]));

    expect(failing).toEqual({ info: 6, low: 5, moderate: 4, high: 2, critical: 1, none: 0 });
  });

  it('has zero counts for no findings', () => {
    expect(summarize([], 'low', 0, [])).toEqual({
      total: 0,
      bySeverity: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 },
      suppressed: 0,
      baselined: 0,
      failOn: 'low',
      failing: 0,
      incomplete: false,
    });
  });

  it('is incomplete when any check crashed or lacked a source', () => {
    const entry: IncompleteEntry = { checkId: 'advisory', kind: 'source-unavailable', code: 'ESOURCE', message: 'offline' };

    expect(summarize([], 'low', 0, [entry]).incomplete).toBe(true);
  });
});

describe('applyBaseline', () => {
  it('drops the findings whose fingerprint the baseline holds, and counts them', () => {
    const [first, ...rest] = ALL;
    const outcome = applyBaseline(ALL, new Set([first!.fingerprint, 'not-a-current-fingerprint']));
    expect(outcome).toEqual({ findings: rest, baselined: 1 });
  });

  it('keeps everything with an empty baseline', () => {
    expect(applyBaseline(ALL, new Set())).toEqual({ findings: ALL, baselined: 0 });
  });
});
