import { describe, expect, it } from 'vitest';
import { resolveCacheDir } from '../../src/registry/cache-dir.ts';

describe('resolveCacheDir', () => {
  it('prefers PKGGUARD_CACHE_DIR on every platform', () => {
    expect(resolveCacheDir({ env: { PKGGUARD_CACHE_DIR: '/ci/cache/pkgguard', XDG_CACHE_HOME: '/xdg' }, homedir: '/home/ada', platform: 'linux' })).toBe(
      '/ci/cache/pkgguard',
    );
  });

  it('uses $XDG_CACHE_HOME/pkgguard, else ~/.cache/pkgguard', () => {
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: '/xdg' }, homedir: '/home/ada', platform: 'linux' })).toBe('/xdg/pkgguard');
    expect(resolveCacheDir({ env: {}, homedir: '/home/ada', platform: 'linux' })).toBe('/home/ada/.cache/pkgguard');
    expect(resolveCacheDir({ env: {}, homedir: '/Users/ada', platform: 'darwin' })).toBe('/Users/ada/.cache/pkgguard');
  });

  it('ignores a relative XDG_CACHE_HOME, which the XDG spec declares invalid', () => {
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: 'relative/cache' }, homedir: '/home/ada', platform: 'linux' })).toBe('/home/ada/.cache/pkgguard');
  });

  it('uses %LOCALAPPDATA%\\pkgguard\\cache on Windows', () => {
    expect(resolveCacheDir({ env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, homedir: 'C:\\Users\\ada', platform: 'win32' })).toBe(
      'C:\\Users\\ada\\AppData\\Local\\pkgguard\\cache',
    );
    expect(resolveCacheDir({ env: {}, homedir: 'C:\\Users\\ada', platform: 'win32' })).toBe('C:\\Users\\ada\\AppData\\Local\\pkgguard\\cache');
  });
});
