import path from 'node:path';

export interface CacheDirEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly platform: string;
}

/** Subdirectory of the cache dir that holds registry HTTP responses (a cacache store). */
export const HTTP_CACHE_SUBDIR = 'http';

/**
 * pkgguard's cache directory: `PKGGUARD_CACHE_DIR` when set; on Windows
 * `%LOCALAPPDATA%\pkgguard\cache`; elsewhere `$XDG_CACHE_HOME/pkgguard` or `~/.cache/pkgguard`
 * (a relative XDG_CACHE_HOME is invalid per the XDG spec and is ignored).
 */
export function resolveCacheDir({ env, homedir, platform }: CacheDirEnvironment): string {
  const override = env['PKGGUARD_CACHE_DIR'];
  if (override) return path.resolve(override);
  if (platform === 'win32') {
    const localAppData = env['LOCALAPPDATA'] || path.win32.join(homedir, 'AppData', 'Local');
    return path.win32.join(localAppData, 'pkgguard', 'cache');
  }
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.cache');
  return path.posix.join(base, 'pkgguard');
}
