import { describe, expect, it } from 'vitest';
import { loadCvssScorer } from '../../src/advisories/cvss.ts';
import { mergeMatches } from '../../src/advisories/merge.ts';
import { isMaliciousRecord, scorerFor, toAdvisory } from '../../src/advisories/normalize.ts';
import { type OsvRecord, parseOsvRecord } from '../../src/advisories/osv-record.ts';
import type { Advisory } from '../../src/advisories/types.ts';
import { fixtureRecord } from './helpers.ts';

function record(id: string): OsvRecord {
  return parseOsvRecord(fixtureRecord(id))!;
}

function withoutLabel(id: string, severity?: unknown[]): OsvRecord {
  const raw = structuredClone(fixtureRecord(id)) as Record<string, unknown>;
  raw['database_specific'] = {};
  if (severity) raw['severity'] = severity;
  return parseOsvRecord(raw)!;
}

describe('toAdvisory', () => {
  it('takes GitHub\'s severity label, aliases, CWEs and the advisory page first', async () => {
    const lodash = record('GHSA-35jh-r3h4-6jhm');
    const advisory = toAdvisory(lodash, 'osv', await scorerFor([lodash]));
    expect(advisory).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      summary: 'Command Injection in lodash',
      details: 'lodash versions prior to 4.17.21 are vulnerable to Command Injection via the template function.',
      severity: 'high',
      cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 7.2 },
      malicious: false,
      published: '2021-05-06T16:05:51Z',
      modified: '2024-03-13T22:03:39Z',
      references: ['https://github.com/advisories/GHSA-35jh-r3h4-6jhm', 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337'],
      cwes: ['CWE-77', 'CWE-94'],
      sources: ['osv'],
    });
  });

  it('without a label, computes severity from the CVSS v3 vector in CVSS bands', async () => {
    const semver = withoutLabel('GHSA-c2qf-rxjj-qqgw');
    const advisory = toAdvisory(semver, 'db', await scorerFor([semver]));
    expect([advisory.severity, advisory.cvss]).toEqual(['moderate', { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L', score: 5.3 }]);
    const minimist = withoutLabel('GHSA-xvch-5gv4-984h');
    expect(toAdvisory(minimist, 'db', await scorerFor([minimist])).severity).toBe('critical');
  });

  it('prefers a CVSS v4 vector over v3', async () => {
    const both = withoutLabel('GHSA-c2qf-rxjj-qqgw', [
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    ]);
    const advisory = toAdvisory(both, 'osv', await scorerFor([both]));
    expect([advisory.severity, advisory.cvss?.version, advisory.cvss?.score]).toEqual(['critical', '4.0', 9.3]);
  });

  it('an unreadable vector has no score: moderate, not a crash', async () => {
    const broken = withoutLabel('GHSA-c2qf-rxjj-qqgw', [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:X' }]);
    const advisory = toAdvisory(broken, 'osv', await scorerFor([broken]));
    expect([advisory.severity, advisory.cvss]).toEqual(['moderate', undefined]);
  });

  it('scores the bands\' edges as CVSS defines them', async () => {
    const score = await loadCvssScorer();
    expect(score('3.1', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toBe(0);
    expect(score('3.0', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBe(9.8);
    expect(score('3.1', 'not a vector')).toBeUndefined();
  });

  it('MAL records, and GitHub malware advisories (CWE-506), are malicious; MAL without severity is critical', async () => {
    const mal = record('MAL-0000-pkgguard-fixture');
    expect(await scorerFor([mal])).toBeUndefined();
    expect(toAdvisory(mal, 'db', undefined)).toMatchObject({ malicious: true, severity: 'critical', cwes: ['CWE-506'], cvss: undefined });
    expect(isMaliciousRecord(record('GHSA-pjwm-rvh2-c87w'))).toBe(true);
    expect(isMaliciousRecord(record('GHSA-97m3-w2cp-4xx6'))).toBe(true);
    expect(isMaliciousRecord(record('GHSA-35jh-r3h4-6jhm'))).toBe(false);
  });

  it('no label, no vector, not malware: moderate', () => {
    const bare = parseOsvRecord({ id: 'TEST-2', modified: '2024-01-01T00:00:00Z', affected: [], database_specific: { severity: 'unknown' } })!;
    expect(toAdvisory(bare, 'osv', undefined).severity).toBe('moderate');
  });
});

describe('mergeMatches', () => {
  const base = (overrides: Partial<Advisory>): Advisory => ({
    id: 'X',
    aliases: [],
    severity: 'high',
    malicious: false,
    modified: '2024-01-01T00:00:00Z',
    references: [],
    cwes: [],
    sources: ['osv'],
    ...overrides,
  });

  it('merges a GHSA from OSV with the npm entry naming it, and a CVE record aliasing it', () => {
    const merged = mergeMatches([
      { advisory: base({ id: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'], references: ['a'] }), fixedIn: '4.17.21' },
      { advisory: base({ id: 'GHSA-35jh-r3h4-6jhm', aliases: ['NPM-1106913'], references: ['b'], sources: ['npm'], modified: '' }) },
      { advisory: base({ id: 'CVE-2021-23337', references: ['a', 'c'], sources: ['db'] }), fixedIn: '4.17.21' },
      { advisory: base({ id: 'GHSA-p6mc-m468-83gw' }), fixedIn: '4.17.20' },
    ]);
    expect(merged).toEqual([
      {
        advisory: base({
          id: 'GHSA-35jh-r3h4-6jhm',
          aliases: ['CVE-2021-23337', 'NPM-1106913'],
          references: ['a', 'b', 'c'],
          sources: ['osv', 'npm', 'db'],
        }),
        fixedIn: '4.17.21',
      },
      { advisory: base({ id: 'GHSA-p6mc-m468-83gw' }), fixedIn: '4.17.20' },
    ]);
  });

  it('keeps the lowest fixedIn and the malware flag of any source', () => {
    const [merged] = mergeMatches([
      { advisory: base({ id: 'A' }), fixedIn: '2.0.0' },
      { advisory: base({ id: 'B', aliases: ['A'], malicious: true }), fixedIn: '1.5.0' },
    ]);
    expect([merged?.fixedIn, merged?.advisory.malicious, merged?.advisory.aliases]).toEqual(['1.5.0', true, ['B']]);
  });
});
