import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../src/lockfiles/locate/json-validate.ts';
import {
  describeJsonParseError,
  indexPackageLockKeys,
  jsonParseErrorLocation,
  locateJsonParseError,
} from '../../src/lockfiles/locate/json.ts';
import { positionAt } from '../../src/lockfiles/locate/position.ts';

function parseFailure(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    return error;
  }
  throw new Error('expected JSON.parse to fail');
}

const entries = <T>(map: ReadonlyMap<string, T>): [string, T][] => [...map];

describe('indexPackageLockKeys', () => {
  const v3 = [
    '{',
    '  "name": "demo",',
    '  "lockfileVersion": 3,',
    '  "packages": {',
    '    "": { "name": "demo" },',
    '    "node_modules/a": {',
    '      "version": "1.0.0",',
    '      "dependencies": { "b": "^1.0.0" }',
    '    },',
    '    "node_modules/a/node_modules/@s/b": { "version": "1.0.0" }',
    '  }',
    '}',
  ].join('\n');

  it('finds the keys of packages and of the top level, at the opening quote', () => {
    const index = indexPackageLockKeys(v3);
    expect(entries(index.packages)).toEqual([
      ['', { line: 5, column: 5 }],
      ['node_modules/a', { line: 6, column: 5 }],
      ['node_modules/a/node_modules/@s/b', { line: 10, column: 5 }],
    ]);
    expect(entries(index.topLevel)).toEqual([
      ['name', { line: 2, column: 3 }],
      ['lockfileVersion', { line: 3, column: 3 }],
      ['packages', { line: 4, column: 3 }],
    ]);
    expect(index.dependencies.size).toBe(0);
  });

  it('maps the v1 tree to install locations, at any depth', () => {
    const v1 = [
      '{',
      '  "lockfileVersion": 1,',
      '  "dependencies": {',
      '    "a": {',
      '      "version": "1.0.0",',
      '      "requires": { "@s/b": "1.0.0" },',
      '      "dependencies": {',
      '        "@s/b": { "version": "1.0.0", "dependencies": { "c": { "version": "3.0.0" } } }',
      '      }',
      '    },',
      '    "@s/b": { "version": "2.0.0" }',
      '  }',
      '}',
    ].join('\n');
    const index = indexPackageLockKeys(v1, { packages: false, dependencies: true });
    // "requires" and "version" keys are not tree entries; the nested "dependencies" is.
    expect(entries(index.dependencies)).toEqual([
      ['node_modules/a', { line: 4, column: 5 }],
      ['node_modules/a/node_modules/@s/b', { line: 8, column: 9 }],
      ['node_modules/a/node_modules/@s/b/node_modules/c', { line: 8, column: 57 }],
      ['node_modules/@s/b', { line: 11, column: 5 }],
    ]);
    expect(index.packages.size).toBe(0);
  });

  it('handles any whitespace, CRLF, lone CR and escapes in keys and values', () => {
    const text = '{"packages":{\r\n\t"node_modules/\\u0061\\"q": {"resolved":"x\\\\\\"}{"},\r"node_modules/\\/b":\n\n   {}}}';
    const index = indexPackageLockKeys(text);
    expect(entries(index.packages)).toEqual([
      ['node_modules/a"q', { line: 2, column: 2 }],
      ['node_modules//b', { line: 3, column: 1 }],
    ]);
  });

  it('keeps the first position of a repeated key', () => {
    const index = indexPackageLockKeys('{"packages": {"a": {}, "a": {}}}');
    expect(entries(index.packages)).toEqual([['a', { line: 1, column: 15 }]]);
  });

  it('does not treat keys inside strings, arrays or other objects as packages', () => {
    const text = '{"x": {"packages": {"no": 1}}, "list": [{"packages": {}}], "s": "\\"packages\\": {", "packages": {"yes": []}}';
    expect([...indexPackageLockKeys(text).packages.keys()]).toEqual(['yes']);
  });

  it('stops early, without throwing or looping, on text that is not JSON', () => {
    for (const text of ['{"packages": {"a": {', '{"packages": {"a', '{"packages": {"a": "x', '{"packages": {"a": tr', '{"packages": {"a\\q": 1}}', '[', '', 'null']) {
      expect([...indexPackageLockKeys(text).packages.keys()].length).toBeLessThanOrEqual(1);
    }
    expect(entries(indexPackageLockKeys('{"packages": {"a": {"b": [1, {"c": "}"}]},\n "d": {}').packages)).toEqual([
      ['a', { line: 1, column: 15 }],
      ['d', { line: 2, column: 2 }],
    ]);
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a":1}', undefined],
    ['{"a":1,}', 7],
    ['{"a":tru}', 8],
    ['{"a" 1}', 5],
    ['[1,2', 4],
    ['{"a":1}}', 7],
    ['{"a":"x\ny"}', 7],
    ['{"a":"\\q"}', 6],
    ['{"a":"\\u12G4"}', 6],
    ['{"a":01}', 6],
    ['{"a":-}', 5],
    ['', 0],
    ['  ', 2],
    ['{"a":"abc', 9],
    ['{"a": [1, {"b": [true, false, null, -1.5e+3]}]}', undefined],
  ])('%j → %s', (text, offset) => {
    expect(findJsonSyntaxError(text)).toBe(offset);
  });
});

describe('JSON.parse failures', () => {
  it('uses "at position N" when V8 gives it', () => {
    const text = '{\n  "a": 1,\n}';
    expect(locateJsonParseError(text, parseFailure(text))).toEqual({ line: 3, column: 1 });
    expect(jsonParseErrorLocation(text, parseFailure(text))).toBe('3:1');
  });

  it('scans for the position when the message has none', () => {
    const text = '{\n  "a": nul }';
    expect((parseFailure(text) as Error).message).not.toMatch(/position/);
    expect(jsonParseErrorLocation(text, parseFailure(text))).toBe('2:11');
    expect(jsonParseErrorLocation('\n', parseFailure('\n'))).toBe('2:1');
  });

  it('describes the failure on one line without V8’s excerpt of the input', () => {
    expect(describeJsonParseError(parseFailure('{"a":1,}'))).toBe('Expected double-quoted property name');
    expect(describeJsonParseError(parseFailure('{"a":1}}'))).toBe('Unexpected non-whitespace character after JSON');
    expect(describeJsonParseError(parseFailure('{"a":\n tru}'))).toBe("Unexpected token '}'");
    expect(describeJsonParseError(parseFailure('x'.repeat(100)))).toBe("Unexpected token 'x'");
    expect(describeJsonParseError(parseFailure('{"a":\u001b[31m}'))).toBe("Unexpected token '\\u001b'");
    expect(describeJsonParseError(parseFailure(''))).toBe('Unexpected end of JSON input');
  });
});

describe('positionAt', () => {
  it('counts \\n, \\r\\n and lone \\r as line ends and columns from 1', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab\r\ncd', 4)).toEqual({ line: 2, column: 1 });
    expect(positionAt('ab\rcd', 3)).toEqual({ line: 2, column: 1 });
    expect(positionAt('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});
