/**
 * Property test: random truncations, character flips and line edits of the real yarn fixture
 * lockfiles never make a parser throw anything but a PkgguardError with exit code 3, and a
 * parse that succeeds still yields a consistent graph. Fixed seed, so a failure reproduces.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import { yarnBerry, yarnClassic } from '../../src/lockfiles/yarn.ts';
import { fixture, inline } from './yarn-summary.ts';

const ITERATIONS = 400;
/** Characters that mean something to one of the two syntaxes, plus plain ones. */
const INTERESTING = [...':"\',#@\n \t\\-?{}[]!&*|>%~<=\r', 'a', '0', '\u0000', '\u2028', '\uFEFF'];

/** mulberry32: small, fast and deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, next: () => number): string {
  const pick = (n: number): number => Math.floor(next() * n);
  let result = text;
  const edits = 1 + pick(3);
  for (let i = 0; i < edits; i++) {
    const lines = result.split('\n');
    switch (pick(6)) {
      case 0:
        result = result.slice(0, pick(result.length + 1));
        break;
      case 1: {
        const at = pick(result.length);
        result = result.slice(0, at) + INTERESTING[pick(INTERESTING.length)]! + result.slice(at + 1);
        break;
      }
      case 2: {
        const at = pick(result.length);
        result = result.slice(0, at) + String.fromCharCode(pick(0x80)) + result.slice(at);
        break;
      }
      case 3:
        lines.splice(pick(lines.length), 1);
        result = lines.join('\n');
        break;
      case 4: {
        const at = pick(lines.length);
        lines.splice(at, 0, lines[pick(lines.length)] ?? '');
        result = lines.join('\n');
        break;
      }
      default: {
        const at = pick(lines.length);
        lines[at] = ' '.repeat(pick(5)) + (lines[at] ?? '').trimStart();
        result = lines.join('\n');
      }
    }
  }
  return result;
}

/** Every edge points at a node of the graph, and every location is a line of the file. */
function checkGraph(graph: DependencyGraph, lineCount: number): void {
  const nodes = [graph.root, ...graph.importers, ...graph.packages];
  for (const node of nodes) {
    expect(node.location.line).toBeGreaterThanOrEqual(1);
    expect(node.location.line).toBeLessThanOrEqual(lineCount);
    for (const edge of node.dependencies) if (edge.to !== undefined) expect(graph.node(edge.to)).toBeDefined();
  }
}

async function parseLikeDetection(input: LockfileInput): Promise<DependencyGraph> {
  const parser = [yarnClassic, yarnBerry].find((candidate) => candidate.accepts(input))!;
  return await parser.parse(input);
}

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/', import.meta.url));

describe.each([
  ['yarn-classic', 0x5eed1],
  ['yarn-berry', 0x5eed2],
] as const)('%s: mutated fixture lockfiles', (format, seed) => {
  const scenarios = readdirSync(`${FIXTURES}${format}`).sort();
  const originals = scenarios.map((scenario) => fixture(format, scenario).text);

  it(`throws nothing but input errors (exit 3) over ${ITERATIONS} mutations`, async () => {
    const next = random(seed);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(originals[i % originals.length]!, next);
      try {
        const graph = await parseLikeDetection(inline(text));
        checkGraph(graph, text.split(/\r\n|\r|\n/).length);
        outcomes.parsed++;
      } catch (error) {
        if (!isPkgguardError(error)) {
          throw new Error(`iteration ${i} (${scenarios[i % scenarios.length]}) threw ${String(error)} on:\n${text}`, { cause: error });
        }
        expect(error.exitCode).toBe(3);
        expect(error.message).toMatch(/^yarn\.lock:\d+:\d+: [^\n]+$/);
        outcomes.rejected++;
      }
    }
    // Both outcomes must be exercised, or the mutations are too weak (or too strong) to mean anything.
    expect(outcomes.parsed).toBeGreaterThan(ITERATIONS / 10);
    expect(outcomes.rejected).toBeGreaterThan(ITERATIONS / 10);
  });
});
