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
 * - The root and workspaces: yarn 1 writes neither the project nor its workspaces into the
 *   lockfile. When the loader hands over the project's package.json files (`manifests`), the
 *   root takes its name, version and edges from the root's, and every workspace becomes an
 *   importer (id `name@workspace:<folder>`, located at the lockfile's first line like the
 *   root) with the edges of its own package.json, typed by their field. A declared
 *   `name@range` resolves to the entry whose header lists it, else to the workspace of that
 *   name (yarn 1 links a workspace instead of locking it). A descriptor that still nobody
 *   asks for (no manifests, or stale ones) was asked for by some package.json of the project,
 *   so it becomes a 'prod' edge of the root (see yarn-graph.ts for the flags).
 * - Integrity: `integrity` as written. Lockfiles of yarn before 1.10 (and remote tarballs in
 *   any yarn 1) carry only the sha1 in the `resolved` URL's fragment; for a downloaded package
 *   with no `integrity`, that sha1 is exposed as the SRI string `sha1-<base64>`, which is what
 *   yarn verifies, so the integrity check rightly calls it weak.
 */
import type { DependencyEdge, DependencyType, LockfileInfo, PackageSource, SourceLocation } from '../core/graph.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { PackageManifest, ProjectManifests } from './manifest.ts';
import type { ClassicObject } from './yarn-classic-reader.ts';
import { aliasTarget, isGitUrl, isHttpUrl, isTarballPath, splitDescriptor, splitFragment } from './yarn-descriptor.ts';
import { draftNode, finishYarnGraph, numberRepeats, projectRoot, unrequestedEdges, type DraftNode } from './yarn-graph.ts';

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
  /** The root's name when there is no root package.json (the lockfile folder's name). */
  readonly rootName: string;
  readonly entries: readonly CheckedClassicEntry[];
  readonly manifests?: ProjectManifests | undefined;
}

const SHA1_HEX = /^[0-9a-f]{40}$/i;

export function buildClassicGraph(input: ClassicGraphInput): DependencyGraph {
  const heads = input.entries.map(packageOf);
  const ids = numberRepeats(input.entries.map((entry, index) => baseId(entry, heads[index]!)));
  const idOf = new Map<string, string>();
  input.entries.forEach((entry, index) => {
    for (const descriptor of entry.descriptors) idOf.set(descriptor, ids[index]!);
  });

  const requested = new Set<string>();
  const packages: DraftNode[] = input.entries.map((entry, index) => {
    const edges: DependencyEdge[] = [];
    addEdges(edges, entry.dependencies, 'prod', idOf, requested);
    addEdges(edges, entry.optionalDependencies, 'optional', idOf, requested);
    return entryNode(ids[index]!, entry, heads[index]!, edges);
  });

  const { manifests } = input;
  // yarn 1 ignores a workspace without a name.
  const workspaces = (manifests?.workspaces ?? []).flatMap(({ path, manifest }) =>
    manifest.name === undefined ? [] : [{ id: `${manifest.name}@workspace:${path}`, name: manifest.name, path, manifest }],
  );
  const workspaceIds = new Map<string, string>();
  for (const { id, name } of workspaces) if (!workspaceIds.has(name)) workspaceIds.set(name, id);
  const declaredEdges = (manifest: PackageManifest): DependencyEdge[] =>
    manifest.dependencies.map(({ name, spec, type }) => {
      const descriptor = `${name}@${spec}`;
      requested.add(descriptor);
      return { name, spec, type, to: idOf.get(descriptor) ?? workspaceIds.get(name) };
    });
  // The lockfile has no entry for a workspace, so it sits at the first line like the root.
  const importers = workspaces.map(({ id, name, path, manifest }): DraftNode => ({
    ...projectRoot(input.lockfile, name, manifest.version ?? '', declaredEdges(manifest)),
    id,
    source: { type: 'workspace', path },
  }));
  const rootEdges = manifests ? declaredEdges(manifests.root) : [];
  rootEdges.push(...unrequestedEdges(input.entries, ids, (descriptor) => requested.has(descriptor)));
  const root = projectRoot(input.lockfile, manifests?.root.name ?? input.rootName, manifests?.root.version ?? '', rootEdges);
  return finishYarnGraph({ lockfile: input.lockfile, root, importers, packages });
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

/** `name@version`, or `alias@npm:name@version` for an entry reached only through an alias. */
function baseId(entry: CheckedClassicEntry, { name, alias }: EntryPackage): string {
  return alias === undefined ? `${name}@${entry.version}` : `${alias}@npm:${name}@${entry.version}`;
}

function entryNode(id: string, entry: CheckedClassicEntry, head: EntryPackage, edges: DependencyEdge[]): DraftNode {
  const { name, alias, range } = head;
  const source = classicSource(range, entry.resolved);
  return draftNode({
    id,
    name,
    version: entry.version,
    alias,
    source,
    resolved: entry.resolved,
    integrity: entry.integrity ?? sha1FromResolved(source, entry.resolved),
    location: entry.location,
    dependencies: edges,
  });
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
