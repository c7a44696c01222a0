import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateBunKeys, scanBunLock, stripTrailingCommas } from '../../src/lockfiles/locate/bun.ts';
import { mutateText, random } from './fuzz.ts';

describe('scanBunLock: JSONC to JSON of the same length', () => {
  it('blanks trailing commas and comments, keeping every line break', () => {
    const text = '{\n  // note\n  "a": [1, 2,],  /* x\r\ny */\n  "b": { "c": true, },\n}\n';
    const { json } = scanBunLock(text);
    expect(json).toBe('{\n         \n  "a": [1, 2 ],      \r\n    \n  "b": { "c": true  } \n}\n');
    expect(json.length).toBe(text.length);
    expect(JSON.parse(json)).toEqual({ a: [1, 2], b: { c: true } });
  });

  it('leaves strings alone, whatever they hold', () => {
    const text = '{ "u": "https://x.example/a//b", "s": "a, }", "e": "q\\"/* no */", }';
    expect(JSON.parse(scanBunLock(text).json)).toEqual({ u: 'https://x.example/a//b', s: 'a, }', e: 'q"/* no */' });
  });

  it('returns the text itself when there is nothing to blank', () => {
    const text = '{"a":1}';
    expect(scanBunLock(text).json).toBe(text);
  });

  it.each([
    ['a comma with no value before it', '[,]'],
    ['a doubled comma', '[1,,]'],
    ['a comma after a key', '{"a",}'],
    ['a comma after a colon', '{"a":,}'],
  ])('does not blank %s, so JSON.parse still rejects it', (_label, text) => {
    expect(scanBunLock(text).json).toBe(text);
  });

  it('stops at an unterminated string or comment without throwing', () => {
    expect(scanBunLock('{"a": "open,}').json).toBe('{"a": "open,}');
    expect(scanBunLock('{"a": 1, /* open }').json).toBe('{"a": 1, /* open }');
  });
});

describe('scanBunLock: key positions', () => {
  const text = [
    '{',
    '  "lockfileVersion": 1,',
    '  "workspaces": {',
    '    "": { "name": "x", "dependencies": { "packages": "1" } },',
    '    "pkgs/\\u0061": { "name": "a" },',
    '  },',
    '  "packages": { "a": ["a@1.0.0", "", { "dependencies": { "b": "1" } }, ""], "a/b": ["b@1.0.0", "", {}, ""],',
    '    "a": [] },',
    '  "other": { "packages": {} },',
    '}',
  ].join('\r\n');

  it('records the top-level keys and the keys of workspaces and packages only', () => {
    const scan = scanBunLock(text);
    expect([...scan.topLevel]).toEqual([
      ['lockfileVersion', { line: 2, column: 3 }],
      ['workspaces', { line: 3, column: 3 }],
      ['packages', { line: 7, column: 3 }],
      ['other', { line: 9, column: 3 }],
    ]);
    expect([...scan.workspaces]).toEqual([
      ['', { line: 4, column: 5 }],
      ['pkgs/a', { line: 5, column: 5 }],
    ]);
    // A repeated key keeps its first position.
    expect([...scan.packages]).toEqual([
      ['a', { line: 7, column: 17 }],
      ['a/b', { line: 7, column: 77 }],
    ]);
  });

  it('counts lines inside block comments and after a lone carriage return', () => {
    const scan = scanBunLock('{ /* one\ntwo\rthree */\r"k": 1 }');
    expect(scan.topLevel.get('k')).toEqual({ line: 4, column: 1 });
  });
});

describe('stripTrailingCommas: the fast path, exact whenever JSON.parse accepts it', () => {
  it('blanks what bun writes: commas before a line break and after the last item of an inline array', () => {
    const text = '{\n  "cpu": [ "x64", "arm64", ],\n  "a": { "b": 1 },\n}\n';
    const json = stripTrailingCommas(text);
    expect(json).toBe('{\n  "cpu": [ "x64", "arm64"  ],\n  "a": { "b": 1 } \n}\n');
    expect(json).toBe(scanBunLock(text).json);
  });

  it('keeps commas inside strings, counting escaped quotes and backslashes', () => {
    const text = '["x, ]", "q\\\\", "\\", ]", ["a\\"", "b, }" ,],\r\n "c, ]" ]';
    const json = stripTrailingCommas(text);
    expect(JSON.parse(json)).toEqual(['x, ]', 'q\\', '", ]', ['a"', 'b, }'], 'c, ]']);
    expect(json).toBe(scanBunLock(text).json);
  });

  it.each([
    ['a comma with no value before it', '[,\n]'],
    ['a doubled comma', '[1,,\n]'],
    ['a comma after a colon', '{"a":,\n}'],
  ])('does not blank %s, so JSON.parse still rejects it', (_label, text) => {
    expect(stripTrailingCommas(text)).toBe(text);
  });

  it('leaves comments for scanBunLock: JSON.parse refuses them', () => {
    expect(parses(stripTrailingCommas('{ "a": 1, // x, ]\n}'))).toBe(false);
  });

  it('matches scanBunLock, text and key positions, on every edited copy of the fixtures that JSON.parse accepts (fixed seed)', () => {
    const next = random(20261206);
    let accepted = 0;
    for (const text of fixtureTexts()) {
      for (let round = 0; round < 150; round++) {
        const edited = mutateText(text, next);
        const json = stripTrailingCommas(edited);
        if (!parses(json)) continue;
        accepted++;
        const scan = scanBunLock(edited);
        expect(json).toBe(scan.json);
        // Where the walk vouches for a key, it is where scanBunLock puts it.
        const keys = locateBunKeys(json, 'bun.lock');
        expect([...keys.topLevel]).toEqual([...scan.topLevel]);
        expect([...keys.workspaces]).toEqual([...scan.workspaces]);
        const packages: unknown = (JSON.parse(json) as Record<string, unknown>)['packages'];
        Object.keys(typeof packages === 'object' && packages !== null ? packages : {}).forEach((key, index) => {
          const at = keys.packageAt(index, key);
          if (at) expect(at).toEqual({ file: 'bun.lock', ...scan.packages.get(key) });
        });
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('stays linear on a hostile line of inline commas', () => {
    const text = `[${'["a, ]", 1, ], '.repeat(50_000)}1]`;
    expect(stripTrailingCommas(text)).toBe(scanBunLock(text).json);
  });
});

describe('locateBunKeys: key positions in the JSON that JSON.parse accepted', () => {
  it('finds what scanBunLock finds in every fixture, package keys as graph locations', () => {
    for (const text of fixtureTexts()) {
      const json = stripTrailingCommas(text);
      const data = JSON.parse(json) as { packages?: Record<string, unknown> };
      const scan = scanBunLock(text);
      const keys = locateBunKeys(json, 'bun.lock');
      expect([...keys.topLevel]).toEqual([...scan.topLevel]);
      expect([...keys.workspaces]).toEqual([...scan.workspaces]);
      Object.keys(data.packages ?? {}).forEach((key, index) => {
        expect(keys.packageAt(index, key)).toEqual({ file: 'bun.lock', ...scan.packages.get(key) });
      });
    }
  });

  it('counts lines in multi-line and deeply nested values, tabs and CRLF', () => {
    const json = '{\r\n\t"packages": {\r\n\t\t"a": [1, {\r\n "x": [[[[[["deep"]]]]]] }],\r\n\t\t"b": [[[[[[[2]]]]]]], "c": "s" },\r\n\t"n": 1 }';
    const keys = locateBunKeys(json, 'f');
    expect([keys.packageAt(0, 'a'), keys.packageAt(1, 'b'), keys.packageAt(2, 'c')]).toEqual([
      { file: 'f', line: 3, column: 3 },
      { file: 'f', line: 5, column: 3 },
      { file: 'f', line: 5, column: 25 },
    ]);
    expect([...keys.topLevel]).toEqual([
      ['packages', { line: 2, column: 2 }],
      ['n', { line: 6, column: 2 }],
    ]);
    // The same places scanBunLock finds.
    expect([...scanBunLock(json).packages.values()]).toEqual([
      { line: 3, column: 3 },
      { line: 5, column: 3 },
      { line: 5, column: 25 },
    ]);
  });

  it('counts the lines of multi-line values skipped whole (LF only), brackets in strings included, and of deeper ones', () => {
    const json = [
      '{',
      '  "workspaces": {',
      '    "": {',
      '      "name": "p \\"}] {[",',
      '      "dependencies": {',
      '        "a": "1",',
      '',
      '        "b": "[2"',
      '      },',
      '      "x": [[[[[[',
      '        7',
      '      ]]]]]]',
      '    },',
      '    "w": { "n": [',
      '      1] }',
      '  },',
      '  "packages": {',
      '    "a": ["a@1.0.0", "", {}, "sha512-x"],',
      '',
      '    "b": ["b@2.0.0", "", {',
      '      "dependencies": { "a": "1" } }, "sha512-y"]',
      '  },',
      '  "n": 1',
      '}',
    ].join('\n');
    const keys = locateBunKeys(json, 'f');
    const scan = scanBunLock(json);
    expect([...keys.workspaces]).toEqual([
      ['', { line: 3, column: 5 }],
      ['w', { line: 14, column: 5 }],
    ]);
    expect([...keys.topLevel]).toEqual([...scan.topLevel]);
    expect([...keys.topLevel.values()].at(-1)).toEqual({ line: 23, column: 3 });
    expect([keys.packageAt(0, 'a'), keys.packageAt(1, 'b')]).toEqual([
      { file: 'f', line: 18, column: 5 },
      { file: 'f', line: 20, column: 5 },
    ]);
    expect([...scan.packages.values()]).toEqual([
      { line: 18, column: 5 },
      { line: 20, column: 5 },
    ]);
  });

  it('vouches only for keys written as read, in the order read', () => {
    const json = '{ "packages": { "\\u0061": [], "b": [], "1": [] } }';
    const keys = locateBunKeys(json, 'f');
    // JSON.parse lists "1" first and decodes "\u0061": the caller asks scanBunLock for those.
    expect(keys.packageAt(0, '1')).toBeUndefined();
    expect(keys.packageAt(0, 'a')).toBeUndefined();
    expect(keys.packageAt(1, 'b')).toEqual({ file: 'f', line: 1, column: 31 });
    expect(keys.packageAt(3, 'c')).toBeUndefined();
  });
});

function fixtureTexts(): string[] {
  const root = fileURLToPath(new URL('../../fixtures/lockfiles/bun/', import.meta.url));
  return readdirSync(root).map((scenario) => readFileSync(path.join(root, scenario, 'bun.lock'), 'utf8'));
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}
