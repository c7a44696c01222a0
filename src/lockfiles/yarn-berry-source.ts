/**
 * Where a yarn Berry package comes from, read off the reference of its `resolution` locator
 * (`name@<reference>`). Berry writes no download URL for registry packages: the registry is a
 * setting of the project (`npmRegistryServer`), so registry sources carry no URL.
 *
 * | reference                                         | source                          |
 * | ------------------------------------------------- | ------------------------------- |
 * | `npm:1.2.3`                                       | registry                        |
 * | `workspace:packages/a`                            | workspace `packages/a`          |
 * | `patch:<inner locator, URL-encoded>#<patch>::…`   | the inner locator's source      |
 * | `https://host/repo.git#commit=<sha>`, `git+ssh:…` | git, committish = the commit    |
 * | `https://host/file.tgz`                           | tarball                         |
 * | `file:vendor/a.tgz#…::…` / `file:vendor/dir#…::…` | tarball `file:…` / directory    |
 * | `link:…::…`, `portal:…::…`                        | link (a symlink, not a copy)    |
 * | `exec:gen.js#…::…`                                | directory: the generator script |
 *
 * `::` starts the bindings Berry appends (`locator=…`, `hash=…`); they are not part of a path.
 * An unknown protocol is a link when its linkType is soft, else an opaque download address.
 */
import type { PackageSource } from '../core/graph.ts';
import { decodeComponent, isGitUrl, isHttpUrl, isTarballPath, splitDescriptor, splitFragment } from './yarn-descriptor.ts';

/** Fragments Berry's git resolver writes or reads. */
const GIT_FRAGMENT = /(?:^|&)(?:commit|head|tag|semver)=/;
/** Patches of patches exist; deeper nesting than this is not a real lockfile. */
const MAX_PATCH_DEPTH = 8;

export function berrySource(reference: string, linkType: string | undefined, depth = 0): PackageSource {
  if (reference.startsWith('npm:')) return { type: 'registry' };
  if (reference.startsWith('workspace:')) return { type: 'workspace', path: reference.slice(10) };
  if (reference.startsWith('patch:')) {
    const inner = patchedLocator(reference);
    if (inner !== undefined && depth < MAX_PATCH_DEPTH) return berrySource(splitDescriptor(inner).range, linkType, depth + 1);
    return { type: 'tarball', url: reference };
  }
  if (reference.startsWith('link:') || reference.startsWith('portal:')) {
    return { type: 'link', path: localPath(reference.slice(reference.indexOf(':') + 1)) };
  }
  if (reference.startsWith('file:')) {
    const file = localPath(reference.slice(5));
    return isTarballPath(file) ? { type: 'tarball', url: `file:${file}` } : { type: 'directory', path: file };
  }
  if (reference.startsWith('exec:')) return { type: 'directory', path: localPath(reference.slice(5)) };
  const [url, fragment] = splitFragment(withoutBindings(reference));
  if (isGitUrl(reference) || (fragment !== undefined && GIT_FRAGMENT.test(fragment))) {
    return { type: 'git', url, committish: committishOf(fragment) };
  }
  if (isHttpUrl(reference)) return { type: 'tarball', url: reference };
  return linkType === 'soft' ? { type: 'link', path: reference } : { type: 'tarball', url: reference };
}

/** The locator a `patch:` reference patches (`resolve@npm:1.22.8`), decoded; undefined when unreadable. */
export function patchedLocator(reference: string): string | undefined {
  if (!reference.startsWith('patch:')) return undefined;
  const encoded = splitFragment(reference.slice(6))[0];
  return encoded === '' ? undefined : decodeComponent(encoded);
}

/** True for the patches yarn applies by itself (`#optional!builtin<compat/resolve>`, older `#~builtin<…>`). */
export function isBuiltinPatch(reference: string): boolean {
  const patch = splitFragment(reference)[1];
  return patch !== undefined && /^(?:optional!|~)?builtin</.test(patch);
}

function withoutBindings(reference: string): string {
  const bindings = reference.indexOf('::');
  return bindings === -1 ? reference : reference.slice(0, bindings);
}

/** A local path as the user wrote it: before Berry's `#<path>` repeat and `::` bindings. */
function localPath(spec: string): string {
  return splitFragment(withoutBindings(spec))[0];
}

/** `commit=<sha>` wins; otherwise the branch, tag or range asked for, or the bare fragment. */
function committishOf(fragment: string | undefined): string | undefined {
  if (fragment === undefined || fragment === '') return undefined;
  if (!fragment.includes('=')) return fragment;
  const pairs = fragment.split('&').map((pair) => pair.split('=', 2) as [string, string | undefined]);
  for (const key of ['commit', 'head', 'tag', 'semver']) {
    const value = pairs.find(([name]) => name === key)?.[1];
    if (value) return value;
  }
  return fragment;
}
