import { describe, expect, it } from 'vitest';
import { didYouMean } from '../../src/core/did-you-mean.ts';

const CHECKS = ['advisory', 'dependency-confusion', 'integrity', 'lockfile-source', 'registry-integrity', 'typosquat'];

describe('didYouMean', () => {
  it.each([
    ['integrety', 'integrity'], // substitution
    ['typosqat', 'typosquat'], // deletion
    ['advisoryy', 'advisory'], // insertion
    ['hihg', 'high'], // transposition counts as two edits
    ['lockfile-sources', 'lockfile-source'],
  ])('suggests the close candidate: %s → %s', (input, expected) => {
    expect(didYouMean(input, [...CHECKS, 'high'])).toBe(expected);
  });

  it('ignores case when comparing but returns the candidate as spelled', () => {
    expect(didYouMean('failon', ['failOn', 'checks', 'ignore'])).toBe('failOn');
    expect(didYouMean('CHECKS', ['failOn', 'checks', 'ignore'])).toBe('checks');
  });

  it('allows more edits for longer input: max(2, length / 3)', () => {
    // 20 characters allow 6 edits; 4 characters allow 2.
    expect(didYouMean('dependency-confuzzzz', CHECKS)).toBe('dependency-confusion');
    expect(didYouMean('abcd', ['abxy'])).toBe('abxy');
    expect(didYouMean('abcd', ['axyz'])).toBeUndefined();
  });

  it('returns undefined when nothing is close, or there are no candidates', () => {
    expect(didYouMean('license', CHECKS)).toBeUndefined();
    expect(didYouMean('integrity', [])).toBeUndefined();
  });

  it('prefers the closest candidate, and the first of equally close ones', () => {
    expect(didYouMean('lows', ['low', 'lowest'])).toBe('low');
    expect(didYouMean('ab', ['ax', 'ay'])).toBe('ax');
  });

  it('accepts any iterable of candidates', () => {
    expect(didYouMean('jsno', new Set(['text', 'json', 'sarif']))).toBe('json');
  });
});
