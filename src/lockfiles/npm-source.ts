/**
 * Where an npm lockfile entry comes from, read off its `resolved` field the way npm writes it:
 * registry tarball URLs, git URLs with a `#committish`, `file:` tarballs and directories.
 */
import type { PackageSource } from '../core/graph.ts';

/** Specs npm records for git dependencies (npm-package-arg's git and hosted-git shortcuts). */
const GIT_SPEC = /^(?:git\+[a-z][a-z0-9+.-]*:|git:|github:|gitlab:|bitbucket:|gist:)/i;
const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;
/** Scheme, host, then the path (group 1) up to a query or fragment. */
const HTTP_URL = /^https?:\/\/[^/?#]*([^?#]*)/i;

/**
 * Source of a package installed under node_modules. `resolved` undefined means a registry
 * package whose URL npm left out (`omit-lockfile-registry-resolved`) or a bundled dependency,
 * which arrives inside its parent's tarball.
 */
export function sourceFromResolved(resolved: string | undefined, integrity: string | undefined): PackageSource {
  if (resolved === undefined) return { type: 'registry' };
  // The common case first: an http(s) URL (never a git spec, which always names git).
  const pathname = httpPathname(resolved);
  if (pathname !== undefined) {
    return integrity !== undefined && isRegistryTarballPath(pathname)
      ? { type: 'registry', url: resolved }
      : { type: 'tarball', url: resolved };
  }
  if (GIT_SPEC.test(resolved)) {
    const hash = resolved.indexOf('#');
    if (hash === -1) return { type: 'git', url: resolved };
    const committish = resolved.slice(hash + 1);
    return { type: 'git', url: resolved.slice(0, hash), committish: committish || undefined };
  }
  if (resolved.startsWith('file:')) {
    return TARBALL_FILE.test(resolved) ? { type: 'tarball', url: resolved } : { type: 'directory', path: resolved.slice(5) };
  }
  // Anything else is not a scheme npm writes; keep it as an opaque download address so
  // source checks still see and judge it.
  return { type: 'tarball', url: resolved };
}

/** The path of an http(s) URL, without host, query or fragment; undefined for anything else. */
function httpPathname(url: string): string | undefined {
  const match = HTTP_URL.exec(url);
  return match ? (match[1] ?? '') : undefined;
}

/**
 * Registry tarballs live at `<prefix>/<name>/-/<file>.tgz` (npm's version-from-tgz accepts a
 * registry mounted below the host root). Whether `<name>` matches the package is a question
 * for the lockfile-source check, not for this classification.
 */
function isRegistryTarballPath(pathname: string): boolean {
  const dash = pathname.lastIndexOf('/-/');
  return dash > 0 && pathname.endsWith('.tgz') && !pathname.slice(dash + 3).includes('/');
}
