/**
 * Builds the graph of a yarn classic lockfile from its checked entries.
 *
 * Model:
 * - Every entry is one package. Its header lists the descriptors (`name@range`) it satisfies;
 *   the name comes from the first one (the target's for `npm:` aliases), the version from
 *   `version`.
 * - Ids are `name@version`; an entry reached only through an alias is `alias@npm:name@version`
 *   (yarn keeps it apart from the same release under its own name), and a later entry whose
 *   id is taken gets ` #2`, ` #3`, … in lockfile order.
 * - Edges: `dependencies` and `optionalDependencies` name descriptors; each resolves to the
 *   entry whose header lists it.
 * - The root: yarn 1 writes neither the project nor its workspaces into the lockfile, so there
 *   are no importers. A descriptor that no entry depends on was asked for by a package.json of
 *   the project (the root's or a workspace's), so it becomes an edge of the root. Its type is
 *   unknown and recorded as 'prod' (see yarn-graph.ts for the flags).
 * - Integrity: `integrity` as written. Lockfiles of yarn before 1.10 (and remote tarballs in
 *   any yarn 1) carry only the sha1 in the `resolved` URL's fragment; for a downloaded package
 *   with no `integrity`, that sha1 is exposed as the SRI string `sha1-<base64>`, which is what
 *   yarn verifies, so the integrity check rightly calls it weak.
 */
import type { DependencyEdge, DependencyType, LockfileInfo, PackageSource, SourceLocation } from '../core/graph.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { ClassicObject } from './yarn-classic-reader.ts';
import { aliasTarget, isGitUrl, isHttpUrl, isTarballPath, splitDescriptor, splitFragment } from './yarn-descriptor.ts';
import { draftFlags, finishYarnGraph, type DraftNode } from './yarn-graph.ts';

/** An entry whose field types were checked. */
export interface CheckedClassicEntry {
  readonly descriptors: readonly string[];
  readonly version: string;
  readonly resolved: string | undefined;
  readonly integrity: string | undefined;
  readonly dependencies: ClassicObject | undefined;
  readonly optionalDependencies: ClassicObject | undefined;
  readonly location: SourceLocation;
}

export interface ClassicGraphInput {
  readonly lockfile: LockfileInfo;
  readonly rootName: string;
  readonly entries: readonly CheckedClassicEntry[];
}

const SHA1_HEX = /^[0-9a-f]{40}$/i;

export function buildClassicGraph(input: ClassicGraphInput): DependencyGraph {
  const heads = input.entries.map(packageOf);
  const ids = assignIds(input.entries, heads);
  const idOf = new Map<string, string>();
  input.entries.forEach((entry, index) => {
    for (const descriptor of entry.descriptors) idOf.set(descriptor, ids[index]!);
  });

  const requested = new Set<string>();
  const packages: DraftNode[] = input.entries.map((entry, index) => {
    const edges: DependencyEdge[] = [];
    addEdges(edges, entry.dependencies, 'prod', idOf, requested);
    addEdges(edges, entry.optionalDependencies, 'optional', idOf, requested);
    return draftNode(ids[index]!, entry, heads[index]!, edges);
  });

  const rootEdges: DependencyEdge[] = [];
  input.entries.forEach((entry, index) => {
    for (const descriptor of entry.descriptors) {
      if (requested.has(descriptor)) continue;
      const { name, range } = splitDescriptor(descriptor);
      rootEdges.push({ name, spec: range, type: 'prod', to: ids[index] });
    }
  });
  const root: DraftNode = {
    id: '',
    name: input.rootName,
    version: '',
    alias: undefined,
    source: { type: 'directory', path: '.' },
    resolved: undefined,
    integrity: undefined,
    checksum: undefined,
    patchedFrom: undefined,
    flags: draftFlags(),
    hasInstallScript: false,
    location: { file: input.lockfile.path, line: 1, column: 1 },
    dependencies: rootEdges,
  };
  return finishYarnGraph({ lockfile: input.lockfile, root, importers: [], packages });
}

function addEdges(
  edges: DependencyEdge[],
  dependencies: ClassicObject | undefined,
  type: DependencyType,
  idOf: ReadonlyMap<string, string>,
  requested: Set<string>,
): void {
  if (!dependencies) return;
  for (const [name, spec] of dependencies) {
    if (typeof spec !== 'string') continue; // checked by the parser; blocks never reach here
    const descriptor = `${name}@${spec}`;
    requested.add(descriptor);
    edges.push({ name, spec, type, to: idOf.get(descriptor) });
  }
}

/** The package an entry holds, and the range that names where it comes from. */
interface EntryPackage {
  readonly name: string;
  readonly alias: string | undefined;
  readonly range: string;
}

/**
 * The real package an entry holds: the target of its first `npm:` alias descriptor, else the
 * first descriptor's name. An alias names the package outright, while a plain descriptor
 * may have been redirected by `resolutions` (`ms@2.1.2, "ms@npm:dry-uninstall@0.3.0"` holds
 * dry-uninstall, installed as ms).
 */
function packageOf(entry: CheckedClassicEntry): EntryPackage {
  const descriptors = entry.descriptors.map(splitDescriptor);
  const first = descriptors[0] ?? { name: '', range: '' };
  for (const descriptor of descriptors) {
    const target = aliasTarget(descriptor.range);
    if (!target) continue;
    // An alias only when no descriptor asks for the package under its own name.
    const ownName = descriptors.some(({ name }) => name === target.name);
    return { name: target.name, alias: ownName ? undefined : first.name, range: target.range };
  }
  return { name: first.name, alias: undefined, range: first.range };
}

function assignIds(entries: readonly CheckedClassicEntry[], heads: readonly EntryPackage[]): string[] {
  const taken = new Map<string, number>();
  return entries.map((entry, index) => {
    const { name, alias } = heads[index]!;
    const base = alias === undefined ? `${name}@${entry.version}` : `${alias}@npm:${name}@${entry.version}`;
    const count = (taken.get(base) ?? 0) + 1;
    taken.set(base, count);
    return count === 1 ? base : `${base} #${count}`;
  });
}

function draftNode(id: string, entry: CheckedClassicEntry, head: EntryPackage, edges: DependencyEdge[]): DraftNode {
  const { name, alias, range } = head;
  const source = classicSource(range, entry.resolved);
  return {
    id,
    name,
    version: entry.version,
    alias,
    source,
    resolved: entry.resolved,
    integrity: entry.integrity ?? sha1FromResolved(source, entry.resolved),
    checksum: undefined,
    patchedFrom: undefined,
    flags: draftFlags(),
    hasInstallScript: false,
    location: entry.location,
    dependencies: edges,
  };
}

/** `owner/repo` or `owner/repo#ref`: yarn's GitHub shorthand (a semver range never has a slash). */
const GITHUB_SHORTHAND = /^[\w.-]+\/[\w.-]+(?:#.*)?$/;

/**
 * Where an entry comes from, read as yarn 1 does: git and local specs by their range (links
 * and folders have no `resolved`; GitHub specs resolve to a codeload tarball, still a git
 * source), downloads by `resolved`. An http(s) `resolved` is a registry tarball unless the
 * range itself was a URL.
 */
export function classicSource(range: string, resolved: string | undefined): PackageSource {
  if (resolved !== undefined && isGitUrl(resolved)) return gitSource(resolved);
  if (isGitUrl(range) || GITHUB_SHORTHAND.test(range)) return gitSource(range);
  if (resolved === undefined) {
    if (range.startsWith('link:')) return { type: 'link', path: range.slice(5) };
    if (range.startsWith('file:')) return localFile(range);
    return { type: 'registry' };
  }
  if (resolved.startsWith('file:')) return localFile(splitFragment(resolved)[0]);
  if (isHttpUrl(resolved)) return isHttpUrl(range) ? { type: 'tarball', url: resolved } : { type: 'registry', url: resolved };
  return { type: 'tarball', url: resolved };
}

function localFile(spec: string): PackageSource {
  return isTarballPath(spec) ? { type: 'tarball', url: spec } : { type: 'directory', path: spec.slice(5) };
}

function gitSource(value: string): PackageSource {
  const [url, committish] = splitFragment(value);
  return { type: 'git', url, committish: committish || undefined };
}

/** `sha1-<base64>` from a download URL's `#<40 hex>` fragment, for entries without `integrity`. */
function sha1FromResolved(source: PackageSource, resolved: string | undefined): string | undefined {
  if (resolved === undefined || (source.type !== 'registry' && source.type !== 'tarball') || !isHttpUrl(resolved)) return undefined;
  const fragment = splitFragment(resolved)[1];
  if (fragment === undefined || !SHA1_HEX.test(fragment)) return undefined;
  return `sha1-${Buffer.from(fragment, 'hex').toString('base64')}`;
}
