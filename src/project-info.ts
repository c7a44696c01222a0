/** Facts about pkgguard itself and about the project's place in its repository. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cachedVersion: string | undefined;

/** Set by the bundler (esbuild.config.js): the bundle does not sit one level below package.json. */
declare const PKGGUARD_BUNDLED_VERSION: string | undefined;

/** pkgguard's own version: built into the bundle, else from package.json (one level up from src/ or dist/). */
export function toolVersion(): string {
  if (typeof PKGGUARD_BUNDLED_VERSION === 'string') return PKGGUARD_BUNDLED_VERSION;
  cachedVersion ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return cachedVersion;
}

/**
 * The path from the repository root (the nearest ancestor with `.git`, a directory or a
 * worktree file) to `projectDir`, POSIX, '' or ending in '/'. SARIF URIs must be relative to
 * the repository so code scanning annotates the right file when pkgguard runs in a
 * subdirectory. No git process is spawned: this is a start-up path.
 */
export function repoPrefixOf(projectDir: string): string {
  let dir = path.resolve(projectDir);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) {
      const relative = path.relative(dir, path.resolve(projectDir)).split(path.sep).join('/');
      return relative ? `${relative}/` : '';
    }
    const parent = path.dirname(dir);
    if (parent === dir) return '';
    dir = parent;
  }
}
