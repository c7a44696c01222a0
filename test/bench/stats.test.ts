import { describe, expect, it } from 'vitest';
import { median, percentile, perThousandEntries, ratio } from './stats.js';

describe('median', () => {
  it('takes the middle sample of an odd count, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
  });
  it('averages the two middle samples of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is undefined without samples', () => {
    expect(median([])).toBeUndefined();
  });
});

describe('percentile (nearest rank)', () => {
  const tenRuns = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  it('makes p90 of ten runs the second slowest run', () => {
    expect(percentile(tenRuns, 90)).toBe(9);
  });
  it('makes p90 of eleven runs the slowest run', () => {
    expect(percentile([...tenRuns, 11], 90)).toBe(10);
  });
  it('returns the only sample of one run', () => {
    expect(percentile([42], 90)).toBe(42);
  });
  it('does not sort its input in place', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
  it('is undefined without samples', () => {
    expect(percentile([], 90)).toBeUndefined();
  });
});

describe('ratio and perThousandEntries', () => {
  it('divides', () => {
    expect(ratio(300, 120)).toBe(2.5);
    expect(perThousandEntries(540, 2700)).toBe(200);
  });
  it('gives undefined for a missing side or an empty lockfile, never NaN or Infinity', () => {
    expect(ratio(undefined, 1)).toBeUndefined();
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
    expect(perThousandEntries(undefined, 10)).toBeUndefined();
    expect(perThousandEntries(10, 0)).toBeUndefined();
  });
});
