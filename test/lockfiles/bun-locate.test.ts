import { describe, expect, it } from 'vitest';
import { scanBunLock } from '../../src/lockfiles/locate/bun.ts';

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
