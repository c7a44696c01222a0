/**
 * Property test on damaged copies of the real yarn fixture lockfiles (fuzz.ts): text edits and
 * byte damage never make either yarn parser throw anything but an input error (exit 3) whose
 * one line starts with the position, and a parse that succeeds yields a consistent graph.
 * Each text goes to the parser detection would pick for it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import { yarnBerry, yarnClassic } from '../../src/lockfiles/yarn.ts';
import { damageBytes, itSurvivesDamage, mutateText } from './fuzz.ts';
import { fixture, inline } from './yarn-fixtures.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/', import.meta.url));
const ROUNDS = 400;

async function parseLikeDetection(input: LockfileInput): Promise<DependencyGraph> {
  const parser = [yarnClassic, yarnBerry].find((candidate) => candidate.accepts(input))!;
  return await parser.parse(input);
}

describe.each([
  ['yarn-classic', 0x5eed1],
  ['yarn-berry', 0x5eed2],
] as const)('%s: damaged fixture lockfiles', (format, seed) => {
  // In-memory copies (no project folder), sorted so the seeded damage does not depend on directory order.
  const originals = readdirSync(`${FIXTURES}${format}`)
    .sort()
    .map((name) => ({ name, input: inline(fixture(format, name).text) }));
  const common = { originals, parse: parseLikeDetection, seed, rounds: ROUNDS, message: /^yarn\.lock:\d+:\d+: [^\n]+$/ };

  itSurvivesDamage(`throws nothing but input errors (exit 3) over ${ROUNDS} text edits`, {
    ...common,
    damage: mutateText,
    minParsed: ROUNDS / 10,
    minRejected: ROUNDS / 10,
  });
  itSurvivesDamage(`throws nothing but input errors (exit 3) over ${ROUNDS} truncations and byte flips`, {
    ...common,
    seed: seed + 1,
    damage: damageBytes,
    minParsed: ROUNDS / 10,
    minRejected: ROUNDS / 10,
  });
});
