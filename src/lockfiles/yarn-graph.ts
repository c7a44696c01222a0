/**
 * What the yarn classic and Berry graph builders share: node defaults, the project root, ids
 * made unique, the edges a root gets for descriptors no entry asks for, and the flags neither
 * yarn format stores.
 *
 * Model: yarn.lock records no dev, optional or peer flags, so they are derived from the edges,
 * with npm's meaning: a package is optional (dev) when every chain from the root or a
 * workspace to it crosses an optional (dev) edge, and devOptional when it is needed by a dev
 * chain and by an optional one but by no chain that is neither.
 * - optional: yarn classic knows the project's own dependency types only from package.json
 *   (when the loader hands the manifests over); without them its root edges count as
 *   required, and an optional dependency is found only when yarn wrote it into a package's
 *   `optionalDependencies`.
 * - dev: only yarn classic with manifests has dev edges. Berry folds `devDependencies` into a
 *   workspace's `dependencies`, so its packages are never dev, and --production keeps them.
 * - peer: always false. Peer edges of packages are not resolved (Berry picks the provider per
 *   dependent at install time, classic does not record peers at all). A yarn classic
 *   workspace's own peer dependency does resolve when the lockfile locks that range (usually
 *   because the workspace also dev-depends on it); it then counts as a required edge.
 * - hasInstallScript: always false (`draftNode`): neither format records whether a package
 *   has install scripts.
 */
import type { DependencyEdge, DependencyGraph, DependencyType, LockfileInfo, PackageFlags, PackageNode } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { splitDescriptor } from './yarn-descriptor.ts';

/** Flags the graph builder still writes: `optional` and `dev` are known only once every edge is. */
export type DraftFlags = { -readonly [Flag in keyof PackageFlags]: PackageFlags[Flag] };

/** A node whose flags are not final yet. */
export type DraftNode = Omit<PackageNode, 'flags'> & { readonly flags: DraftFlags };

/** Fresh flags for a draft node, all false. */
function draftFlags(): DraftFlags {
  return { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
}

/** What a reader knows of a node; the rest is the same for every yarn node (see above). */
export type NodeFields = Omit<DraftNode, 'flags' | 'hasInstallScript' | 'checksum' | 'patchedFrom'> &
  Partial<Pick<DraftNode, 'checksum' | 'patchedFrom'>>;

/** A draft node with fresh flags and no install script (neither yarn format records one). */
export function draftNode(fields: NodeFields): DraftNode {
  return { checksum: undefined, patchedFrom: undefined, ...fields, flags: draftFlags(), hasInstallScript: false };
}

export interface DraftGraph {
  readonly lockfile: LockfileInfo;
  readonly root: DraftNode;
  readonly importers: readonly DraftNode[];
  readonly packages: readonly DraftNode[];
}

/**
 * The project's root node: a folder like npm's root. Its location is the lockfile's first
 * line, since yarn.lock has no entry for it.
 */
export function projectRoot(lockfile: LockfileInfo, name: string, version: string, edges: DependencyEdge[]): DraftNode {
  return draftNode({
    id: '',
    name,
    version,
    alias: undefined,
    source: { type: 'directory', path: '.' },
    resolved: undefined,
    integrity: undefined,
    location: { file: lockfile.path, line: 1, column: 1 },
    dependencies: edges,
  });
}

/** Ids from their bases, in lockfile order: a base seen before gets ` #2`, ` #3`, … so ids stay unique. */
export function numberRepeats(bases: readonly string[]): string[] {
  const taken = new Map<string, number>();
  return bases.map((base) => {
    const count = (taken.get(base) ?? 0) + 1;
    taken.set(base, count);
    return count === 1 ? base : `${base} #${count}`;
  });
}

/** An entry as the root-edge fallback sees it: the descriptors its header lists. */
export interface HeadedEntry {
  readonly descriptors: readonly string[];
}

/**
 * Root edges for every descriptor that nothing asks for: some package.json of the project did
 * (the root's or a workspace's), so the root stands in for it and the entry stays reachable.
 * `isRequested` tells the descriptors some node already asks for; `skip` leaves entries out.
 */
export function unrequestedEdges(
  entries: readonly HeadedEntry[],
  ids: readonly string[],
  isRequested: (descriptor: string, id: string) => boolean,
  skip: (index: number) => boolean = () => false,
): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  entries.forEach((entry, index) => {
    if (skip(index)) return;
    const id = ids[index]!;
    for (const descriptor of entry.descriptors) {
      if (isRequested(descriptor, id)) continue;
      const { name, range } = splitDescriptor(descriptor);
      edges.push({ name, spec: range, type: 'prod', to: id });
    }
  });
  return edges;
}

export function finishYarnGraph(draft: DraftGraph): DependencyGraph {
  const graph = createDependencyGraph(draft);
  const starts = [draft.root, ...draft.importers];
  const types = new Set<DependencyType>();
  for (const node of [...starts, ...draft.packages]) for (const edge of node.dependencies) types.add(edge.type);
  // Without optional or dev edges every reachable package is required, and no walk is needed.
  if (!types.has('optional') && !types.has('dev')) return graph;
  const required = reachable(graph, starts, new Set(['optional', 'dev']));
  const withoutDev = reachable(graph, starts, new Set(['dev']));
  const withoutOptional = reachable(graph, starts, new Set(['optional']));
  const any = reachable(graph, starts, new Set());
  for (const node of [...draft.packages, ...draft.importers]) {
    if (!any.has(node.id) || required.has(node.id)) continue;
    const viaDev = withoutOptional.has(node.id);
    const viaOptional = withoutDev.has(node.id);
    node.flags.devOptional = viaDev && viaOptional;
    node.flags.dev = !viaOptional && !node.flags.devOptional;
    node.flags.optional = !viaDev && !node.flags.devOptional;
  }
  return graph;
}

/** Ids reachable from `starts` (included) over every edge whose type is not in `avoid`. */
function reachable(graph: DependencyGraph, starts: readonly PackageNode[], avoid: ReadonlySet<DependencyType>): Set<string> {
  const seen = new Set(starts.map((node) => node.id));
  const queue: PackageNode[] = [...starts];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of queue[i]!.dependencies) {
      if (edge.to === undefined || seen.has(edge.to) || avoid.has(edge.type)) continue;
      const target = graph.node(edge.to);
      if (!target) continue;
      seen.add(edge.to);
      queue.push(target);
    }
  }
  return seen;
}
