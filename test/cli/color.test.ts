import { describe, expect, it } from 'vitest';
import { shouldColor } from '../../src/cli/color.ts';

const TTY = { isTTY: true };
const PIPE = { isTTY: false };
const UNKNOWN = {};

describe('shouldColor', () => {
  it('follows the TTY when nothing else says', () => {
    expect(shouldColor(undefined, TTY, {})).toBe(true);
    expect(shouldColor(undefined, PIPE, {})).toBe(false);
    expect(shouldColor(undefined, UNKNOWN, {})).toBe(false);
  });

  it('lets --color / --no-color win over everything', () => {
    expect(shouldColor(true, PIPE, { NO_COLOR: '1', FORCE_COLOR: '0' })).toBe(true);
    expect(shouldColor(false, TTY, { FORCE_COLOR: '1' })).toBe(false);
  });

  it('turns colour off for any non-empty NO_COLOR, even with FORCE_COLOR or a TTY', () => {
    expect(shouldColor(undefined, TTY, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(undefined, TTY, { NO_COLOR: 'false', FORCE_COLOR: '1' })).toBe(false);
  });

  it('ignores an empty NO_COLOR, as no-color.org says', () => {
    expect(shouldColor(undefined, TTY, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor(undefined, PIPE, { NO_COLOR: '', FORCE_COLOR: '1' })).toBe(true);
  });

  it('lets FORCE_COLOR decide over the TTY: "0" and "false" off, anything else on', () => {
    expect(shouldColor(undefined, PIPE, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldColor(undefined, PIPE, { FORCE_COLOR: '3' })).toBe(true);
    expect(shouldColor(undefined, PIPE, { FORCE_COLOR: 'true' })).toBe(true);
    expect(shouldColor(undefined, PIPE, { FORCE_COLOR: '' })).toBe(true);
    expect(shouldColor(undefined, TTY, { FORCE_COLOR: '0' })).toBe(false);
    expect(shouldColor(undefined, TTY, { FORCE_COLOR: 'false' })).toBe(false);
  });
});
