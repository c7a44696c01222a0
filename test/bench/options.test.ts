import { describe, expect, it } from 'vitest';
import { isSelected, parseBenchArgs } from './options.js';

describe('parseBenchArgs', () => {
  it('defaults to 10 runs, no filter, no JSON file and a 300 s timeout', () => {
    expect(parseBenchArgs([])).toEqual({
      runs: 10,
      only: [],
      json: undefined,
      pkgguard: undefined,
      timeoutMs: 300_000,
      registryAsIs: false,
      help: false,
    });
  });
  it('reads every option, --only repeatable', () => {
    expect(
      parseBenchArgs([
        ...['--runs', '3', '--only', 'audit', '--only', 'npm-large', '--json', 'out.json'],
        ...['--pkgguard', 'x.js', '--timeout', '5', '--registry-as-is'],
      ]),
    ).toEqual({ runs: 3, only: ['audit', 'npm-large'], json: 'out.json', pkgguard: 'x.js', timeoutMs: 5000, registryAsIs: true, help: false });
  });
  it('rejects a run count that is not a positive integer', () => {
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow('--runs must be a positive integer, got "0"');
    expect(() => parseBenchArgs(['--runs', '2.5'])).toThrow('--runs must be a positive integer, got "2.5"');
  });
  it('rejects unknown options and positionals', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow("Unknown option '--fast'");
    expect(() => parseBenchArgs(['npm-large'])).toThrow("Unexpected argument 'npm-large'");
  });
});

describe('isSelected', () => {
  it('selects everything without a filter', () => {
    expect(isSelected([], 'sink/npm', 'baseline')).toBe(true);
  });
  it('matches a substring of "lockfile/tool"', () => {
    expect(isSelected(['audit'], 'npm-large', 'pkgguard-audit')).toBe(true);
    expect(isSelected(['audit'], 'npm-large', 'pkgguard-ls')).toBe(false);
    expect(isSelected(['sink/npm/'], 'sink/npm', 'baseline')).toBe(true);
    expect(isSelected(['sink/npm/'], 'sink/npm-v2', 'baseline')).toBe(false);
  });
  it('matches only at the start of a part, so npm-large is not pnpm-large', () => {
    expect(isSelected(['npm-large'], 'npm-large', 'baseline')).toBe(true);
    expect(isSelected(['npm-large'], 'pnpm-large', 'baseline')).toBe(false);
    expect(isSelected(['large'], 'pnpm-large', 'baseline')).toBe(true);
    expect(isSelected(['npm'], 'sink/pnpm', 'baseline')).toBe(false);
    expect(isSelected(['npm'], 'sink/npm-v2', 'baseline')).toBe(true);
    // A later occurrence can still start a part.
    expect(isSelected(['yarn'], 'sink/yarn', 'baseline')).toBe(true);
    expect(isSelected(['lockfile'], 'sink/yarn', 'yarnpkg-lockfile')).toBe(true);
  });
  it('selects a row matching any of several filters', () => {
    expect(isSelected(['lockfile-lint', 'npm-large'], 'sink/npm', 'lockfile-lint')).toBe(true);
    expect(isSelected(['lockfile-lint', 'npm-large'], 'sink/npm', 'baseline')).toBe(false);
  });
});
