/**
 * Property tests shared by every lockfile format: damaged copies of the real fixture
 * lockfiles (random truncations, byte flips, character and line edits; fixed seeds, so a
 * failure reproduces) never make a parser throw anything but a PkgguardError with exit code 3
 * and a one-line message, and a parse that succeeds still yields a consistent graph.
 */
import { expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';

/** mulberry32: small, fast and deterministic. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters and snippets that mean something to some lockfile syntax (YAML, JSON, yarn's, pnpm's keys), plus plain ones. */
export const INTERESTING = [
  ...':\'",#@\n \t\\-?{}[]!&*|>%~<=()/_.\r',
  ...['a', '0', '1.5', 'true', 'null', '0x1', '2024-01-01', '<<', '__proto__', ': ', ' #', '- ', '|-\n', '&a ', '*a', '!!str '],
  ...['\u0000', '\u2028', '\uFEFF', '---\n', '...\n'],
];

/** One to three text edits: truncation, a character replaced or inserted, a line dropped, repeated, re-indented, or given another line's value. */
export function mutateText(text: string, next: () => number): string {
  const pick = (n: number): number => Math.floor(next() * n);
  let result = text;
  for (let edits = 1 + pick(3); edits > 0; edits--) {
    const lines = result.split('\n');
    const at = pick(lines.length);
    switch (pick(7)) {
      case 0:
        result = result.slice(0, pick(result.length + 1));
        break;
      case 1: {
        const offset = pick(result.length);
        result = result.slice(0, offset) + INTERESTING[pick(INTERESTING.length)]! + result.slice(offset + 1);
        break;
      }
      case 2: {
        const offset = pick(result.length);
        result = result.slice(0, offset) + String.fromCharCode(pick(0x80)) + result.slice(offset);
        break;
      }
      case 3:
        lines.splice(at, 1);
        result = lines.join('\n');
        break;
      case 4:
        lines.splice(at, 0, lines[pick(lines.length)] ?? '');
        result = lines.join('\n');
        break;
      case 5:
        lines[at] = ' '.repeat(pick(7)) + (lines[at] ?? '').trimStart();
        result = lines.join('\n');
        break;
      default:
        // Swap a value for another line's value: right syntax, wrong types in the wrong places.
        lines[at] = (lines[at] ?? '').replace(/: .*$/, `: ${(lines[pick(lines.length)] ?? '').split(': ')[1] ?? '{}'}`);
        result = lines.join('\n');
    }
  }
  return result;
}

/** A truncated copy (3 in 10), or one with 1–4 bytes bit-flipped or replaced by punctuation, decoded as UTF-8. */
export function damageBytes(text: string, next: () => number): string {
  const copy = Buffer.from(text, 'utf8');
  if (next() < 0.3) return copy.subarray(0, Math.floor(next() * copy.length)).toString('utf8');
  const punctuation = Buffer.from('{}[],:"\\/*\n 0-tn@#');
  for (let k = 1 + Math.floor(next() * 4); k > 0; k--) {
    const at = Math.floor(next() * copy.length);
    copy[at] = next() < 0.5 ? copy[at]! ^ (1 << Math.floor(next() * 8)) : punctuation[Math.floor(next() * punctuation.length)]!;
  }
  return copy.toString('utf8');
}

/** Every location is a line of the file, names and versions are strings, every edge points at a node, paths can be asked for. */
export function checkGraph(graph: DependencyGraph, lineCount: number): void {
  for (const node of [graph.root, ...graph.importers, ...graph.packages]) {
    expect(node.location.line).toBeGreaterThanOrEqual(1);
    expect(node.location.line).toBeLessThanOrEqual(lineCount);
    expect(typeof node.name).toBe('string');
    expect(typeof node.version).toBe('string');
    for (const edge of node.dependencies) if (edge.to !== undefined) expect(graph.node(edge.to)).toBeDefined();
  }
  for (const node of graph.packages) graph.pathsTo(node, 2);
}

export interface FuzzCase {
  /** Real lockfiles, in a fixed order (the seeded damage must not depend on directory order). */
  readonly originals: readonly { readonly name: string; readonly input: LockfileInput }[];
  readonly parse: (input: LockfileInput) => Promise<DependencyGraph>;
  readonly damage: (text: string, next: () => number) => string;
  readonly seed: number;
  readonly rounds: number;
  /** The one-line message every rejection must match, e.g. /^yarn\.lock:\d+:\d+: [^\n]+$/. */
  readonly message: RegExp;
  /** Both outcomes must occur this often, or the damage is too weak (or too strong) to mean anything. */
  readonly minParsed: number;
  readonly minRejected: number;
}

/** One `it` that damages the originals round-robin and checks every outcome. */
export function itSurvivesDamage(title: string, fuzz: FuzzCase): void {
  it(title, async () => {
    const next = random(fuzz.seed);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let round = 0; round < fuzz.rounds; round++) {
      const { name, input } = fuzz.originals[round % fuzz.originals.length]!;
      const text = fuzz.damage(input.text, next);
      try {
        checkGraph(await fuzz.parse({ ...input, text }), text.split(/\r\n|\r|\n/).length);
        outcomes.parsed++;
      } catch (error) {
        if (!isPkgguardError(error) || error.exitCode !== 3) {
          throw new Error(`round ${round} (${name}) threw ${String(error)} on:\n${text}`, { cause: error });
        }
        expect(error.message).toMatch(fuzz.message);
        outcomes.rejected++;
      }
    }
    expect(outcomes.parsed).toBeGreaterThanOrEqual(fuzz.minParsed);
    expect(outcomes.rejected).toBeGreaterThanOrEqual(fuzz.minRejected);
  });
}
