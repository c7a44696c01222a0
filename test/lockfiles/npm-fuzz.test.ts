/**
 * Property test on damaged copies of the real npm fixture lockfiles (fuzz.ts): text edits and
 * byte damage never make the npm parser throw anything but an input error (exit 3) with a
 * one-line message, and a parse that succeeds yields a consistent graph.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LockfileInput } from '../../src/core/parser.ts';
import npm from '../../src/lockfiles/npm.ts';
import { damageBytes, itSurvivesDamage, mutateText } from './fuzz.ts';
import { inlineInput, readInput } from './graph-summary.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/npm/', import.meta.url));
const ROUNDS = 400;

describe('npm parser on damaged real lockfiles', () => {
  // In-memory copies (no package.json beside them), sorted so the seeded damage does not depend on directory order.
  const originals = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = readdirSync(`${FIXTURES}${name}`).find((entry) => entry === 'npm-shrinkwrap.json' || entry === 'package-lock.json');
      return file === undefined ? [] : [{ name, input: inlineInput(readInput(`${FIXTURES}${name}/${file}`).text, file) }];
    });

  it('has fixtures to damage', () => {
    expect(originals.length).toBeGreaterThanOrEqual(15);
  });

  const common = {
    originals,
    parse: (input: LockfileInput) => npm.parse(input),
    rounds: ROUNDS,
    message: /^(package-lock|npm-shrinkwrap)\.json:(\d+:\d+: )?[^\n]+$/,
  };
  itSurvivesDamage(`throws nothing but input errors (exit 3) over ${ROUNDS} text edits`, { ...common, damage: mutateText, seed: 0x5eed3, minParsed: 20, minRejected: 100 });
  itSurvivesDamage(`throws nothing but input errors (exit 3) over ${ROUNDS} truncations and byte flips`, {
    ...common,
    damage: damageBytes,
    seed: 0x5eed4,
    minParsed: 20,
    minRejected: 100,
  });
});
