/**
 * Which lockfile entries tarball-integrity verifies, where each one's bytes come from, and which
 * entries it leaves alone and why (each reason becomes a counted note).
 *
 * - Registry packages: the URL the package manager downloads. That is the lockfile's `resolved`
 *   (without yarn 1's `#sha1` fragment), except that npm and yarn 1 send downloads addressed to
 *   their public default registry to the configured one (npm's `replace-registry-host`), so a URL
 *   on a default-registry alias is rewritten the same way. Without a URL in the lockfile (pnpm,
 *   bun, yarn Berry), the configured registry's conventional tarball address.
 * - Remote tarball dependencies (`https://host/x.tgz`): that URL.
 * - `file:` tarballs inside the project: the file, read locally. Outside the project root they
 *   are not read (lockfile-source reports those paths).
 * - Never git dependencies: fetching one means cloning and building it, which runs its `prepare`
 *   script, and pkgguard never executes package code.
 * - yarn Berry records a checksum of its own zip archive, not an SRI of the tarball: nothing to
 *   compare the download with.
 */
import path from 'node:path';
import type { PackageNode } from '../../core/graph.ts';
import type { RegistryConfig } from '../../registry/registry-config.ts';
import { defaultRegistries, normalizeRegistryUrl, registryFor } from '../../registry/registry-config.ts';
import { integrityOf, readSri, type SriAlgorithm, digestsFor } from '../integrity/sri.ts';

export interface Expectation {
  readonly node: PackageNode;
  readonly algorithm: SriAlgorithm;
  /** The lockfile's digests in `algorithm`, as `sha512-…` (several joined by a space). */
  readonly expected: string;
  /** The well-formed tokens of the lockfile's integrity. */
  readonly integrity: string;
}

export interface RemoteTarget extends Expectation {
  readonly kind: 'remote';
  /** What gets downloaded. */
  readonly url: string;
  /** The URL as written in the lockfile, when it differs (npm's cache may hold it under either). */
  readonly writtenUrl?: string | undefined;
  /** The registry whose settings apply to the download. */
  readonly registry: string;
}

export interface LocalTarget extends Expectation {
  readonly kind: 'local';
  /** `file:…` as written. */
  readonly written: string;
  /** POSIX path relative to the project directory. */
  readonly relativePath: string;
}

export type SkipReason = 'git' | 'yarn-berry-checksum' | 'no-integrity' | 'outside-project' | 'no-url';

export type Targeting = { readonly kind: 'verify'; readonly target: RemoteTarget | LocalTarget } | { readonly kind: 'skip'; readonly reason: SkipReason } | { readonly kind: 'none' };

export interface TargetingContext {
  readonly config: RegistryConfig;
  readonly projectDir: string;
  readonly lockfileDir: string;
}

/** How one entry is verified, or why it is not. `none`: nothing of its own to download (local folders, bundled copies). */
export function targetOf(node: PackageNode, context: TargetingContext): Targeting {
  const { source } = node;
  if (node.flags.bundled || source.type === 'directory' || source.type === 'link' || source.type === 'workspace') return { kind: 'none' };
  if (source.type === 'git') return { kind: 'skip', reason: 'git' };
  if (node.integrity === undefined || node.patchedFrom !== undefined) {
    return { kind: 'skip', reason: node.checksum !== undefined || node.patchedFrom !== undefined ? 'yarn-berry-checksum' : 'no-integrity' };
  }
  const expectation = expectationOf(node, node.integrity);
  if (!expectation) return { kind: 'skip', reason: 'no-integrity' };
  if (source.type === 'tarball' && source.url.startsWith('file:')) {
    const relativePath = projectRelative(context, fileTarballPath(source.url));
    if (relativePath === undefined) return { kind: 'skip', reason: 'outside-project' };
    return { kind: 'verify', target: { ...expectation, kind: 'local', written: source.url, relativePath } };
  }
  if (source.type === 'tarball') {
    const url = httpUrl(source.url);
    return url === undefined ? { kind: 'skip', reason: 'no-url' } : { kind: 'verify', target: { ...expectation, kind: 'remote', url, registry: originOf(url) } };
  }
  if (source.type !== 'registry') return { kind: 'none' };
  if (node.version === '') return { kind: 'skip', reason: 'no-url' };
  const registry = registryFor(context.config, node.name);
  const written = node.resolved ?? source.url;
  if (written === undefined) {
    return { kind: 'verify', target: { ...expectation, kind: 'remote', url: conventionalTarball(registry, node.name, node.version), registry } };
  }
  const asWritten = httpUrl(written);
  if (asWritten === undefined) return { kind: 'skip', reason: 'no-url' };
  const url = onConfiguredRegistry(context.config, asWritten);
  return { kind: 'verify', target: { ...expectation, kind: 'remote', url, writtenUrl: url === asWritten ? undefined : asWritten, registry } };
}

function expectationOf(node: PackageNode, value: string): Expectation | undefined {
  const { tokens, strongest } = readSri(value);
  if (strongest === undefined) return undefined;
  const expected = digestsFor(integrityOf(tokens), strongest);
  return expected === undefined ? undefined : { node, algorithm: strongest, expected, integrity: tokens.join(' ') };
}

/** An http(s) URL without its fragment (yarn 1 appends `#<sha1>`), or undefined for anything else. */
function httpUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.hash = '';
  return url.href;
}

/** A URL on an alias of the default registry (npm's or yarn 1's public host), moved to the configured default. */
function onConfiguredRegistry(config: RegistryConfig, url: string): string {
  for (const alias of defaultRegistries(config).slice(1)) {
    if (alias !== config.defaultRegistry && url.startsWith(alias)) return `${config.defaultRegistry}${url.slice(alias.length)}`;
  }
  return url;
}

/** `<registry><name>/-/<unscoped name>-<version>.tgz`, where npm publishes every tarball. */
export function conventionalTarball(registry: string, name: string, version: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return `${registry}${name}/-/${base}-${version}.tgz`;
}

/** `file:vendor/a.tgz`, `file:./a.tgz`, `file:/abs/a.tgz`, `file:///abs/a.tgz` → the path. */
function fileTarballPath(url: string): string {
  const rest = url.slice('file:'.length);
  return rest.startsWith('//') ? rest.replace(/^\/\/[^/]*/, '') : rest;
}

/** `file:` paths are relative to the lockfile's folder; the result is relative to the project, or undefined outside it. */
function projectRelative(context: TargetingContext, target: string): string | undefined {
  const absolute = path.resolve(context.lockfileDir, target);
  const relative = path.relative(path.resolve(context.projectDir), absolute);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** The server a remote tarball comes from, as a registry URL (its settings, e.g. a CA, apply). */
function originOf(url: string): string {
  return normalizeRegistryUrl(new URL('/', url).href) ?? url;
}
