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
 * Every node's edges in one flat table (compressed rows): node `n`'s edges are the indexes
 * `first[n]` to `first[n + 1] - 1` of `target` (the target's number, -1 when unresolved) and
 * `passes` (the bits the edge lets through, `passesOf`). Three typed arrays instead of an
 * array of numbers per node: a cold process pays for every small allocation.
 */
export interface EdgeTable {
  readonly first: ArrayLike<number>;
  readonly target: ArrayLike<number>;
  readonly passes: ArrayLike<number>;
}

export function passesOf(type: DependencyType): number {
  return PASSES[type];
}

/** Reachability bits of every numbered node; nodes 0 to `rootCount - 1` are the roots (project and workspaces). */
export function reachabilityBits(rootCount: number, table: EdgeTable): Uint8Array {
  const { first, target, passes } = table;
  const bits = new Uint8Array(first.length - 1);
  const queue: number[] = [];
  for (let root = 0; root < rootCount; root++) {
    bits[root] = ALL;
    queue.push(root);
  }
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    const have = bits[from]!;
    for (let k = first[from]!, end = first[from + 1]!; k < end; k++) {
      const to = target[k]!;
      if (to === -1) continue;
      const before = bits[to]!;
      const after = before | (have & passes[k]!);
      if (after !== before) {
        bits[to] = after;
        queue.push(to);
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

/**
 * One frozen flags object per distinct outcome (a few dozen at most), shared by every node
 * that has it: thousands of identical five-boolean objects would only feed the collector.
 */
const SHARED_FLAGS = new Map<number, PackageFlags>();

/** undefined → 0, false → 1, true → 2: a recorded flag as two bits of the cache key. */
function recordedCode(value: boolean | undefined): number {
  return value === undefined ? 0 : value ? 2 : 1;
}

/** The flags for a node's reachability bits (0 when unreachable). */
export function flagsFromBits(bits: number, options: FlagOptions): PackageFlags {
  return flagsFor(bits, options.unreached, options.bundled ?? false, options.recordedDev, options.recordedOptional);
}

/** `flagsFromBits` with its options spelled out, for loops over thousands of nodes. */
export function flagsFor(bits: number, unreached: Unreached, bundled: boolean, recordedDev: boolean | undefined, recordedOptional: boolean | undefined): PackageFlags {
  const key = bits | (unreached === 'extraneous' ? 32 : 0) | (bundled ? 64 : 0) | (recordedCode(recordedDev) << 7) | (recordedCode(recordedOptional) << 9);
  let flags = SHARED_FLAGS.get(key);
  if (flags === undefined) {
    const reached = (bits & REACHED) !== 0;
    const derived = reached || unreached === 'extraneous';
    const dev = recordedDev ?? (derived && (bits & FREE_OF_DEV) === 0);
    const optional = recordedOptional ?? (derived && (bits & FREE_OF_OPTIONAL) === 0);
    flags = Object.freeze({
      dev,
      optional,
      devOptional: reached && !dev && !optional && (bits & FREE_OF_DEV_AND_OPTIONAL) === 0,
      peer: derived && (bits & FREE_OF_PEER) === 0,
      bundled,
    });
    SHARED_FLAGS.set(key, flags);
  }
  return flags;
}

/** A node as the id-keyed computation sees it. */
export interface FlagNode {
  readonly id: string;
  readonly dependencies: readonly DependencyEdge[];
  readonly recordedDev?: boolean | undefined;
  readonly recordedOptional?: boolean | undefined;
}

/**
 * Flags of every package, in the order of `packages`, for graphs whose edges name their
 * targets by id (ids are unique). `roots` (the project and its workspaces) are where chains
 * start; an edge to an id outside both lists is ignored.
 */
export function computeFlags(roots: readonly FlagNode[], packages: readonly FlagNode[], unreached: Unreached): PackageFlags[] {
  const rootCount = roots.length;
  const count = rootCount + packages.length;
  const numberOf = new Map<string, number>();
  let edgeCount = 0;
  const number = (node: FlagNode, n: number): void => {
    if (!numberOf.has(node.id)) numberOf.set(node.id, n);
    edgeCount += node.dependencies.length;
  };
  roots.forEach(number);
  packages.forEach((node, i) => number(node, rootCount + i));
  const first = new Int32Array(count + 1);
  const target = new Int32Array(edgeCount);
  const passes = new Uint8Array(edgeCount);
  let k = 0;
  const fill = (node: FlagNode, n: number): void => {
    first[n] = k;
    const out = node.dependencies;
    for (let e = 0; e < out.length; e++, k++) {
      const edge = out[e]!;
      target[k] = edge.to === undefined ? -1 : (numberOf.get(edge.to) ?? -1);
      passes[k] = PASSES[edge.type];
    }
  };
  roots.forEach(fill);
  packages.forEach((node, i) => fill(node, rootCount + i));
  first[count] = k;
  const bits = reachabilityBits(rootCount, { first, target, passes });
  const flags: PackageFlags[] = new Array<PackageFlags>(packages.length);
  for (let i = 0; i < packages.length; i++) {
    const node = packages[i]!;
    flags[i] = flagsFor(bits[rootCount + i]!, unreached, false, node.recordedDev, node.recordedOptional);
  }
  return flags;
}
