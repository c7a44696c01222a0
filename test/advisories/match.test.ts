import { describe, expect, it } from 'vitest';
import { matchRecord } from '../../src/advisories/match.ts';
import { type OsvRecord, parseOsvRecord } from '../../src/advisories/osv-record.ts';
import { fixtureRecord } from './helpers.ts';

function record(id: string): OsvRecord {
  const parsed = parseOsvRecord(fixtureRecord(id));
  if (!parsed) throw new Error(id);
  return parsed;
}

function inline(affected: unknown[]): OsvRecord {
  return parseOsvRecord({ id: 'TEST-1', modified: '2024-01-01T00:00:00Z', affected })!;
}

const events = (...list: Record<string, string>[]) => [{ package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'SEMVER', events: list }] }];

/** The versions of `candidates` the record affects, each with its fixedIn. */
function affected(osv: OsvRecord, name: string, candidates: string[]): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const version of candidates) {
    const match = matchRecord(osv, name, version);
    if (match) result[version] = match.fixedIn ?? null;
  }
  return result;
}

describe('OSV ranges', () => {
  it('introduced is inclusive, fixed exclusive, across several affected entries (minimist, CVE-2021-44906)', () => {
    expect(affected(record('GHSA-xvch-5gv4-984h'), 'minimist', ['0.0.1', '0.2.3', '0.2.4', '0.9.9', '1.0.0', '1.2.5', '1.2.6', '1.2.8'])).toEqual({
      '0.0.1': '0.2.4',
      '0.2.3': '0.2.4',
      '1.0.0': '1.2.6',
      '1.2.5': '1.2.6',
    });
  });

  it('several ranges of one package (ws, CVE-2024-37890), below the first introduced nothing', () => {
    expect(affected(record('GHSA-3h5v-q93c-6h6q'), 'ws', ['2.0.0', '2.1.0', '5.2.3', '5.2.4', '5.9.0', '6.0.0', '6.2.3', '7.5.9', '7.5.10', '8.17.0', '8.17.1'])).toEqual({
      '2.1.0': '5.2.4',
      '5.2.3': '5.2.4',
      '6.0.0': '6.2.3',
      '7.5.9': '7.5.10',
      '8.17.0': '8.17.1',
    });
  });

  it('last_affected is inclusive and names no fix (vm2, CVE-2023-37466)', () => {
    expect(affected(record('GHSA-cchq-frgv-rjh5'), 'vm2', ['0.1.0', '3.9.19', '3.9.19-beta.1', '3.9.20', '3.10.0'])).toEqual({
      '0.1.0': null,
      '3.9.19': null,
      '3.9.19-beta.1': null,
    });
  });

  it('prereleases sort below their release: 5.0.0 alphas and betas (express, CVE-2024-29041)', () => {
    expect(affected(record('GHSA-rv95-896h-c2vc'), 'express', ['4.19.1', '4.19.2', '5.0.0-alpha.0', '5.0.0-alpha.1', '5.0.0-beta.2', '5.0.0-beta.3', '5.0.0'])).toEqual({
      '4.19.1': '4.19.2',
      // 5.0.0-alpha.0 is above 4.19.2 and below alpha.1: in neither range.
      '5.0.0-alpha.1': '5.0.0-beta.3',
      '5.0.0-beta.2': '5.0.0-beta.3',
    });
  });

  it('introduced "0" includes prereleases of the first versions', () => {
    expect(affected(inline(events({ introduced: '0' }, { fixed: '1.0.0' })), 'pkg', ['0.0.0-0', '0.0.1', '1.0.0-rc.1', '1.0.0'])).toEqual({
      '0.0.0-0': '1.0.0',
      '0.0.1': '1.0.0',
      '1.0.0-rc.1': '1.0.0',
    });
  });

  it('build metadata is ignored, per semver precedence', () => {
    expect(affected(inline(events({ introduced: '1.0.0' }, { fixed: '1.0.1' })), 'pkg', ['1.0.0+build.7', '1.0.1+build.1'])).toEqual({ '1.0.0+build.7': '1.0.1' });
  });

  it('limit bounds the whole range, exclusive', () => {
    expect(affected(inline(events({ introduced: '0' }, { limit: '2.0.0' })), 'pkg', ['1.9.9', '2.0.0', '3.0.0'])).toEqual({ '1.9.9': null });
  });

  it('an introduced without an end affects every later version', () => {
    expect(affected(inline(events({ introduced: '2.0.0' })), 'pkg', ['1.0.0', '2.0.0', '99.0.0'])).toEqual({ '2.0.0': null, '99.0.0': null });
  });

  it('several introduced/fixed pairs in one range, events in any order', () => {
    const osv = inline(events({ fixed: '2.0.3' }, { introduced: '2.0.0' }, { fixed: '1.0.1' }, { introduced: '0' }));
    expect(affected(osv, 'pkg', ['1.0.0', '1.0.1', '2.0.0', '2.0.2', '2.0.3'])).toEqual({ '1.0.0': '1.0.1', '2.0.0': '2.0.3', '2.0.2': '2.0.3' });
  });

  it('fixedIn skips a fix that another range still affects', () => {
    const osv = inline([
      { package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] },
      { package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.1' }, { fixed: '1.0.2' }] }] },
    ]);
    expect(matchRecord(osv, 'pkg', '1.0.0')).toEqual({ fixedIn: '1.0.2' });
  });

  it('GIT ranges never match a version; unknown range types neither', () => {
    const osv = inline([{ package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'GIT', repo: 'https://example.org/x.git', events: [{ introduced: '0' }] }] }]);
    expect(matchRecord(osv, 'pkg', '1.0.0')).toBeUndefined();
  });

  it('partial versions are read as x.y.0; two versions in one field both count', () => {
    expect(affected(inline(events({ introduced: '1.0' }, { fixed: '3.1.1' })), 'pkg', ['0.9.0', '1.0.0', '3.1.0'])).toEqual({ '1.0.0': '3.1.1', '3.1.0': '3.1.1' });
    // Published as { "fixed": "7.2.4, 6.11.4" }: both are fixes.
    expect(affected(inline(events({ introduced: '6.10.0' }, { fixed: '7.2.4, 6.11.4' })), 'pkg', ['6.10.0', '6.11.3', '6.11.4', '7.2.4'])).toEqual({
      '6.10.0': '6.11.4',
      '6.11.3': '6.11.4',
    });
  });
});

describe('explicit versions and names', () => {
  it('matches the hijacked ua-parser-js releases exactly', () => {
    expect(affected(record('GHSA-pjwm-rvh2-c87w'), 'ua-parser-js', ['0.7.28', '0.7.29', '0.7.30', '0.8.0', '0.8.1', '1.0.0', '1.0.1', '1.0.2'])).toEqual({
      '0.7.29': '0.7.30',
      '0.8.0': '0.8.1',
      '1.0.0': '1.0.1',
    });
  });

  it('a versions list alone is enough (flatmap-stream 0.1.1)', () => {
    const osv = inline([{ package: { ecosystem: 'npm', name: 'flatmap-stream' }, versions: ['0.1.1'] }]);
    expect(affected(osv, 'flatmap-stream', ['0.1.0', '0.1.1', '0.1.2'])).toEqual({ '0.1.1': null });
  });

  it('names match exactly: other packages, other ecosystems and case variants do not', () => {
    const lodash = record('GHSA-35jh-r3h4-6jhm');
    expect(matchRecord(lodash, 'lodash', '4.17.20')).toEqual({ fixedIn: '4.17.21' });
    expect(matchRecord(lodash, 'lodash-es', '4.17.20')).toEqual({ fixedIn: '4.17.21' });
    expect(matchRecord(lodash, 'Lodash', '4.17.20')).toBeUndefined();
    expect(matchRecord(lodash, 'lodash.template', '4.17.20')).toBeUndefined();
    expect(matchRecord(record('PKGGUARD-FIXTURE-PYPI'), 'lodash', '1.0.0')).toBeUndefined();
  });

  it('versions that are not semver (git, file, tarball specs) never match', () => {
    const osv = inline(events({ introduced: '0' }));
    expect(matchRecord(osv, 'pkg', 'github:user/pkg#abc123')).toBeUndefined();
    expect(matchRecord(osv, 'pkg', 'file:../pkg')).toBeUndefined();
  });
});
