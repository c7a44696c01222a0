/**
 * What the yarn classic and Berry graph builders share: node defaults, the project root, ids
 * made unique, the edges a root gets for descriptors no entry asks for, and the flags neither
 * yarn format stores.
 *
 * Model: yarn.lock records no dev, optional or peer flags, so they are derived from the edges
 * (dep-flags.ts, the computation bun and pnpm use too, with npm's meaning). What the edges
 * know:
 * - The project's own dependency types come from its package.json files, when the loader
 *   hands them over (`manifests`): yarn classic types the root's and every workspace's edges
 *   by their field; Berry, which folds a workspace's devDependencies (and optional ones) into
 *   its `dependencies`, retypes those edges by the workspace's package.json. Without the
 *   manifests (a lockfile audited on its own) those edges count as required, so nothing is
 *   dev and --production keeps every package; an optional dependency is still found where
 *   the lockfile marks it (Berry's `dependenciesMeta`, a package's `optionalDependencies`).
 * - Peer edges of packages are not resolved (Berry picks the provider per dependent at
 *   install time, classic does not record peers at all), so no package is peer through them.
 *   A yarn classic workspace's own peer dependency does resolve when the lockfile locks that
 *   range; a package reached only that way is peer, as npm would say.
 * - A package no root reaches gets no flag, so a hand-made orphan does not hide under
 *   --production.
 * - hasInstallScript: always false (`draftNode`): neither format records whether a package
 *   has install scripts.
 */
import type { DependencyEdge, DependencyGraph, LockfileInfo, PackageFlags, PackageNode } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { computeFlags } from './dep-flags.ts';
import { splitDescriptor } from './yarn-descriptor.ts';

/**
 * A node whose flags are not known yet: they need every edge of the graph. It is already the
 * final node (flags start as none and finishYarnGraph sets them), so no second copy of each
 * node is made.
 */
export interface DraftNode extends Omit<PackageNode, 'flags'> {
  flags: PackageFlags;
}

export const NO_FLAGS: PackageFlags = Object.freeze({ dev: false, optional: false, devOptional: false, peer: false, bundled: false });

/** What a reader knows of a node; the rest is the same for every yarn node (see above). */
export type NodeFields = Omit<DraftNode, 'hasInstallScript' | 'checksum' | 'patchedFrom' | 'flags'> &
  Partial<Pick<DraftNode, 'checksum' | 'patchedFrom'>>;

/** A draft node with no install script (neither yarn format records one). */
export function draftNode(fields: NodeFields): DraftNode {
  return {
    id: fields.id,
    name: fields.name,
    version: fields.version,
    alias: fields.alias,
    source: fields.source,
    resolved: fields.resolved,
    integrity: fields.integrity,
    checksum: fields.checksum,
    patchedFrom: fields.patchedFrom,
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: fields.location,
    dependencies: fields.dependencies,
  };
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

/** The graph, each package with the flags its chains from the root and the workspaces give it. */
export function finishYarnGraph(draft: DraftGraph): DependencyGraph {
  const flags = computeFlags([draft.root, ...draft.importers], draft.packages, 'unflagged');
  for (let i = 0; i < flags.length; i++) draft.packages[i]!.flags = flags[i]!;
  return createDependencyGraph(draft);
}
