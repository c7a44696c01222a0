/**
 * Property tests on mutated copies of the real pnpm fixture lockfiles (random truncations,
 * character flips, line edits; fixed seed, so a failure reproduces):
 * - the parser throws nothing but a PkgguardError with exit code 3, and a parse that succeeds
 *   yields a consistent graph;
 * - the fast YAML reader either steps aside (undefined) or returns exactly what js-yaml
 *   returns, and steps aside whenever js-yaml rejects the text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';
import { readPnpmYaml } from '../../src/lockfiles/pnpm-yaml.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/pnpm/', import.meta.url));
const LOCKFILES = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((file) => path.basename(file) === 'pnpm-lock.yaml')
  .sort()
  .map((file) => ({ file, text: readFileSync(path.join(FIXTURES, file), 'utf8') }));

/** Characters and snippets that mean something in YAML or in pnpm's keys, plus plain ones. */
const INTERESTING = [
  ...':\'",#@\n \t\\-?{}[]!&*|>%~<=()/_.\r',
  ...['a', '0', '1.5', 'true', 'null', '0x1', '2024-01-01', '<<', '__proto__', ': ', ' #', '- ', '|-\n', '&a ', '*a', '!!str '],
  ...['\u0000', '\u2028', '\uFEFF', '---\n', '...\n'],
];

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

function checkGraph(graph: DependencyGraph, lineCount: number): void {
  for (const node of [graph.root, ...graph.importers, ...graph.packages]) {
    expect(node.location.line).toBeGreaterThanOrEqual(1);
    expect(node.location.line).toBeLessThanOrEqual(lineCount);
    expect(typeof node.name).toBe('string');
    expect(typeof node.version).toBe('string');
    for (const edge of node.dependencies) if (edge.to !== undefined) expect(graph.node(edge.to)).toBeDefined();
  }
  for (const node of graph.packages) graph.pathsTo(node, 2);
}

function loadOrError(text: string): unknown {
  try {
    return loadAll(text);
  } catch (error) {
    return error;
  }
}

describe('pnpm parser on mutated real lockfiles', () => {
  it('has fixtures to mutate', () => {
    expect(LOCKFILES.length).toBeGreaterThanOrEqual(20);
  });

  it('throws only PkgguardErrors with exit code 3 (400 mutations, seed 3)', async () => {
    const next = random(3);
    let failures = 0;
    for (let i = 0; i < 400; i++) {
      const { file, text: original } = LOCKFILES[i % LOCKFILES.length]!;
      const text = mutate(original, next);
      const input = { path: 'pnpm-lock.yaml', absolutePath: path.join(FIXTURES, file), text };
      try {
        checkGraph(await pnpm.parse(input), text.split(/\r\n|\r|\n/).length);
      } catch (error) {
        failures++;
        if (!isPkgguardError(error) || error.exitCode !== 3) {
          throw new Error(`mutation ${i} of ${file} threw ${String(error)}\n--- text ---\n${text}`);
        }
        // One line: file:line:column, then the reason.
        expect(error.message).toMatch(/^pnpm-lock\.yaml:\d+:\d+: [^\n]+$/);
      }
    }
    // The mutations must reach the error paths, not only harmless corners.
    expect(failures).toBeGreaterThan(50);
  });
});

describe('fast YAML reader against js-yaml on mutated real lockfiles', () => {
  it('returns what js-yaml returns, or steps aside (2,000 mutations, seed 9)', () => {
    const next = random(9);
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      const { file, text: original } = LOCKFILES[i % LOCKFILES.length]!;
      const text = mutate(original, next);
      const fast = readPnpmYaml(text);
      if (fast === undefined) continue;
      read++;
      const reference = loadOrError(text);
      if (reference instanceof Error) throw new Error(`mutation ${i} of ${file}: js-yaml rejects it (${reference.message}) but the reader read it`);
      expect(fast, `mutation ${i} of ${file}`).toStrictEqual(reference);
    }
    // Most mutations stay inside pnpm's style, so the comparison has substance.
    expect(read).toBeGreaterThan(500);
  });
});

describe('fast YAML reader against js-yaml on generated documents', () => {
  /** Mostly pnpm's own keys and scalars, with YAML's special cases mixed in. */
  const KEYS = ['a', 'b', 'x@1.0.0', '/x@1.0.0(y@2.0.0)', "'@s/x'", '<<', '__proto__', 'true', '~', '1.0', '01', '.5', 'a #b', 'a:b', '"e\\"f"', '? a', '&a', 'a:'];
  const SCALARS = ['1.0.0', '^1.0.0', 'sha512-abc==', '{integrity: sha512-x}', '[x64]', "'>=1'", 'true', '{}', '~', '1.50', '1e3', 'yes', '2024-01-01', 'a #b', 'a: b', "'it''s'", '"\\x41"', '*a', '{a: b:c}', '{a: 1, }', '[a: b]', '|', '>', '- x'];

  function generate(next: () => number): string {
    const pick = <T,>(items: readonly T[], common: number): T => items[Math.floor(next() * (next() < 0.85 ? common : items.length))]!;
    const block = (depth: number, indent: number): string => {
      const lines: string[] = [];
      for (let n = 1 + Math.floor(next() * 4); n > 0; n--) {
        if (next() < 0.05) lines.push(`${' '.repeat(Math.floor(next() * 4))}# comment`);
        const r = next();
        let value: string;
        if (depth < 3 && r < 0.25) value = `\n${block(depth + 1, indent + 2)}`;
        else if (depth < 3 && r < 0.32) value = `\n${' '.repeat(indent + (next() < 0.3 ? 0 : 2))}- ${pick(SCALARS, 8)}`;
        else if (r < 0.36) value = `${' |-\n'}${' '.repeat(indent + 2)}line\n\n${' '.repeat(indent + 2)}two`;
        else value = ` ${pick(SCALARS, 8)}`;
        lines.push(`${' '.repeat(indent)}${pick(KEYS, 5)}:${value}`);
      }
      return lines.join('\n');
    };
    const text = next() < 0.1 ? `---\n${block(0, 0)}\n---\n${block(0, 0)}` : block(0, 0);
    return next() < 0.7 ? `${text}\n` : text;
  }

  it('returns what js-yaml returns, or steps aside (3,000 documents, seed 5)', () => {
    const next = random(5);
    let read = 0;
    for (let i = 0; i < 3000; i++) {
      const text = generate(next);
      const fast = readPnpmYaml(text);
      if (fast === undefined) continue;
      read++;
      const reference = loadOrError(text);
      if (reference instanceof Error) throw new Error(`document ${i}: js-yaml rejects it (${reference.message}) but the reader read it:\n${text}`);
      expect(fast, `document ${i}:\n${text}`).toStrictEqual(reference);
    }
    expect(read).toBeGreaterThan(800);
  });
});
