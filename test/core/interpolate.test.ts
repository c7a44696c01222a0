import { describe, expect, it } from 'vitest';
import { interpolate } from '../../src/core/interpolate.ts';

describe('interpolate', () => {
  it('fills placeholders, with or without inner spaces, numbers included', () => {
    expect(interpolate('{{name}}@{{ version }} has {{count}} issues', { name: 'left-pad', version: '1.3.0', count: 2 })).toBe(
      'left-pad@1.3.0 has 2 issues',
    );
  });

  it('fills a placeholder every time it appears, and keys with dots and dashes', () => {
    expect(interpolate('{{a}}-{{a}} {{x.y}} {{with-dash}}', { a: 'A', 'x.y': 'dot', 'with-dash': 'dash' })).toBe('A-A dot dash');
  });

  it('leaves unknown placeholders as written, so a template typo shows', () => {
    expect(interpolate('{{nmae}} and {{ version }}', { name: 'x' })).toBe('{{nmae}} and {{ version }}');
  });

  it('does not take inherited properties for data', () => {
    expect(interpolate('{{constructor}} {{toString}}', {})).toBe('{{constructor}} {{toString}}');
  });

  it('inserts values literally: no $-patterns, no second pass over inserted text', () => {
    expect(interpolate('{{a}} {{b}}', { a: "$& $1 $$ $'", b: '{{a}}' })).toBe("$& $1 $$ $' {{a}}");
  });

  it('leaves text without placeholders and malformed braces alone', () => {
    expect(interpolate('plain { {name} } {{}} {{ two words }}', { name: 'x' })).toBe('plain { {name} } {{}} {{ two words }}');
  });
});
