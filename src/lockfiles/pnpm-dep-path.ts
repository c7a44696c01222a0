/**
 * pnpm's dependency paths: the keys of `packages`/`snapshots` and the references that point at
 * them, with the rules of pnpm's own dependency-path package for each lockfile generation.
 *
 *   generation   lockfileVersion   registry key                     peer suffix
 *   v5           3 … 5.4           /name/1.0.0, /@s/n/1.0.0         _peer@2.0.0+other@1.0.0
 *   v6           6.x               /name@1.0.0, /@s/n@1.0.0         (peer@2.0.0)(other@1.0.0)
 *   v9           9.0               name@1.0.0, @s/n@1.0.0           (peer@2.0.0(nested@1.0.0))
 *
 * Keys of git, tarball and directory packages do not follow the registry pattern (v5/v6:
 * `github.com/org/repo/<commit>`, `file:vendor/dir`, `@host/path/x.tgz`; v9:
 * `name@git+https://…#<commit>`, `name@file:…`); pnpm records their `name` and `version`
 * next to them instead, or leaves the name to the reference that points there.
 */

export type KeyStyle = 'v5' | 'v6' | 'v9';

/** The lockfile generation of a `lockfileVersion` pkgguard reads; undefined for any other. */
export function keyStyleOf(lockfileVersion: unknown): KeyStyle | undefined {
  const version = typeof lockfileVersion === 'number' ? String(lockfileVersion) : lockfileVersion;
  if (typeof version !== 'string') return undefined;
  // pnpm 3 to 7 wrote 3 … 5.4 (and pnpm 7 "5.4-inlineSpecifiers"), pnpm 8 wrote 6.0, pnpm 9
  // and later write 9.0. Minor versions within a generation share its shape.
  if (/^(?:[345](?:\.\d+)?|5\.4-inlineSpecifiers)$/.test(version)) return 'v5';
  // An unquoted `9.0` reaches here as the number 9.
  if (/^6(?:\.\d+)?$/.test(version)) return 'v6';
  if (/^9(?:\.\d+)?$/.test(version)) return 'v9';
  return undefined;
}

/** What a key says about its package: the name, and the version when it is a semver version. */
export interface KeyParts {
  readonly name?: string | undefined;
  readonly version?: string | undefined;
}

/** Name and version read off a `packages`/`snapshots` key, as far as the key spells them. */
export function parseKey(key: string, style: KeyStyle): KeyParts {
  if (style === 'v9') return splitAtVersion(key);
  // v5/v6: a registry key starts with `/`; anything else starts with a host (`registry.example/…`)
  // or is not a registry key at all, whose first segment is dropped like pnpm does.
  const slash = key.indexOf('/');
  if (slash === -1) return {};
  const body = key.slice(slash + 1);
  if (style === 'v6') return splitAtVersion(body);
  const scoped = body.startsWith('@');
  const nameEnd = scoped ? body.indexOf('/', body.indexOf('/') + 1) : body.indexOf('/');
  if (nameEnd <= 0) return {};
  const name = body.slice(0, nameEnd);
  let version = body.slice(nameEnd + 1);
  const cut = version.includes('(') && version.endsWith(')') ? version.indexOf('(') : version.indexOf('_');
  if (cut !== -1) version = version.slice(0, cut);
  return isPackageName(name) && isSemver(version) ? { name, version } : {};
}

/** `name@version(suffix)` as pnpm 6+ writes it; the name ends at the first `@` after its own start. */
function splitAtVersion(key: string): KeyParts {
  const at = key.indexOf('@', 1);
  if (at === -1) return {};
  const name = key.slice(0, at);
  if (!isPackageName(name)) return {};
  const rest = key.slice(at + 1);
  const suffix = suffixStart(rest);
  const version = suffix === -1 ? rest : rest.slice(0, suffix);
  return { name, version: isSemver(version) ? version : undefined };
}

/**
 * Where the trailing run of parenthesised groups starts (peers, `(patch_hash=…)`), or -1: the
 * groups may nest, so the scan goes backwards counting parentheses, as pnpm's does.
 */
export function suffixStart(depPath: string): number {
  if (!depPath.endsWith(')')) return -1;
  let open = 0;
  for (let i = depPath.length - 1; i >= 0; i--) {
    const c = depPath[i];
    if (c === ')') open++;
    else if (c === '(') open--;
    else if (open === 0) return i + 1;
  }
  return -1;
}

/** The v9 `packages` key of a snapshot key: without its peer and patch suffix. */
export function packageKeyOf(snapshotKey: string): string {
  const suffix = suffixStart(snapshotKey);
  return suffix === -1 ? snapshotKey : snapshotKey.slice(0, suffix);
}

/**
 * The key a dependency's reference points at (pnpm's refToRelative), or undefined for `link:`
 * references, which point at a folder instead of a lockfile entry.
 */
export function keyOfReference(reference: string, name: string, style: KeyStyle): string | undefined {
  if (reference.startsWith('link:')) return undefined;
  if (style === 'v9') {
    if (reference.startsWith('@')) return reference;
    const at = reference.indexOf('@');
    if (at === -1) return `${name}@${reference}`;
    const colon = reference.indexOf(':');
    const bracket = reference.indexOf('(');
    // `string-width@4.2.3` (an alias) is a key already; in `1.0.0(peer@2.0.0)` or
    // `https://…@…` the `@` belongs to something else.
    const isKey = (colon === -1 || at < colon) && (bracket === -1 || at < bracket);
    return isKey ? reference : `${name}@${reference}`;
  }
  if (reference.startsWith('file:')) return reference;
  // A bare version, possibly with a peer suffix (v6 suffixes may hold `/` in scoped names).
  const suffix = suffixStart(reference);
  const withoutPeers = suffix === -1 ? reference : reference.slice(0, suffix);
  if (!withoutPeers.includes('/')) return style === 'v6' ? `/${name}@${reference}` : `/${name}/${reference}`;
  return reference;
}

/** The folder a `link:` reference points at, relative to the lockfile's folder (POSIX, normalised). */
export function linkedFolder(reference: string, fromFolder: string): string {
  const parts = fromFolder === '.' ? [] : fromFolder.split('/');
  for (const part of reference.slice('link:'.length).replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** A package name as npm allows it in a path: `name` or `@scope/name`, no further slashes. */
const PACKAGE_NAME = /^(?:@[^/@\s]+\/)?[^/@\s]+$/;

function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name);
}

const NUMBER = '(?:0|[1-9]\\d*)';
const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(
  `^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** A version semver's strict parser accepts (what pnpm's `semver.valid` check asks). */
export function isSemver(version: string): boolean {
  return version.length <= 256 && SEMVER.test(version);
}
