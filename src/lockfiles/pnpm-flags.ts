/**
 * dev / optional / devOptional / peer flags from reachability, with npm's meaning (arborist's
 * calcDepFlags), for the flags a pnpm lockfile does not record.
 *
 * From the importers (the root and every workspace), a package is
 * - dev when every path to it starts with a devDependencies edge,
 * - optional when every path to it takes an optional edge (optionalDependencies, optional peers),
 * - devOptional when every path takes a dev or an optional edge but it is neither dev nor
 *   optional (needed by a dev dependent and by an optional one: npm keeps such a package
 *   under --omit=dev),
 * - peer when every path to it takes a peer edge.
 * Each is one breadth-first walk that skips the edge types in question, over node numbers
 * rather than ids, so the cost stays linear and small. A package no importer reaches gets no
 * flag: a hand-edited orphan must not hide under --production.
 */
import type { DependencyEdge, DependencyType, PackageFlags } from '../core/graph.ts';

export interface FlagNode {
  readonly id: string;
  readonly dependencies: readonly DependencyEdge[];
  /** What the lockfile records (pnpm v5/v6 `dev`, `optional`; v9 snapshots `optional`); undefined when it records nothing. */
  readonly recordedDev?: boolean | undefined;
  readonly recordedOptional?: boolean | undefined;
}

const TYPE_BIT: Readonly<Record<DependencyType, number>> = { prod: 1, dev: 2, optional: 4, peer: 8, peerOptional: 16 };
const ALL = 31;
const NOT_DEV = ALL & ~TYPE_BIT.dev;
const NOT_OPTIONAL = ALL & ~(TYPE_BIT.optional | TYPE_BIT.peerOptional);
const REQUIRED = TYPE_BIT.prod | TYPE_BIT.peer;
const NOT_PEER = ALL & ~(TYPE_BIT.peer | TYPE_BIT.peerOptional);

/** Flags of every package, by id. `importers` are the walks' starting points. */
export function computeFlags(importers: readonly FlagNode[], packages: readonly FlagNode[]): Map<string, PackageFlags> {
  const nodes = [...importers, ...packages];
  const numberOf = new Map<string, number>();
  nodes.forEach((node, i) => numberOf.set(node.id, i));
  // Edges as (target, type bit) pairs, resolved to node numbers once for all five walks.
  const targets: number[][] = nodes.map(() => []);
  const types: number[][] = nodes.map(() => []);
  nodes.forEach((node, i) => {
    for (const edge of node.dependencies) {
      const target = edge.to === undefined ? undefined : numberOf.get(edge.to);
      if (target === undefined) continue;
      targets[i]!.push(target);
      types[i]!.push(TYPE_BIT[edge.type]);
    }
  });
  const reachedVia = (allowed: number): Uint8Array => {
    const reached = new Uint8Array(nodes.length);
    const queue: number[] = [];
    for (let i = 0; i < importers.length; i++) {
      reached[i] = 1;
      queue.push(i);
    }
    for (let head = 0; head < queue.length; head++) {
      const from = queue[head]!;
      const out = targets[from]!;
      const bits = types[from]!;
      for (let k = 0; k < out.length; k++) {
        const to = out[k]!;
        if ((bits[k]! & allowed) === 0 || reached[to] === 1) continue;
        reached[to] = 1;
        queue.push(to);
      }
    }
    return reached;
  };
  const reachable = reachedVia(ALL);
  const notDev = reachedVia(NOT_DEV);
  const notOptional = reachedVia(NOT_OPTIONAL);
  const required = reachedVia(REQUIRED);
  const notPeer = reachedVia(NOT_PEER);

  const flags = new Map<string, PackageFlags>();
  for (let i = importers.length; i < nodes.length; i++) {
    const node = nodes[i]!;
    const isReached = reachable[i] === 1;
    const dev = node.recordedDev ?? (isReached && notDev[i] === 0);
    const optional = node.recordedOptional ?? (isReached && notOptional[i] === 0);
    flags.set(node.id, {
      dev,
      optional,
      devOptional: isReached && required[i] === 0 && !dev && !optional,
      peer: isReached && notPeer[i] === 0,
      bundled: false,
    });
  }
  return flags;
}
