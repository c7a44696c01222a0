import { describe, expect, it } from 'vitest';
import {
  compareSeverity,
  FAIL_ON_VALUES,
  isSeverity,
  meetsThreshold,
  SEVERITIES,
  toSarifLevel,
  toSecuritySeverityScore,
} from '../../src/core/severity.ts';

describe('severity vocabulary', () => {
  it('is npm audit-level’s, least serious first; --fail-on adds none', () => {
    expect(SEVERITIES).toEqual(['info', 'low', 'moderate', 'high', 'critical']);
    expect(FAIL_ON_VALUES).toEqual(['info', 'low', 'moderate', 'high', 'critical', 'none']);
  });

  it('isSeverity accepts exactly the five words', () => {
    expect(SEVERITIES.every(isSeverity)).toBe(true);
    for (const value of ['none', 'off', 'High', 'medium', '', 'toString', '__proto__', 3, undefined, null]) {
      expect(isSeverity(value)).toBe(false);
    }
  });

  it('compareSeverity orders from least to most serious', () => {
    expect(['critical', 'info', 'high', 'low', 'moderate'].filter(isSeverity).sort(compareSeverity)).toEqual(SEVERITIES);
    expect(compareSeverity('low', 'high')).toBeLessThan(0);
    expect(compareSeverity('high', 'low')).toBeGreaterThan(0);
    expect(compareSeverity('moderate', 'moderate')).toBe(0);
  });

  it('meetsThreshold is "at or above", and none never meets', () => {
    const table = Object.fromEntries(
      FAIL_ON_VALUES.map((failOn) => [failOn, SEVERITIES.filter((severity) => meetsThreshold(severity, failOn))]),
    );

    expect(table).toEqual({
      info: ['info', 'low', 'moderate', 'high', 'critical'],
      low: ['low', 'moderate', 'high', 'critical'],
      moderate: ['moderate', 'high', 'critical'],
      high: ['high', 'critical'],
      critical: ['critical'],
      none: [],
    });
  });

  it('maps to SARIF levels and to scores inside GitHub’s security-severity bands', () => {
    expect(SEVERITIES.map(toSarifLevel)).toEqual(['note', 'warning', 'warning', 'error', 'error']);
    expect(SEVERITIES.map(toSecuritySeverityScore)).toEqual(['0.0', '2.0', '5.5', '8.0', '9.5']);
  });
});
