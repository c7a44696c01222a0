import { describe, expect, it } from 'vitest';
import { tarballPathMismatch } from '../../../src/checks/lockfile-source/tarball-path.ts';

describe('tarballPathMismatch', () => {
  it.each([
    ['https://r.example/ms/-/ms-2.1.3.tgz', 'ms', '2.1.3', ['/']],
    ['https://r.example/@types/ms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', ['/']],
    ['https://r.example/@types%2fms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', ['/']],
    ['https://r.example/@types%2Fms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', []],
    ['https://r.example/%40types%2fms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', []],
    ['https://r.example/api/npm/npm-remote/@types/ms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', ['/api/npm/npm-remote/']],
    ['https://r.example/api/npm/npm-remote/ms/-/ms-2.1.3.tgz', 'ms', '2.1.3', []],
    // GitLab's package registry repeats the scope in the file name.
    ['https://gitlab.example/api/v4/projects/7/packages/npm/@corp/ui/-/@corp/ui-1.0.0.tgz', '@corp/ui', '1.0.0', []],
    ['https://r.example/ms/-/ms-2.1.3.tgz#574c8138ce1d2b5861f0b44579dbadd60c6615b2', 'ms', '2.1.3', ['/']],
    ['https://r.example/ms/-/ms-2.1.3.tgz', 'ms', '', ['/']],
    // Not a registry tarball layout: nothing to compare.
    ['https://npm.pkg.example/download/@corp/ui/1.0.0/0123abcd', '@corp/ui', '1.0.0', []],
  ])('%s is %s@%s', (url, name, version, registryPaths) => {
    expect(tarballPathMismatch(url, name, version, registryPaths)).toBeUndefined();
  });

  it('names both the expected and the actual path, name and file', () => {
    expect(tarballPathMismatch('https://r.example/@evil/ms/-/ms-0.7.34.tgz', '@types/ms', '0.7.34', ['/'])).toEqual({
      expected: '/@types/ms/-/ms-0.7.34.tgz',
      actual: '/@evil/ms/-/ms-0.7.34.tgz',
      expectedName: '@types/ms',
      actualName: '@evil/ms',
      expectedFile: 'ms-0.7.34.tgz',
      actualFile: 'ms-0.7.34.tgz',
    });
  });

  it('infers the name below an unknown prefix, and compares the whole rest below a known one', () => {
    expect(tarballPathMismatch('https://r.example/mirror/evil/-/evil-1.0.0.tgz', 'ms', '1.0.0', [])).toMatchObject({
      expected: '/mirror/ms/-/ms-1.0.0.tgz',
      actualName: 'evil',
    });
    expect(tarballPathMismatch('https://r.example/mirror/x/ms/-/ms-1.0.0.tgz', 'ms', '1.0.0', ['/mirror/'])).toMatchObject({
      expected: '/mirror/ms/-/ms-1.0.0.tgz',
      actualName: 'x/ms',
    });
  });

  it('compares the version in the file name', () => {
    expect(tarballPathMismatch('https://r.example/ms/-/ms-2.0.0.tgz', 'ms', '2.1.3', ['/'])).toMatchObject({
      expectedFile: 'ms-2.1.3.tgz',
      actualFile: 'ms-2.0.0.tgz',
    });
  });
});
