/**
 * The first element of a bun.lock package tuple, `"<name>@<resolution>"`, read the way bun's
 * own reader classifies it (Resolution.fromTextLockfile): `root:`, `link:`, `workspace:` and
 * `file:` prefixes first, then git and GitHub, then tarballs, and anything else must be an
 * exact npm version.
 */
import type { PackageSource } from '../core/graph.ts';

export type BunResolution =
  | { readonly kind: 'npm'; readonly version: string }
  /** `git+<url>#<commit>` and `github:<owner>/<repo>#<commit>`: `url` is the part before `#`. */
  | { readonly kind: 'git'; readonly spec: string; readonly url: string; readonly committish: string | undefined }
  /** A remote tarball URL, or a local tarball path as bun writes it ("./vendor/a-1.0.0.tgz"). */
  | { readonly kind: 'tarball'; readonly spec: string; readonly remote: boolean }
  | { readonly kind: 'folder' | 'link' | 'workspace'; readonly path: string }
  /** The project itself, when something depends on it by name. */
  | { readonly kind: 'root' };

export interface BunIdent {
  readonly name: string;
  readonly resolution: BunResolution;
}

const GIT = /^(?:git\+|git:\/\/|github:|gitlab:|bitbucket:)/i;
const REMOTE_TARBALL = /^https?:\/\//i;
const LOCAL_TARBALL = /\.(?:tgz|tar\.gz|tar)$/i;
/** An exact semver version, as bun writes npm resolutions (prerelease and build allowed). */
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Splits `name@resolution` (the name may be scoped) and classifies the resolution. Undefined
 * when there is no name, or the resolution is nothing bun writes (bun rejects those too).
 * `key`, the package path, is usually the name itself: its string then serves as the name,
 * and the graph keeps no copy.
 */
export function readIdent(ident: string, key?: string): BunIdent | undefined {
  // bun writes the project itself as "<name>@root:", and "@root:" when the project has no name.
  if (ident.startsWith('@root:')) return { name: '', resolution: { kind: 'root' } };
  const at = ident.indexOf('@', ident.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  const resolution = readResolution(ident.slice(at + 1));
  return resolution && { name: key !== undefined && key.length === at && ident.startsWith(key) ? key : ident.slice(0, at), resolution };
}

function readResolution(spec: string): BunResolution | undefined {
  // Nearly every entry is an npm version, so that is tested first; a digit-led spec that is not
  // one (a tarball "1.0.0.tgz") falls through to the other kinds.
  const first = spec.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39 && EXACT_VERSION.test(spec)) return { kind: 'npm', version: spec };
  if (spec.startsWith('root:')) return { kind: 'root' };
  if (spec.startsWith('link:')) return { kind: 'link', path: spec.slice(5) };
  if (spec.startsWith('workspace:')) return { kind: 'workspace', path: spec.slice(10) };
  if (spec.startsWith('file:')) return { kind: 'folder', path: spec.slice(5) };
  if (GIT.test(spec)) {
    const hash = spec.indexOf('#');
    return hash === -1
      ? { kind: 'git', spec, url: spec, committish: undefined }
      : { kind: 'git', spec, url: spec.slice(0, hash), committish: spec.slice(hash + 1) || undefined };
  }
  if (REMOTE_TARBALL.test(spec)) return { kind: 'tarball', spec, remote: true };
  if (LOCAL_TARBALL.test(spec)) return { kind: 'tarball', spec, remote: false };
  return undefined;
}

/** The default registry's source, shared by every package from it: thousands of equal objects would only feed the collector. */
const DEFAULT_REGISTRY: PackageSource = Object.freeze({ type: 'registry' });

/** An npm entry's source: `registry` is "" (or absent) for the default registry, else the tarball URL. */
export function registrySource(registry: string | undefined): PackageSource {
  return registry ? { type: 'registry', url: registry } : DEFAULT_REGISTRY;
}

/**
 * The graph's source for a package. `registry` is the tuple's registry field: "" for the
 * default registry (bun leaves the URL out), else the tarball URL bun downloaded from.
 * A local tarball gets the `file:` prefix npm writes for one, so checks treat both alike.
 */
export function sourceOf(resolution: BunResolution, registry: string | undefined): PackageSource {
  switch (resolution.kind) {
    case 'npm':
      return registrySource(registry);
    case 'git':
      return { type: 'git', url: resolution.url, committish: resolution.committish };
    case 'tarball':
      return { type: 'tarball', url: resolution.remote ? resolution.spec : `file:${resolution.spec}` };
    case 'folder':
      return { type: 'directory', path: resolution.path };
    case 'link':
      return { type: 'link', path: resolution.path };
    case 'workspace':
      return { type: 'workspace', path: resolution.path };
    case 'root':
      return { type: 'directory', path: '.' };
  }
}

/** The download address as the lockfile writes it: a non-default registry's URL, a tarball or git spec. */
export function resolvedOf(resolution: BunResolution, registry: string | undefined): string | undefined {
  if (resolution.kind === 'npm') return registry || undefined;
  if (resolution.kind === 'git' || resolution.kind === 'tarball') return resolution.spec;
  return undefined;
}

/**
 * Length of the enclosing package path plus its slash (0 at the top level): the last segment
 * is the install name, two segments when scoped ("a/@s/b" → "a", "@s/b" → top level).
 */
export function parentLength(key: string): number {
  const last = key.lastIndexOf('/');
  if (last === -1) return 0;
  const before = key.lastIndexOf('/', last - 1);
  if (key.charCodeAt(before + 1) !== 0x40 /* @ */) return last + 1;
  return before === -1 ? 0 : before + 1;
}
