/**
 * Property tests on damaged copies of the real pnpm fixture lockfiles (fuzz.ts: random
 * truncations, byte flips, character and line edits; fixed seeds, so a failure reproduces):
 * - the parser throws nothing but a PkgguardError with exit code 3, and a parse that succeeds
 *   yields a consistent graph;
 * - the fast YAML reader either steps aside (undefined) or returns exactly what js-yaml
 *   returns, and steps aside whenever js-yaml rejects the text;
 * - the key positions it records on the way are exactly indexYamlKeys's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { LockfileInput } from '../../src/core/parser.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';
import { indexYamlKeys } from '../../src/lockfiles/locate/yaml.ts';
import { readPnpmYaml, readPnpmYamlIndexed } from '../../src/lockfiles/pnpm-yaml.ts';
import { damageBytes, itSurvivesDamage, mutateText, random } from './fuzz.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/pnpm/', import.meta.url));
const LOCKFILES = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((file) => path.basename(file) === 'pnpm-lock.yaml')
  .sort()
  .map((file) => ({ file, text: readFileSync(path.join(FIXTURES, file), 'utf8') }));

function loadOrError(text: string): unknown {
  try {
    return loadAll(text);
  } catch (error) {
    return error;
  }
}

/** The reader's key positions are the ones indexYamlKeys finds in its own pass, and its documents the same as without them. */
function expectSameKeys(text: string, sections: readonly string[], label: string): void {
  const indexed = readPnpmYamlIndexed(text, sections);
  expect(indexed?.documents, label).toStrictEqual(readPnpmYaml(text));
  const reference = indexYamlKeys(text, sections);
  expect(indexed?.keys.topLevel, label).toEqual(reference.topLevel);
  expect(indexed?.keys.sections, label).toEqual(reference.sections);
}

describe('pnpm parser on damaged real lockfiles', () => {
  it('has fixtures to damage', () => {
    expect(LOCKFILES.length).toBeGreaterThanOrEqual(20);
  });

  const originals = LOCKFILES.map(({ file, text }) => ({
    name: file,
    input: { path: 'pnpm-lock.yaml', absolutePath: path.join(FIXTURES, file), text },
  }));
  const common = { originals, parse: (input: LockfileInput) => pnpm.parse(input), rounds: 400, message: /^pnpm-lock\.yaml:\d+:\d+: [^\n]+$/ };
  // The damage must reach the error paths, not only harmless corners.
  itSurvivesDamage('throws only PkgguardErrors with exit code 3 (400 text edits, seed 3)', { ...common, damage: mutateText, seed: 3, minParsed: 1, minRejected: 51 });
  itSurvivesDamage('throws only PkgguardErrors with exit code 3 (400 truncations and byte flips, seed 4)', {
    ...common,
    damage: damageBytes,
    seed: 4,
    minParsed: 40,
    minRejected: 40,
  });
});

describe('fast YAML reader against js-yaml on mutated real lockfiles', () => {
  it('returns what js-yaml returns, or steps aside (2,000 mutations, seed 9)', () => {
    const next = random(9);
    let read = 0;
    for (let i = 0; i < 2000; i++) {
      const { file, text: original } = LOCKFILES[i % LOCKFILES.length]!;
      const text = mutateText(original, next);
      const fast = readPnpmYaml(text);
      if (fast === undefined) continue;
      read++;
      const reference = loadOrError(text);
      if (reference instanceof Error) throw new Error(`mutation ${i} of ${file}: js-yaml rejects it (${reference.message}) but the reader read it`);
      expect(fast, `mutation ${i} of ${file}`).toStrictEqual(reference);
      expectSameKeys(text, ['importers', 'packages', 'snapshots'], `mutation ${i} of ${file}`);
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
      expectSameKeys(text, ['a', 'x@1.0.0', "'@s/x'", '1.0'], `document ${i}:\n${text}`);
    }
    expect(read).toBeGreaterThan(800);
  });
});
