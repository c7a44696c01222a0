/**
 * Turns the nodes the yarn readers built into a DependencyGraph, filling in the flags neither
 * yarn format stores.
 *
 * Model: yarn.lock records no dev, optional or peer flags, so they are derived from the edges.
 * - optional: reachable from the root or a workspace, but only through optional edges (npm's
 *   meaning of the flag). Yarn classic does not record the project's own dependency types,
 *   so its root edges count as required; an optional dependency declared in package.json is
 *   found only when yarn wrote it into a package's `optionalDependencies`.
 * - dev: always false. Neither format says which of the project's dependencies are dev ones
 *   (Berry folds `devDependencies` into a workspace's `dependencies`), and only package.json
 *   knows, which parsers do not read. --production therefore keeps every yarn package.
 * - peer: always false. Peer edges are not resolved (Berry picks the provider per dependent at
 *   install time, classic does not record peers at all), so no node is reachable through
 *   peers alone.
 */
import type { DependencyEdge, DependencyGraph, LockfileInfo, PackageNode } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';

/** A node before its flags are known. */
export type DraftNode = Omit<PackageNode, 'flags'>;

export interface DraftGraph {
  readonly lockfile: LockfileInfo;
  readonly root: DraftNode;
  readonly importers: readonly DraftNode[];
  readonly packages: readonly DraftNode[];
}

export function finishYarnGraph(draft: DraftGraph): DependencyGraph {
  const byId = new Map<string, DraftNode>();
  for (const node of [draft.root, ...draft.importers, ...draft.packages]) byId.set(node.id, node);
  const starts = [draft.root, ...draft.importers];
  const required = reachable(starts, byId, (edge) => edge.type !== 'optional');
  const any = reachable(starts, byId, () => true);
  // Built field by field, in one order, so every node shares one object shape.
  const finish = (node: DraftNode): PackageNode => ({
    id: node.id,
    name: node.name,
    version: node.version,
    alias: node.alias,
    source: node.source,
    resolved: node.resolved,
    integrity: node.integrity,
    checksum: node.checksum,
    patchedFrom: node.patchedFrom,
    flags: {
      dev: false,
      optional: any.has(node.id) && !required.has(node.id),
      devOptional: false,
      peer: false,
      bundled: false,
    },
    hasInstallScript: node.hasInstallScript,
    location: node.location,
    dependencies: node.dependencies,
  });
  return createDependencyGraph({
    lockfile: draft.lockfile,
    root: finish(draft.root),
    importers: draft.importers.map(finish),
    packages: draft.packages.map(finish),
  });
}

/** Ids reachable from `starts` over the edges `follow` accepts (the starts included). */
function reachable(
  starts: readonly DraftNode[],
  byId: ReadonlyMap<string, DraftNode>,
  follow: (edge: DependencyEdge) => boolean,
): Set<string> {
  const seen = new Set(starts.map((node) => node.id));
  const queue = [...starts];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of queue[i]!.dependencies) {
      if (edge.to === undefined || seen.has(edge.to) || !follow(edge)) continue;
      const target = byId.get(edge.to);
      if (!target) continue;
      seen.add(edge.to);
      queue.push(target);
    }
  }
  return seen;
}
