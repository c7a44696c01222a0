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
 * - hasInstallScript: always false (set by the readers): neither format records whether a
 *   package has install scripts.
 */
import type { DependencyGraph, LockfileInfo, PackageFlags, PackageNode } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';

/** Flags the graph builder still writes: `optional` is known only once every edge is. */
export type DraftFlags = { -readonly [Flag in keyof PackageFlags]: PackageFlags[Flag] };

/** A node whose flags are not final yet. */
export type DraftNode = Omit<PackageNode, 'flags'> & { readonly flags: DraftFlags };

/** Fresh flags for a draft node, all false. */
export function draftFlags(): DraftFlags {
  return { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
}

export interface DraftGraph {
  readonly lockfile: LockfileInfo;
  readonly root: DraftNode;
  readonly importers: readonly DraftNode[];
  readonly packages: readonly DraftNode[];
}

export function finishYarnGraph(draft: DraftGraph): DependencyGraph {
  const graph = createDependencyGraph(draft);
  const starts = [draft.root, ...draft.importers];
  // Without optional edges nothing is optional, and neither walk is needed.
  const hasOptional = draft.packages.some((node) => node.dependencies.some((edge) => edge.type === 'optional')) ||
    starts.some((node) => node.dependencies.some((edge) => edge.type === 'optional'));
  if (!hasOptional) return graph;
  const required = reachable(graph, starts, false);
  const any = reachable(graph, starts, true);
  for (const node of draft.packages) node.flags.optional = any.has(node.id) && !required.has(node.id);
  for (const node of draft.importers) node.flags.optional = any.has(node.id) && !required.has(node.id);
  return graph;
}

/** Ids reachable from `starts` (included), over every edge or over all but optional ones. */
function reachable(graph: DependencyGraph, starts: readonly PackageNode[], throughOptional: boolean): Set<string> {
  const seen = new Set(starts.map((node) => node.id));
  const queue: PackageNode[] = [...starts];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of queue[i]!.dependencies) {
      if (edge.to === undefined || seen.has(edge.to) || (!throughOptional && edge.type === 'optional')) continue;
      const target = graph.node(edge.to);
      if (!target) continue;
      seen.add(edge.to);
      queue.push(target);
    }
  }
  return seen;
}
