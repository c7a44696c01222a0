import { describe, expect, it } from 'vitest';
import { escapeJsonUnsafe, sanitize } from '../../src/reporters/sanitize.ts';

describe('sanitize', () => {
  it.each([
    ['ESC starting an ANSI sequence', 'a\u001b[31mred\u001b[0m', 'a\\x1b[31mred\\x1b[0m'],
    ['screen-clearing sequence', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H'],
    ['newline, carriage return, tab', 'a\nb\rc\td', 'a\\x0ab\\x0dc\\x09d'],
    ['NUL and BEL', '\u0000\u0007', '\\x00\\x07'],
    ['DEL', 'x\u007f', 'x\\x7f'],
    ['C1 one-byte CSI and NEL', '\u009b31m\u0085', '\\x9b31m\\x85'],
    ['right-to-left override', 'evil\u202etxt.exe', 'evil\\u202etxt.exe'],
    ['every bidi embedding/override', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['directional marks', '\u200e\u200f\u061c', '\\u200e\\u200f\\u061c'],
    ['zero-width space, joiners, word joiner, BOM', 'lo\u200bdash\u200c\u200d\u2060\ufeff', 'lo\\u200bdash\\u200c\\u200d\\u2060\\ufeff'],
    ['soft hyphen', 'left\u00adpad', 'left\\xadpad'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['Unicode tag characters', 'ok\u{e0041}\u{e007f}', 'ok\\u{e0041}\\u{e007f}'],
    ['lone surrogates', 'a\ud800b\udc00', 'a\\ud800b\\udc00'],
  ])('makes %s visible', (_name, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it.each([
    ['plain ASCII', '@scope/left-pad@1.3.0 https://registry.npm.example/a?b=c#d'],
    ['accents and CJK', 'café 日本語 ñandú'],
    ['emoji (a valid surrogate pair)', 'rocket 🚀 ✔ ✖ ⚠'],
  ])('leaves %s unchanged', (_name, input) => {
    expect(sanitize(input)).toBe(input);
  });
});

describe('escapeJsonUnsafe', () => {
  it('escapes invisible and control characters inside strings without changing the parsed value', () => {
    const value = { name: 'evil\u202etxt\u009b\u200b', ok: 'café 🚀', esc: '\u001b[31m' };
    const json = JSON.stringify(value, null, 2);
    const escaped = escapeJsonUnsafe(json);
    expect(escaped).toBe(
      '{\n  "name": "evil\\u202etxt\\u009b\\u200b",\n  "ok": "café 🚀",\n  "esc": "\\u001b[31m"\n}',
    );
    expect(JSON.parse(escaped)).toEqual(value);
  });

  it('escapes a lone surrogate as its JSON escape', () => {
    expect(escapeJsonUnsafe('"a\ud800"')).toBe('"a\\ud800"');
  });
});
