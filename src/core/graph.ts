/**
 * The normalised dependency graph every parser produces and every check reads.
 *
 * Model: one graph per lockfile. `root` is the project itself, `importers` are workspace
 * packages (the roots of their own dependency subtrees), `packages` is every installed
 * third-party entry in lockfile order. Edges point from a dependent to the node that satisfies
 * the dependency, so "why is this here?" is a breadth-first walk backwards from a node to any
 * root or importer. Parsers build graphs through `createDependencyGraph`, which owns the
 * reverse-edge index so checks stay linear in the number of packages.
 */

export const LOCKFILE_FORMATS = ['npm', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun'] as const;
export type LockfileFormat = (typeof LOCKFILE_FORMATS)[number];

/** 1-based position of an entry in its lockfile; `file` is relative to the project root, POSIX separators. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type PackageSource =
  | { readonly type: 'registry'; readonly url?: string | undefined }
  | { readonly type: 'git'; readonly url: string; readonly committish?: string | undefined }
  | { readonly type: 'tarball'; readonly url: string }
  | { readonly type: 'directory' | 'link' | 'workspace'; readonly path: string };

export interface PackageFlags {
  readonly dev: boolean;
  readonly optional: boolean;
  /**
   * npm's `devOptional`: needed by a dev dependent and by an optional one. npm keeps it under
   * --omit=dev (the optional prod dependent may install it), so --production keeps it too.
   */
  readonly devOptional: boolean;
  readonly peer: boolean;
  readonly bundled: boolean;
}

export type DependencyType = 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional';

export interface DependencyEdge {
  /** The name the dependent asks for (an alias name for `npm:` aliases). */
  readonly name: string;
  /** The declared range or spec, as written. */
  readonly spec: string;
  readonly type: DependencyType;
  /** `PackageNode.id` of the resolved target; absent when the lockfile does not resolve it. */
  readonly to?: string | undefined;
}

export interface PackageNode {
  /** Unique within the graph: npm's install location, e.g. "node_modules/a/node_modules/b" ("" is the root). */
  readonly id: string;
  /** The real package name; for `npm:` aliases the target's name (the alias is in `alias`). */
  readonly name: string;
  readonly version: string;
  /** The name the package is installed under when it differs from `name` (npm: aliases). */
  readonly alias?: string | undefined;
  readonly source: PackageSource;
  /** Download address exactly as written in the lockfile. */
  readonly resolved?: string | undefined;
  /** SRI string exactly as written in the lockfile (may be malformed: checks decide). */
  readonly integrity?: string | undefined;
  /**
   * A package manager's own checksum that is NOT an SRI string, kept apart so integrity checks
   * never misread it: yarn Berry's `checksum` (a hash of its zip archive, with its cacheKey).
   */
  readonly checksum?: { readonly kind: 'yarn-berry'; readonly value: string; readonly cacheKey?: string | undefined } | undefined;
  /**
   * For a package built locally by patching another lockfile entry (yarn Berry's `patch:`
   * protocol): that entry's id. The download, and the hash that pins it, belong to that entry.
   */
  readonly patchedFrom?: string | undefined;
  readonly flags: PackageFlags;
  readonly hasInstallScript: boolean;
  readonly location: SourceLocation;
  readonly dependencies: readonly DependencyEdge[];
}

export interface LockfileInfo {
  /** Relative to the project root, POSIX separators. */
  readonly path: string;
  readonly format: LockfileFormat;
  /** The format's own version marker, e.g. "3" for package-lock v3. */
  readonly formatVersion: string;
}

export interface DependencyGraph {
  readonly lockfile: LockfileInfo;
  readonly root: PackageNode;
  /** Workspace packages, in lockfile order. */
  readonly importers: readonly PackageNode[];
  /** Every third-party package (not root, not importers), in lockfile order. */
  readonly packages: readonly PackageNode[];
  node(id: string): PackageNode | undefined;
  /** Nodes with an edge to `node`. */
  dependents(node: PackageNode): readonly PackageNode[];
  /**
   * Shortest chains from the root or an importer down to `node` (both ends included),
   * at most `limit` of them, shortest first. Deterministic for the same graph.
   */
  pathsTo(node: PackageNode, limit?: number): readonly (readonly PackageNode[])[];
}

/** Builds the graph and its reverse-edge index. Nodes must have unique ids. */
export function createDependencyGraph(input: {
  lockfile: LockfileInfo;
  root: PackageNode;
  importers: readonly PackageNode[];
  packages: readonly PackageNode[];
}): DependencyGraph {
  // Built on first use, like the reverse index: an audit without findings never looks a node
  // up, and the map of a large lockfile costs a cold process milliseconds.
  let byId: Map<string, PackageNode> | undefined;
  const nodesById = (): Map<string, PackageNode> => {
    if (byId) return byId;
    byId = new Map();
    for (const node of [input.root, ...input.importers, ...input.packages]) byId.set(node.id, node);
    return byId;
  };

  // Built on first use: most audits never ask for paths of more than a few nodes.
  let reverse: Map<string, PackageNode[]> | undefined;
  const reverseIndex = (): Map<string, PackageNode[]> => {
    if (reverse) return reverse;
    reverse = new Map();
    for (const from of nodesById().values()) {
      const seen = new Set<string>();
      for (const edge of from.dependencies) {
        if (edge.to === undefined || seen.has(edge.to) || edge.to === from.id) continue;
        seen.add(edge.to);
        const list = reverse.get(edge.to);
        if (list) list.push(from);
        else reverse.set(edge.to, [from]);
      }
    }
    return reverse;
  };
  const roots = new Set<string>([input.root.id, ...input.importers.map((n) => n.id)]);

  return {
    lockfile: input.lockfile,
    root: input.root,
    importers: input.importers,
    packages: input.packages,
    node: (id) => nodesById().get(id),
    dependents: (node) => reverseIndex().get(node.id) ?? [],
    pathsTo(node, limit = 1) {
      return shortestPathsToRoots(node, roots, reverseIndex(), limit);
    },
  };
}

/**
 * Breadth-first search backwards from `target`; the first `limit` distinct chains that reach a
 * root are the shortest ones. Each chain is tracked by parent pointers, so memory stays linear.
 */
function shortestPathsToRoots(
  target: PackageNode,
  roots: ReadonlySet<string>,
  reverse: ReadonlyMap<string, PackageNode[]>,
  limit: number,
): PackageNode[][] {
  if (roots.has(target.id)) return [[target]];
  interface Step { node: PackageNode; next: Step | undefined }
  const found: PackageNode[][] = [];
  const visited = new Set<string>([target.id]);
  let frontier: Step[] = [{ node: target, next: undefined }];
  while (frontier.length > 0 && found.length < limit) {
    const upcoming: Step[] = [];
    for (const step of frontier) {
      for (const parent of reverse.get(step.node.id) ?? []) {
        const parentStep: Step = { node: parent, next: step };
        if (roots.has(parent.id)) {
          const chain: PackageNode[] = [];
          for (let s: Step | undefined = parentStep; s; s = s.next) chain.push(s.node);
          found.push(chain);
          if (found.length >= limit) return found;
        } else if (!visited.has(parent.id)) {
          visited.add(parent.id);
          upcoming.push(parentStep);
        }
      }
    }
    frontier = upcoming;
  }
  return found;
}
