/**
 * Local sources (`file:` tarballs and folders, `link:`, `portal:`) that point outside the project:
 * the install then depends on whatever that machine has at that path, which no review of the
 * repository covers and which differs between a laptop and CI.
 *
 * Paths are resolved the way each package manager writes them: relative to the lockfile's folder,
 * except yarn Berry's, which are relative to the workspace that declares them (named by the
 * `locator=` binding in the entry's id). bun's `link:<name>` is no path at all but a package
 * registered with `bun link`, which lives outside every project.
 */
import path from 'node:path';
import type { DependencyGraph, PackageNode } from '../../core/graph.ts';

export interface OutsidePath {
  /** The source as written (`file:../shared/x.tgz`, `link:../lib`). */
  readonly written: string;
  /** Where it resolves, relative to the project root (POSIX separators), or the bun link note. */
  readonly resolved: string;
}

export function outsidePath(graph: DependencyGraph, node: PackageNode, projectDir: string, lockfileDir: string): OutsidePath | undefined {
  const { source } = node;
  let written: string;
  let target: string;
  switch (source.type) {
    case 'tarball':
      if (!source.url.startsWith('file:')) return undefined;
      written = source.url;
      target = filePath(source.url);
      break;
    case 'link':
      if (graph.lockfile.format === 'bun') return { written: `link:${source.path}`, resolved: `a package registered with \`bun link\` (${source.path})` };
      written = `link:${source.path}`;
      target = source.path;
      break;
    case 'directory':
      written = `file:${source.path}`;
      target = source.path;
      break;
    case 'registry':
    case 'git':
    case 'workspace':
      return undefined;
  }
  const base = graph.lockfile.format === 'yarn-berry' ? path.resolve(lockfileDir, berryWorkspaceOf(node.id) ?? '.') : lockfileDir;
  const absolute = path.resolve(base, target);
  const relative = path.relative(path.resolve(projectDir), absolute);
  if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) return undefined;
  return { written, resolved: relative.split(path.sep).join('/') };
}

/** `file:vendor/a.tgz`, `file:./a.tgz`, `file:/abs/a.tgz`, `file:///abs/a.tgz` → the path. */
function filePath(url: string): string {
  const rest = url.slice(5);
  return rest.startsWith('//') ? rest.replace(/^\/\/[^/]*/, '') : rest;
}

/** The declaring workspace's folder from `…::locator=<name>%40workspace%3A<folder>` in a Berry id. */
function berryWorkspaceOf(id: string): string | undefined {
  const locator = /[:&]locator=([^&]+)/.exec(id)?.[1];
  if (locator === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(locator);
  } catch {
    return undefined;
  }
  const marker = decoded.lastIndexOf('@workspace:');
  return marker < 0 ? undefined : decoded.slice(marker + '@workspace:'.length);
}
