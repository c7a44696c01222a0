/**
 * dev / optional / devOptional / peer flags computed from the graph's edges, for lockfiles
 * that do not store them (bun.lock records only what each package and workspace declares).
 *
 * The meaning is npm's (arborist calcDepFlags), starting from the root and every workspace:
 * - dev: no chain from a root reaches the package without a dev edge;
 * - optional: no chain reaches it without an optional (or optional peer) edge;
 * - devOptional: neither of those, but no chain is free of both (a dev dependent and an
 *   optional one need it), which --production keeps, as npm's --omit=dev does;
 * - peer: no chain reaches it without a peer edge (installed only because something peers it).
 * A package no chain reaches at all gets dev, optional and peer, as npm marks extraneous ones.
 *
 * Each node keeps four bits, "reached by a chain free of X", and a worklist spreads them along
 * edges; a node is queued again only when it gains a bit, so the walk is linear in the edges.
 */
import type { DependencyEdge, DependencyType, PackageFlags } from '../core/graph.ts';

const FREE_OF_DEV_AND_OPTIONAL = 1;
const FREE_OF_DEV = 2;
const FREE_OF_OPTIONAL = 4;
const FREE_OF_PEER = 8;
const ALL = 15;

/** The bits an edge of each type lets through. */
const PASSES: Readonly<Record<DependencyType, number>> = {
  prod: ALL,
  dev: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_DEV),
  optional: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_OPTIONAL),
  peer: ALL & ~FREE_OF_PEER,
  peerOptional: ALL & ~(FREE_OF_DEV_AND_OPTIONAL | FREE_OF_OPTIONAL | FREE_OF_PEER),
};

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

/** The flags for a node's reachability bits (0 when unreachable); `bundled` is the caller's. */
export function flagsFromBits(bits: number, bundled: boolean): PackageFlags {
  const dev = (bits & FREE_OF_DEV) === 0;
  const optional = (bits & FREE_OF_OPTIONAL) === 0;
  return {
    dev,
    optional,
    devOptional: !dev && !optional && (bits & FREE_OF_DEV_AND_OPTIONAL) === 0,
    peer: (bits & FREE_OF_PEER) === 0,
    bundled,
  };
}
