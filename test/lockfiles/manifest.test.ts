import { describe, expect, it } from 'vitest';
import { toManifest, workspacePatterns } from '../../src/lockfiles/manifest.ts';

describe('toManifest', () => {
  it("lists each dependency once, in arborist's field order, the later field deciding its type", () => {
    const manifest = toManifest({
      name: 'app',
      version: 3,
      dependencies: { a: '^1', opt: '^2', bad: 5 },
      optionalDependencies: { opt: '^2.1' },
      devDependencies: { react: '^18', d: '1' },
      peerDependencies: { react: '>=17', p: '*', q: '*' },
      peerDependenciesMeta: { q: { optional: true } },
    });
    expect(manifest.name).toBe('app');
    expect(manifest.version).toBeUndefined();
    expect(manifest.dependencies.map(({ name, spec, type }) => `${name}(${type} ${spec})`)).toEqual([
      'react(dev ^18)',
      'p(peer *)',
      'q(peerOptional *)',
      'a(prod ^1)',
      'opt(optional ^2.1)',
      'd(dev 1)',
    ]);
  });

  it('reads anything that is not an object as an empty manifest', () => {
    expect(toManifest(['x'])).toEqual({ name: undefined, version: undefined, dependencies: [] });
  });
});

describe('workspacePatterns', () => {
  it('reads the array form and the object form, dropping non-strings', () => {
    expect(workspacePatterns({ workspaces: ['a/*', 1, 'b'] })).toEqual(['a/*', 'b']);
    expect(workspacePatterns({ workspaces: { packages: ['c/*'], nohoist: ['**'] } })).toEqual(['c/*']);
    expect(workspacePatterns({ workspaces: 'a/*' })).toEqual([]);
    expect(workspacePatterns(null)).toEqual([]);
  });
});
