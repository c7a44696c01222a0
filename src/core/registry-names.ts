/**
 * The registry packages of a graph grouped by name, built once per graph and shared by every
 * check that judges names rather than packages (typosquat, the registry lookups of
 * registry-integrity and signatures). Why: each of them walked every package of the lockfile to
 * group it by name, and in a cold process each such walk over a large lockfile cost milliseconds;
 * one walk now serves them all, and each of them loops over the (fewer) names instead.
 */
import type { DependencyGraph, PackageNode } from './graph.ts';

/**
 * Package name → its `source.type === 'registry'` packages, in lockfile order; names in the
 * order of their first package. Shared: callers must not change the map or its lists.
 */
export type RegistryNodesByName = ReadonlyMap<string, readonly PackageNode[]>;

/** Per graph object: a graph never changes once built, and the map goes when the graph does. */
const built = new WeakMap<DependencyGraph, RegistryNodesByName>();

export function registryNodesByName(graph: DependencyGraph): RegistryNodesByName {
  let byName = built.get(graph);
  if (!byName) {
    byName = groupRegistryNodes(graph.packages);
    built.set(graph, byName);
  }
  return byName;
}

function groupRegistryNodes(packages: readonly PackageNode[]): Map<string, PackageNode[]> {
  const byName = new Map<string, PackageNode[]>();
  // An indexed loop: an iterator over thousands of packages shows in cold profiles.
  for (let i = 0; i < packages.length; i++) {
    const node = packages[i] as PackageNode;
    if (node.source.type !== 'registry') continue;
    const nodes = byName.get(node.name);
    if (nodes) nodes.push(node);
    else byName.set(node.name, [node]);
  }
  return byName;
}
