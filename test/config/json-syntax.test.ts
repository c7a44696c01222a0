import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset } from '../../src/config/json-syntax.ts';

const VALID = [
  '{}',
  '[]',
  ' \t\r\n{ "a" : [ 1 , -2.5e+3 , 0 , 0.0 , 1E9 , true , false , null , "x" ] } \n',
  '"escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00"',
  '{"nested": {"deeper": [[], [{}], {"k": ""}]}}',
  '0',
  '-0',
  'null',
  '"unicode: é 😀"',
];

/** [what, text, offset of the first offending character]. */
const INVALID: [string, string, number][] = [
  ['an empty text', '', 0],
  ['only whitespace', '  \n ', 4],
  ['a line comment', '// c\n{}', 0],
  ['a block comment as a value', '{"a": /* x */ 1}', 6],
  ['a trailing comma in an object', '{"a": 1,}', 8],
  ['a trailing comma in an array', '[1,]', 3],
  ['a missing comma', '[1 2]', 3],
  ['a missing colon', '{"a" 1}', 5],
  ['a single-quoted key', "{'a': 1}", 1],
  ['an unquoted key', '{a: 1}', 1],
  ['a bare word', '{"a": yes}', 6],
  ['a cut-off literal', '{"a": tru}', 9],
  ['a cut-off document', '{"a": [1, 2', 11],
  ['an unterminated string', '"abc', 4],
  ['a raw newline in a string', '"a\nb"', 2],
  ['a bad escape', '"\\x"', 2],
  ['a short unicode escape', '"\\u12G4"', 5],
  ['a leading zero', '01', 1],
  ['a fraction without digits', '1.', 2],
  ['a lone minus', '-', 1],
  ['an exponent without digits', '1e+', 3],
  ['a plus sign', '+1', 0],
  ['text after the document', '{} {}', 3],
  ['a byte-order mark', '\uFEFF{}', 0],
];

describe('jsonSyntaxErrorOffset', () => {
  it.each(VALID)('accepts valid JSON: %j', (text) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(jsonSyntaxErrorOffset(text)).toBeUndefined();
  });

  it.each(INVALID)('points at the error in %s', (_what, text, offset) => {
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('agrees with V8 wherever V8 names a position', () => {
    const texts = INVALID.map(([, text]) => text);
    const positioned = texts.flatMap((text) => {
      const position = /at position (\d+)/.exec(messageOf(() => JSON.parse(text) as unknown));
      return position ? [[text, Number(position[1])] as const] : [];
    });

    expect(positioned.length).toBeGreaterThan(10);
    for (const [text, position] of positioned) expect([text, jsonSyntaxErrorOffset(text)]).toEqual([text, position]);
  });

  it('copes with a document nested too deeply to scan recursively', () => {
    const deep = `${'['.repeat(200_000)}x`;

    expect(jsonSyntaxErrorOffset(deep)).toBeUndefined();
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '';
}
