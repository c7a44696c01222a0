/**
 * DescriptorMap, the descriptor-keyed map the yarn and pnpm graph builders read by name and
 * range: every lookup must find exactly what a plain map keyed by the whole `name@range`
 * string finds, odd names (empty, holding an `@`) and descriptors without a range included.
 */
import { describe, expect, it } from 'vitest';
import { DescriptorMap } from '../../src/lockfiles/yarn-descriptor.ts';

const DESCRIPTORS = [
  'debug@^2.6.9',
  'debug@npm:^2.6.9',
  '@s/a@^1.0.0',
  '@s/a@workspace:packages/a',
  'str@npm:string-width@4.2.3',
  'a@b@1',
  'plain',
  '@scoped-only',
  '@@1',
  'x@',
  '@1',
];
const NAMES = ['debug', '@s/a', 'str', 'a', 'a@b', 'plain', '@scoped-only', '@', '', 'x', '@1'];
const RANGES = ['^2.6.9', 'npm:^2.6.9', '^1.0.0', 'workspace:packages/a', 'npm:string-width@4.2.3', 'b@1', '1', '', 'plain'];

describe('DescriptorMap', () => {
  it('finds by name and range exactly what a map of whole descriptors finds', () => {
    const map = new DescriptorMap<number>();
    const whole = new Map<string, number>();
    DESCRIPTORS.forEach((descriptor, index) => {
      map.set(descriptor, index);
      whole.set(descriptor, index);
    });
    for (const name of NAMES) {
      for (const range of RANGES) expect(map.get(name, range), `${name} + ${range}`).toBe(whole.get(`${name}@${range}`));
    }
    for (const descriptor of [...DESCRIPTORS, 'debug', 'a@b', 'nothing@1']) expect(map.getDescriptor(descriptor)).toBe(whole.get(descriptor));
  });

  it('lets a later set win and keeps the first value with setIfAbsent', () => {
    const map = new DescriptorMap<string>();
    map.set('a@1', 'first');
    map.set('a@1', 'second');
    expect(map.get('a', '1')).toBe('second');
    expect(map.setIfAbsent('a@1', 'third')).toBe('second');
    expect(map.setIfAbsent('b@1', 'new')).toBe('new');
    expect(map.get('b', '1')).toBe('new');
    // The whole-descriptor index built for an odd name sees later writes too.
    expect(map.get('', '1')).toBeUndefined();
    map.set('@1', 'bare');
    expect(map.get('', '1')).toBe('bare');
  });
});
