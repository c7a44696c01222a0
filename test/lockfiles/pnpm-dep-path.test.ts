/**
 * pnpm's dependency paths, per lockfile generation: which versions map to which key rules,
 * what a key says about its package, and which key a dependency's reference points at.
 */
import { describe, expect, it } from 'vitest';
import { isSemver, keyOfReference, keyStyleOf, linkedFolder, packageKeyOf, parseKey, suffixStart } from '../../src/lockfiles/pnpm-dep-path.ts';

describe('keyStyleOf', () => {
  it.each([
    [3, 'v5'],
    ['3', 'v5'],
    [4, 'v5'],
    [5, 'v5'],
    [5.3, 'v5'],
    [5.4, 'v5'],
    ['5.4', 'v5'],
    ['5.4-inlineSpecifiers', 'v5'],
    ['6.0', 'v6'],
    ['6.1', 'v6'],
    [6, 'v6'],
    ['9.0', 'v9'],
    [9, 'v9'],
  ])('%j is %s', (version, style) => {
    expect(keyStyleOf(version)).toBe(style);
  });

  it.each([2, '7.0', '10.0', 'nine', '', null, undefined, [9], '9.0.0', ' 9.0'])('%j is no version pkgguard reads', (version) => {
    expect(keyStyleOf(version)).toBeUndefined();
  });
});

describe('parseKey', () => {
  it.each([
    ['/ms/2.1.3', 'v5', { name: 'ms', version: '2.1.3' }],
    ['/@babel/core/7.0.0', 'v5', { name: '@babel/core', version: '7.0.0' }],
    ['/react-dom/18.3.1_react@18.3.1', 'v5', { name: 'react-dom', version: '18.3.1' }],
    ['/@t/p/5.13.0_33fffc354ccfa91fbe7d1677b9395a0a', 'v5', { name: '@t/p', version: '5.13.0' }],
    ['registry.example/peer/3.0.0', 'v5', { name: 'peer', version: '3.0.0' }],
    ['/ms@2.1.3', 'v6', { name: 'ms', version: '2.1.3' }],
    ['/@babel/core@7.0.0(@types/node@20.0.0)(x@1.0.0)', 'v6', { name: '@babel/core', version: '7.0.0' }],
    ['ms@2.1.3', 'v9', { name: 'ms', version: '2.1.3' }],
    ['@s/a@1.0.0-beta.1+build(b@2.0.0(c@3.0.0))', 'v9', { name: '@s/a', version: '1.0.0-beta.1+build' }],
    ['a@1.0.0(patch_hash=abc)(b@2.0.0)', 'v9', { name: 'a', version: '1.0.0' }],
    ['@teambit/bit@1.13.53(b49f6ee54a9da0a2b8dfd6b403e088ce)', 'v9', { name: '@teambit/bit', version: '1.13.53' }],
    // Keys of git, tarball and directory packages name the package, not its version.
    ['git-dep@git+https://git.example/team/git-dep.git#a5eb58ff', 'v9', { name: 'git-dep', version: undefined }],
    ['dir-dep@file:vendor/dir-dep', 'v9', { name: 'dir-dep', version: undefined }],
  ])('%s (%s)', (key, style, parts) => {
    expect(parseKey(key, style as 'v5' | 'v6' | 'v9')).toEqual(parts);
  });

  it.each([
    ['invalidpath', 'v5'],
    ['github.com/org/repo/267087851ad5fac92a184749c27cd539e2fc862e', 'v5'],
    ['/srv/git/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3', 'v5'],
    ['file:vendor/dir-dep', 'v5'],
    ['@tarballs.example/ms-2.1.3.tgz', 'v6'],
    ['github.com/org/repo/267087851ad5fac92a184749c27cd539e2fc862e', 'v6'],
    ['file:vendor/dir-dep', 'v6'],
    ['no-version-separator', 'v9'],
    ['a/b/c@1.0.0', 'v9'],
  ])('%s (%s) names nothing', (key, style) => {
    expect(parseKey(key, style as 'v5' | 'v6' | 'v9')).toEqual({});
  });
});

describe('keyOfReference', () => {
  it.each([
    ['2.1.3', 'ms', 'v5', '/ms/2.1.3'],
    ['18.3.1_react@18.3.1', 'react-dom', 'v5', '/react-dom/18.3.1_react@18.3.1'],
    ['/string-width/4.2.3', 'str', 'v5', '/string-width/4.2.3'],
    ['file:vendor/dir-dep', 'dir-dep', 'v5', 'file:vendor/dir-dep'],
    ['git.example/team/git-dep/a5eb58ff', 'git-dep', 'v5', 'git.example/team/git-dep/a5eb58ff'],
    ['2.1.3', 'ms', 'v6', '/ms@2.1.3'],
    ['7.0.0(@types/node@20.0.0)', '@babel/core', 'v6', '/@babel/core@7.0.0(@types/node@20.0.0)'],
    ['/string-width@4.2.3', 'str', 'v6', '/string-width@4.2.3'],
    ['@tarballs.example/ms-2.1.3.tgz', 'remote-ms', 'v6', '@tarballs.example/ms-2.1.3.tgz'],
    ['2.1.3', 'ms', 'v9', 'ms@2.1.3'],
    ['18.3.1(react@18.3.1)', 'react-dom', 'v9', 'react-dom@18.3.1(react@18.3.1)'],
    ['string-width@4.2.3', 'str', 'v9', 'string-width@4.2.3'],
    ['@s/real@1.0.0', 'alias', 'v9', '@s/real@1.0.0'],
    ['https://tarballs.example/ms-2.1.3.tgz', 'remote-ms', 'v9', 'remote-ms@https://tarballs.example/ms-2.1.3.tgz'],
    ['git+https://git@git.example:org/a.git#abc', 'a', 'v9', 'a@git+https://git@git.example:org/a.git#abc'],
    ['file:vendor/dir-dep', 'dir-dep', 'v9', 'dir-dep@file:vendor/dir-dep'],
  ])('%s as %s (%s) → %s', (reference, name, style, key) => {
    expect(keyOfReference(reference, name, style as 'v5' | 'v6' | 'v9')).toBe(key);
  });

  it.each(['v5', 'v6', 'v9'] as const)('has no key for a link: reference (%s)', (style) => {
    expect(keyOfReference('link:../b', 'b', style)).toBeUndefined();
  });
});

describe('linkedFolder', () => {
  it.each([
    ['link:packages/b', '.', 'packages/b'],
    ['link:../b', 'packages/a', 'packages/b'],
    ['link:./b/', 'packages', 'packages/b'],
    ['link:..', 'packages/a', 'packages'],
    ['link:../..', 'packages/a', '.'],
    ['link:../general', '.', '../general'],
    ['link:../../x', 'a', '../x'],
    ['link:..\\win', 'a', 'win'],
  ])('%s from %s is %s', (reference, from, folder) => {
    expect(linkedFolder(reference, from)).toBe(folder);
  });
});

describe('suffixes', () => {
  it('finds the start of the trailing parenthesised groups, nested or not', () => {
    expect(suffixStart('a@1.0.0')).toBe(-1);
    expect(suffixStart('a@1.0.0(b@2.0.0(c@3.0.0))(d@1.0.0)')).toBe(7);
    expect(suffixStart('a@1.0.0)')).toBe(-1);
    expect(suffixStart('(x)')).toBe(-1);
    expect(packageKeyOf('a@1.0.0(patch_hash=abc)(b@2.0.0)')).toBe('a@1.0.0');
    expect(packageKeyOf('b@2.0.0')).toBe('b@2.0.0');
  });
});

describe('isSemver', () => {
  it.each(['1.0.0', 'v1.0.0', '1.0.0-rc.1', '1.0.0-0.3.7', '1.0.0+build.5', '10.20.30-alpha-b.0+x-y'])('accepts %s', (version) => {
    expect(isSemver(version)).toBe(true);
  });

  it.each(['1.0', '01.0.0', '1.0.0-01', '1.0.0-', 'file:x', 'git+https://a/b#1.0.0', '=1.0.0', ` 1.0.0`, `1.0.0-${'1'.repeat(300)}`])('refuses %s', (version) => {
    expect(isSemver(version)).toBe(false);
  });
});
