/**
 * dev / optional / devOptional / peer flags computed from the graph's edges, for the lockfiles
 * that do not store them (bun.lock, yarn.lock, classic and Berry) or store only some (pnpm).
 *
 * The meaning is npm's (arborist calcDepFlags), starting from the root and every workspace:
 * - dev: no chain from a root reaches the package without a dev edge;
 * - optional: no chain reaches it without an optional (or optional peer) edge;
 * - devOptional: neither of those, but no chain is free of both (a dev dependent and an
 *   optional one need it), which --production keeps, as npm's --omit=dev does;
 * - peer: no chain reaches it without a peer edge (installed only because something peers it).
 *
 * A package no chain reaches at all is the caller's policy (`Unreached`): bun marks it dev,
 * optional and peer, as npm marks extraneous ones; pnpm and yarn flag nothing, so a hand-made
 * orphan does not hide under --production.
 *
 * Each node keeps five bits, "reached" and "reached by a chain free of X", and a worklist
 * spreads them along edges; a node is queued again only when it gains a bit, so the walk is
 * linear in the edges.
 */
import type { DependencyEdge, DependencyType, PackageFlags } from '../core/graph.ts';

const REACHED = 1;
const FREE_OF_DEV_AND_OPTIONAL = 2;
const FREE_OF_DEV = 4;
const FREE_OF_OPTIONAL = 8;
const FREE_OF_PEER = 16;
const ALL = 31;

/** The bits an edge of each type lets through. */
const PASSES: Readonly<Record<DependencyType, number>> = {
  prod: ALL,
  dev: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_DEV),
  optional: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_OPTIONAL),
  peer: ALL & ~FREE_OF_PEER,
  peerOptional: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_OPTIONAL | FREE_OF_PEER),
};

/** What a package no root reaches gets: see the file comment. */
export type Unreached = 'extraneous' | 'unflagged';

/**
 * Reachability bits of every numbered node, from each node's edges and their targets' numbers
 * (-1 when unresolved); nodes 0 to `rootCount - 1` are the roots (project and workspaces).
 */
export function reachabilityBits(
  rootCount: number,
  edges: readonly (readonly DependencyEdge[])[],
  targets: readonly (readonly number[])[],
): Uint8Array {
  const bits = new Uint8Array(edges.length);
  const queue: number[] = [];
  for (let root = 0; root < rootCount; root++) {
    bits[root] = ALL;
    queue.push(root);
  }
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    const have = bits[from]!;
    const out = edges[from]!;
    const to = targets[from]!;
    for (let k = 0; k < to.length; k++) {
      const target = to[k]!;
      if (target === -1) continue;
      const before = bits[target]!;
      const after = before | (have & PASSES[out[k]!.type]);
      if (after !== before) {
        bits[target] = after;
        queue.push(target);
      }
    }
  }
  return bits;
}

export interface FlagOptions {
  readonly unreached: Unreached;
  readonly bundled?: boolean | undefined;
  /** What the lockfile records (pnpm v5/v6 `dev`, `optional`; v9 snapshots `optional`): it wins over the edges. */
  readonly recordedDev?: boolean | undefined;
  readonly recordedOptional?: boolean | undefined;
}

/** The flags for a node's reachability bits (0 when unreachable). */
export function flagsFromBits(bits: number, options: FlagOptions): PackageFlags {
  const reached = (bits & REACHED) !== 0;
  const derived = reached || options.unreached === 'extraneous';
  const dev = options.recordedDev ?? (derived && (bits & FREE_OF_DEV) === 0);
  const optional = options.recordedOptional ?? (derived && (bits & FREE_OF_OPTIONAL) === 0);
  return {
    dev,
    optional,
    devOptional: reached && !dev && !optional && (bits & FREE_OF_DEV_AND_OPTIONAL) === 0,
    peer: derived && (bits & FREE_OF_PEER) === 0,
    bundled: options.bundled ?? false,
  };
}

/** A node as the id-keyed computation sees it. */
export interface FlagNode {
  readonly id: string;
  readonly dependencies: readonly DependencyEdge[];
  readonly recordedDev?: boolean | undefined;
  readonly recordedOptional?: boolean | undefined;
}

/**
 * Flags of every package, by id, for graphs whose edges name their targets by id. `roots` (the
 * project and its workspaces) are where chains start; an edge to an id outside both lists is
 * ignored.
 */
export function computeFlags(roots: readonly FlagNode[], packages: readonly FlagNode[], unreached: Unreached): Map<string, PackageFlags> {
  const nodes = [...roots, ...packages];
  const numberOf = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (!numberOf.has(node.id)) numberOf.set(node.id, i);
  });
  const edges = nodes.map((node) => node.dependencies);
  const targets = edges.map((out) => out.map((edge) => (edge.to === undefined ? -1 : (numberOf.get(edge.to) ?? -1))));
  const bits = reachabilityBits(roots.length, edges, targets);
  const flags = new Map<string, PackageFlags>();
  packages.forEach((node, i) => {
    flags.set(node.id, flagsFromBits(bits[roots.length + i]!, { unreached, recordedDev: node.recordedDev, recordedOptional: node.recordedOptional }));
  });
  return flags;
}
