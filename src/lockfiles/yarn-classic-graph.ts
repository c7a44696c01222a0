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
import { aliasTarget, DescriptorMap, isGitUrl, isHttpUrl, isTarballPath, splitDescriptor, splitFragment } from './yarn-descriptor.ts';
import { finishYarnGraph, NO_FLAGS, numberRepeats, projectRoot, type DraftNode } from './yarn-graph.ts';

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
  const { entries } = input;
  const index = new DescriptorIndex();
  const heads = entries.map((entry, number) => {
    for (const descriptor of entry.descriptors) index.add(descriptor, number);
    return packageOf(entry);
  });
  const ids = numberRepeats(entries.map((entry, number) => baseId(entry, heads[number]!)));
  const idOf = (name: string, spec: string): string | undefined => {
    const entry = index.entryOf(name, spec);
    return entry === -1 ? undefined : ids[entry];
  };

  const packages: DraftNode[] = entries.map((entry, number) => {
    const edges: DependencyEdge[] = [];
    addEdges(edges, entry.dependencies, 'prod', idOf);
    addEdges(edges, entry.optionalDependencies, 'optional', idOf);
    return entryNode(ids[number]!, entry, heads[number]!, edges);
  });

  const { manifests } = input;
  // yarn 1 ignores a workspace without a name.
  const workspaces = (manifests?.workspaces ?? []).flatMap(({ path, manifest }) =>
    manifest.name === undefined ? [] : [{ id: `${manifest.name}@workspace:${path}`, name: manifest.name, path, manifest }],
  );
  const workspaceIds = new Map<string, string>();
  for (const { id, name } of workspaces) if (!workspaceIds.has(name)) workspaceIds.set(name, id);
  const declaredEdges = (manifest: PackageManifest): DependencyEdge[] =>
    manifest.dependencies.map(({ name, spec, type }) => ({ name, spec, type, to: idOf(name, spec) ?? workspaceIds.get(name) }));
  // The lockfile has no entry for a workspace, so it sits at the first line like the root.
  const importers = workspaces.map(({ id, name, path, manifest }): DraftNode => ({
    ...projectRoot(input.lockfile, name, manifest.version ?? '', declaredEdges(manifest)),
    id,
    source: { type: 'workspace', path },
  }));
  const rootEdges = manifests ? declaredEdges(manifests.root) : [];
  rootEdges.push(...index.unrequestedEdges(ids));
  const root = projectRoot(input.lockfile, manifests?.root.name ?? input.rootName, manifests?.root.version ?? '', rootEdges);
  return finishYarnGraph({ lockfile: input.lockfile, root, importers, packages });
}

/**
 * Which entry each header descriptor (`name@range`) belongs to, looked up by the name and the
 * range a dependent writes, without building a `name@range` string per edge; it also records
 * which descriptors something asked for. A later entry listing the same descriptor wins, as
 * it would in a map from descriptor to entry.
 */
class DescriptorIndex {
  /** descriptor → slot */
  private readonly slots = new DescriptorMap<number>();
  /** Per slot: the descriptor, the entry that lists it last, whether something asks for it. */
  private readonly descriptors: string[] = [];
  private readonly entries: number[] = [];
  private readonly asked: boolean[] = [];
  /** Every header descriptor as listed: slot and entry, in pairs. */
  private readonly listed: number[] = [];

  add(descriptor: string, entry: number): void {
    const slot = this.slots.setIfAbsent(descriptor, this.descriptors.length);
    if (slot === this.descriptors.length) {
      this.descriptors.push(descriptor);
      this.entries.push(entry);
      this.asked.push(false);
    } else {
      this.entries[slot] = entry;
    }
    this.listed.push(slot, entry);
  }

  /** The entry whose header lists `name@spec` (marking it asked for), or -1. */
  entryOf(name: string, spec: string): number {
    const slot = this.slots.get(name, spec);
    if (slot === undefined) return -1;
    this.asked[slot] = true;
    return this.entries[slot]!;
  }

  /**
   * Root edges for every descriptor that nothing asks for: some package.json of the project
   * did (the root's or a workspace's), so the root stands in for it and the entry stays
   * reachable. In header order, each to the entry whose header lists it there.
   */
  unrequestedEdges(ids: readonly string[]): DependencyEdge[] {
    const edges: DependencyEdge[] = [];
    for (let k = 0; k < this.listed.length; k += 2) {
      const slot = this.listed[k]!;
      if (this.asked[slot]) continue;
      const { name, range } = splitDescriptor(this.descriptors[slot]!);
      edges.push({ name, spec: range, type: 'prod', to: ids[this.listed[k + 1]!] });
    }
    return edges;
  }
}

function addEdges(
  edges: DependencyEdge[],
  dependencies: ClassicObject | undefined,
  type: DependencyType,
  idOf: (name: string, spec: string) => string | undefined,
): void {
  // forEach, not for…of: no entry array and iterator result per edge in a cold process.
  dependencies?.forEach((spec, name) => {
    if (typeof spec !== 'string') return; // checked by the parser; blocks never reach here
    edges.push({ name, spec, type, to: idOf(name, spec) });
  });
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
  const { descriptors } = entry;
  const first = descriptors.length === 0 ? { name: '', range: '' } : splitDescriptor(descriptors[0]!);
  for (const descriptor of descriptors) {
    // Only `name@npm:…` can be an alias: nothing is split for the others.
    const at = descriptor.indexOf('@', 1);
    if (at === -1 || !descriptor.startsWith('npm:', at + 1)) continue;
    const target = aliasTarget(descriptor.slice(at + 1));
    if (!target) continue;
    // An alias only when no descriptor asks for the package under its own name.
    const ownName = descriptors.some((other) => splitDescriptor(other).name === target.name);
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
  const { resolved } = entry;
  const source = classicSource(range, resolved);
  return {
    id,
    name,
    version: entry.version,
    alias,
    source,
    resolved,
    integrity: entry.integrity ?? sha1FromResolved(source, resolved),
    checksum: undefined,
    patchedFrom: undefined,
    flags: NO_FLAGS,
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
