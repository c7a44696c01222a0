/**
 * The typosquat check's building blocks on small, hand-made lists: edit distance and its
 * description, candidate rewrites, the pigeonhole index (checked exhaustively against every
 * one-edit neighbour), ranking, the popularity gate and the user-list parser.
 */
import { describe, expect, it } from 'vitest';
import { boundedDistance, describeEdit, isOneEdit, letterCounts, mayBeWithin } from '../../src/checks/typosquat/distance.ts';
import { passesPopularityGate, POPULARITY_RATIO } from '../../src/checks/typosquat/gate.ts';
import { findLookalikes, type Lookalike, type MatchScope } from '../../src/checks/typosquat/matcher.ts';
import { flatten, splitScope, variantsOf } from '../../src/checks/typosquat/names.ts';
import { buildPopularIndex, type IndexedEntry } from '../../src/checks/typosquat/popular-index.ts';
import { parseUserList } from '../../src/checks/typosquat/user-list.ts';

const LIST = [
  { name: '@babel/cli', downloads: 9_000_000 },
  { name: 'babel-cli', downloads: 2_000_000 },
  { name: 'cross-env', downloads: 60_000_000 },
  { name: 'express', downloads: 300_000_000 },
  { name: 'react', downloads: 350_000_000 },
  { name: 'preact', downloads: 50_000_000 },
];
const index = buildPopularIndex(LIST);
const scope: MatchScope = { indexes: [index], knownScopes: new Set(['babel']) };
const describeAll = (found: readonly Lookalike[]): string[] =>
  found.map(({ target, steps }) => `${target.name}: ${steps.map((step) => step.text).join(', ')}`);

describe('distance', () => {
  it('counts an adjacent swap as one edit and stops past the limit', () => {
    expect(boundedDistance('axois', 'axios', 2)).toBe(1);
    expect(boundedDistance('regenraotr', 'regenerator', 2)).toBe(2);
    expect(boundedDistance('react', 'express', 2)).toBe(3);
    expect(boundedDistance('same', 'same', 0)).toBe(0);
  });

  it('rules out by letter counts only words beyond the limit', () => {
    const near = (a: string, b: string, limit: number): boolean => mayBeWithin(letterCounts(a), a.length, limit, b);
    // Within the limit (a swap changes no count): never ruled out.
    expect([near('axois', 'axios', 1), near('regenraotr', 'regenerator', 2), near('simplegit', 'simple-git', 1)]).toEqual([true, true, true]);
    // Letters one word lacks, on either side, count against the limit.
    expect([near('react', 'express', 2), near('abc', 'abcdef', 2), near('abcdef', 'abc', 2), near('babel', 'types', 2)]).toEqual([false, false, false, false]);
    // A part of a longer text, as packed records are read.
    expect([mayBeWithin(letterCounts('babel'), 5, 1, 'types babel', 6, 11), mayBeWithin(letterCounts('babel'), 5, 1, 'types babel', 0, 5)]).toEqual([true, false]);
  });

  it('never rules out a word that boundedDistance finds within the limit', () => {
    // Every word over a small alphabet up to length 5 against a few others: an exhaustive
    // check of the lower bound, swaps, repeats and buckets shared by two letters included.
    const alphabet = ['a', 'b', 'c', '\u0081'];
    const words: string[] = [''];
    for (let length = 1; length <= 5; length++) for (const word of words.filter((w) => w.length === length - 1)) for (const c of alphabet) words.push(word + c);
    const others = ['abc', 'cab', 'aabbc', 'ab\u0001c', 'bbbb', 'acbca'];
    let compared = 0;
    for (const a of others) {
      for (const b of words) {
        for (const limit of [1, 2]) {
          if (boundedDistance(a, b, limit) <= limit) {
            compared += 1;
            expect(mayBeWithin(letterCounts(a), a.length, limit, b), `${a} ${b} ${limit}`).toBe(true);
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('recognises exactly one edit', () => {
    expect([isOneEdit('jquey', 'jquery'), isOneEdit('jquerry', 'jquery'), isOneEdit('jquary', 'jquery'), isOneEdit('jqeury', 'jquery')]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([isOneEdit('jquery', 'jquery'), isOneEdit('jqery', 'jquery1'), isOneEdit('qjuery2', 'jquery')]).toEqual([false, false, false]);
  });

  it('names the edit as a reviewer would', () => {
    expect(describeEdit('mongose', 'mongoose').text).toBe('doubled `o` written once');
    expect(describeEdit('epress', 'express').text).toBe('character `x` omitted');
    expect(describeEdit('expresss', 'express').text).toBe('character `s` repeated');
    expect(describeEdit('expresz', 'express')).toEqual({ kind: 'typo', text: 'character substituted (`z` for `s`)' });
    expect(describeEdit('expr3ss', 'express').text).toBe('character substituted (`3` for `e`)');
    expect(describeEdit('c0mmander', 'commander')).toEqual({ kind: 'homoglyph', text: 'look-alike character (`0` for `o`)' });
    expect(describeEdit('electorn', 'electron').text).toBe('adjacent letters swapped (`ro` → `or`)');
  });
});

describe('names', () => {
  it('flattens case, scope marks and separators', () => {
    expect([flatten('@Types/Node'), flatten('cross-env'), flatten('socket.io'), flatten('plain')]).toEqual([
      'typesnode',
      'crossenv',
      'socketio',
      'plain',
    ]);
    expect(splitScope('@types/node')).toEqual({ scope: 'types', bare: 'node' });
    expect(splitScope('@broken')).toEqual({ scope: undefined, bare: '@broken' });
  });

  it('undoes decorations, at most two deep', () => {
    expect(variantsOf('passports-js').map((variant) => `${variant.name} <- ${variant.steps.map((s) => s.kind).join('+')}`)).toEqual([
      'passports-js <- ',
      'passports <- affix-added',
      'passport <- affix-added+plural',
    ]);
    expect(variantsOf('rnongoose-v2', 1).map((variant) => variant.name)).toEqual([
      'rnongoose-v2',
      'rnongoose',
      'mongoose-v2',
    ]);
  });
});

describe('pigeonhole index', () => {
  // Every one-edit neighbour of every name must reach it: deletions, insertions, substitutions
  // and swaps at every position, for names of every length from 4 to 20.
  const words = ['abcd', 'abcde', 'abcdef', 'express', 'crossenv', 'typesnode', 'eslintplugin', 'abcdefghijklmnopqrst'];
  const wordIndex = buildPopularIndex(words.map((name) => ({ name, downloads: 1 })));
  const reaches = (query: string, word: string): boolean => {
    let found = false;
    wordIndex.visitNeighbours(query, (entry: IndexedEntry) => (found ||= entry.name === word));
    return found;
  };

  it('reaches names with punctuation from their flattened neighbours, and skips names with other letters', () => {
    const punctuated = buildPopularIndex(['cross-env', '@types/node', 'lodash.merge', 'crossenvxy'].map((name) => ({ name, downloads: 1 })));
    const reached = (query: string): string[] => {
      const names = new Set<string>();
      punctuated.visitNeighbours(query, (entry: IndexedEntry) => names.add(entry.name));
      return [...names].sort();
    };
    expect([reached('crossenv'), reached('crosenv'), reached('typsenode'), reached('typesnod'), reached('lodashmerg'), reached('lodahsmerge')]).toEqual([
      ['cross-env'],
      ['cross-env'],
      ['@types/node'],
      ['@types/node'],
      ['lodash.merge'],
      ['lodash.merge'],
    ]);
    // Names sharing a key but with letters the query lacks are not visited at all.
    expect([reached('crossenvx'), reached('crossenvxyz'), reached('crossabc')]).toEqual([['cross-env', 'crossenvxy'], ['crossenvxy'], []]);
  });

  it.each(words)('finds %s from all its one-edit neighbours and itself', (word) => {
    const neighbours = new Set<string>([word]);
    for (let i = 0; i <= word.length; i++) {
      for (const letter of 'aqz9') {
        neighbours.add(word.slice(0, i) + letter + word.slice(i));
        if (i < word.length) neighbours.add(word.slice(0, i) + letter + word.slice(i + 1));
      }
      if (i < word.length) neighbours.add(word.slice(0, i) + word.slice(i + 1));
      if (i + 1 < word.length) neighbours.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
    }
    const missed = [...neighbours].filter((query) => !reaches(query, word));
    expect(missed).toEqual([]);
  });
});

describe('findLookalikes', () => {
  it('prefers the lightest explanation: a removed separator over a flattened scope', () => {
    expect(describeAll(findLookalikes('babelcli', scope))).toEqual([
      'babel-cli: separator `-` removed',
      '@babel/cli: scope `@babel/` written as part of the name',
    ]);
  });

  it('never matches a name to itself, and finds nothing for an unrelated name', () => {
    expect(describeAll(findLookalikes('react', scope))).toEqual([]);
    expect(describeAll(findLookalikes('preact', scope))).toEqual([]);
    expect(describeAll(findLookalikes('totally-unrelated', scope))).toEqual([]);
  });
});

describe('popularity gate', () => {
  const target: IndexedEntry = { name: 'express', downloads: 1_000_000, flat: 'express' };
  const typo: Lookalike = { target, steps: [{ kind: 'typo', text: 'character `x` omitted' }] };
  const plural: Lookalike = { target, steps: [{ kind: 'plural', text: 'plural `s` added' }] };

  it(`needs the target ${POPULARITY_RATIO} times more downloaded than the candidate`, () => {
    expect(passesPopularityGate(typo, 1_000_000 / POPULARITY_RATIO, 10_000)).toBe(true);
    expect(passesPopularityGate(typo, 1_000_000 / POPULARITY_RATIO + 1, 10_000)).toBe(false);
  });

  it('takes an unknown candidate to be just under the known floor', () => {
    expect(passesPopularityGate(typo, undefined, 20_000)).toBe(true);
    expect(passesPopularityGate(typo, undefined, 20_001)).toBe(false);
  });

  it('flags weak evidence only for names nobody uses', () => {
    expect(passesPopularityGate(plural, undefined, 10_000)).toBe(true);
    expect(passesPopularityGate(plural, 100, 10_000)).toBe(false);
  });
});

describe('user popular lists', () => {
  it('reads text lines with optional counts and comments', () => {
    expect(parseUserList('# internal\n@acme/core 1200\n\nacme-tools   # no count\r\n')).toEqual({
      entries: [
        { name: '@acme/core', downloads: 1200 },
        { name: 'acme-tools', downloads: Infinity },
      ],
      errors: [],
    });
  });

  it('reads JSON arrays of names or objects', () => {
    expect(parseUserList('["a-b", {"name": "c", "downloads": 5}, {"name": "d"}]')).toEqual({
      entries: [
        { name: 'a-b', downloads: Infinity },
        { name: 'c', downloads: 5 },
        { name: 'd', downloads: Infinity },
      ],
      errors: [],
    });
  });

  it('reports every bad line or element', () => {
    expect(parseUserList('ok 1\nnot a name\nfine -3\n').errors).toEqual([
      'line 2: expected "<package name> [monthly downloads]", got "not a name"',
      'line 3: expected "<package name> [monthly downloads]", got "fine -3"',
    ]);
    expect(parseUserList('[1, {"name": "x", "downloads": "many"}]').errors).toEqual([
      'element 1: expected a package name or { "name": string, "downloads": number }',
      'element 2: expected a package name or { "name": string, "downloads": number }',
    ]);
    expect(parseUserList('{"a": 1}').errors).toEqual(['expected a JSON array']);
    expect(parseUserList('[oops').errors[0]).toMatch(/^invalid JSON: /);
  });
});
