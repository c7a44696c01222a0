/**
 * Does a registry tarball URL belong to the entry that records it? Every npm-compatible
 * registry serves a release at `<registry path><name>/-/<file>.tgz`, `<file>` being
 * `<name without scope>-<version>` (GitLab writes the scoped name there: `@scope/name-1.0.0`).
 * Pointing an entry's `resolved` at another package's tarball (with a matching integrity) is the
 * classic lockfile injection: the review shows `ms@2.1.3`, the install gets something else.
 *
 * The name part is read in the registry's own layout: below the path of the configured registry
 * the URL lies under (Artifactory's `/api/npm/npm-remote/`), everything up to `/-/` must be the
 * name; for a URL under no configured registry, the last segment (two for `@scope/name`) is.
 * `%2f` and `%40` are decoded, as registries accept both spellings of a scoped name.
 */
import { pathnameOf } from '../../registry/resolution-url.ts';

export interface TarballPathMismatch {
  /** The path the entry's name and version call for. */
  readonly expected: string;
  /** The URL's path, decoded. */
  readonly actual: string;
  readonly expectedName: string;
  /** The package name the URL's path names. */
  readonly actualName: string;
  readonly expectedFile: string;
  readonly actualFile: string;
}

/**
 * The mismatch between `url`'s path and `name@version`, or undefined when they agree or `url` is
 * not a registry tarball URL (no `/-/` segment: GitHub Packages' download URLs, for example).
 * `registryPaths`: the paths (with trailing slash) of configured registries on the URL's host.
 */
export function tarballPathMismatch(
  url: string,
  name: string,
  version: string,
  registryPaths: readonly string[],
): TarballPathMismatch | undefined {
  const pathname = pathnameOf(url);
  if (pathname === undefined) return undefined;
  const dash = pathname.lastIndexOf('/-/');
  if (dash < 0) return undefined;
  // Without a "%" nothing decodes: the common path skips decodeURIComponent and its try.
  const read = pathname.includes('%') ? decode : unchanged;
  const registryPath = longestPrefix(pathname, dash + 1, registryPaths);
  let prefix: string;
  let actualName: string;
  if (registryPath === undefined) ({ prefix, name: actualName } = inferName(pathname.slice(0, dash + 1)));
  else {
    prefix = registryPath;
    actualName = read(pathname.slice(registryPath.length, dash));
  }
  const actualFile = read(pathname.slice(dash + 3));
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const expectedFile = `${base}-${version}.tgz`;
  // Without a recorded version (a bun or yarn entry that lacks one) only the name can be compared.
  const fileMatches = version === '' || actualFile === expectedFile || actualFile === `${name}-${version}.tgz`;
  if (actualName === name && fileMatches) return undefined;
  return {
    expected: `${decode(prefix)}${name}/-/${version === '' ? `${base}-<version>.tgz` : expectedFile}`,
    actual: decode(pathname),
    expectedName: name,
    actualName,
    expectedFile: version === '' ? `${base}-<version>.tgz` : expectedFile,
    actualFile,
  };
}

/** The longest of `prefixes` that `path`'s first `length` characters start with and go beyond. */
function longestPrefix(path: string, length: number, prefixes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const prefix of prefixes) {
    if (prefix.length < length && path.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best;
}

/** `/prefix/@scope/name/` or `/prefix/@scope%2fname/` → `@scope/name`; `/prefix/name/` → `name`; with the prefix. */
function inferName(before: string): { prefix: string; name: string } {
  const segments = before.split('/').slice(1, -1);
  const last = decode(segments.at(-1) ?? '');
  const previous = segments.at(-2);
  const scoped = !last.includes('/') && previous !== undefined && decode(previous).startsWith('@');
  const used = scoped ? 2 : 1;
  const prefix = `/${segments.slice(0, segments.length - used).map((segment) => `${segment}/`).join('')}`;
  return { prefix, name: scoped ? `${decode(previous)}/${last}` : last };
}

function unchanged(value: string): string {
  return value;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
