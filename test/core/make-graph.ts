/** Small builders for hand-made dependency graphs, shared by the core tests. */
import {
  createDependencyGraph,
  type DependencyEdge,
  type DependencyGraph,
  type LockfileInfo,
  type PackageFlags,
  type PackageNode,
} from '../../src/core/graph.ts';

export const NO_FLAGS: PackageFlags = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };

/** A prod edge to the node with id `to`; the name asked for is the target's id. */
export function edge(to: string, type: DependencyEdge['type'] = 'prod'): DependencyEdge {
  return { name: to, spec: '^1.0.0', type, to };
}

/**
 * A registry package whose name is its id and whose dependencies point at `deps` (ids).
 * `overrides` replaces any field, e.g. a real npm id with a different name, or a location.
 */
export function makeNode(id: string, deps: readonly string[] = [], overrides: Partial<PackageNode> = {}): PackageNode {
  return {
    id,
    name: id,
    version: '1.0.0',
    source: { type: 'registry' },
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: { file: 'package-lock.json', line: 1, column: 1 },
    dependencies: deps.map((to) => edge(to)),
    ...overrides,
  };
}

export const NPM_LOCKFILE: LockfileInfo = { path: 'package-lock.json', format: 'npm', formatVersion: '3' };

export function makeGraph(input: {
  root: PackageNode;
  importers?: readonly PackageNode[];
  packages: readonly PackageNode[];
  lockfile?: LockfileInfo;
}): DependencyGraph {
  return createDependencyGraph({
    lockfile: input.lockfile ?? NPM_LOCKFILE,
    root: input.root,
    importers: input.importers ?? [],
    packages: input.packages,
  });
}

/** The root project: id "" as npm writes it, named "app". */
export function makeRoot(deps: readonly string[], overrides: Partial<PackageNode> = {}): PackageNode {
  return makeNode('', deps, { name: 'app', version: '0.0.0', source: { type: 'directory', path: '.' }, ...overrides });
}

/** Chains as arrays of ids, which read far better in assertions than whole nodes. */
export function ids(chains: readonly (readonly PackageNode[])[]): string[][] {
  return chains.map((chain) => chain.map((node) => node.id));
}
