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
 * Each is one breadth-first walk that skips the edge types in question, so the cost is linear.
 * A package no importer reaches gets no flag: a hand-edited orphan must not hide under
 * --production.
 */
import type { DependencyEdge, DependencyType, PackageFlags } from '../core/graph.ts';

export interface FlagNode {
  readonly id: string;
  readonly dependencies: readonly DependencyEdge[];
  /** What the lockfile records (pnpm v5/v6 `dev`, `optional`; v9 snapshots `optional`); undefined when it records nothing. */
  readonly recordedDev?: boolean | undefined;
  readonly recordedOptional?: boolean | undefined;
}

const ALL: ReadonlySet<DependencyType> = new Set(['prod', 'dev', 'optional', 'peer', 'peerOptional']);
const NOT_DEV: ReadonlySet<DependencyType> = new Set(['prod', 'optional', 'peer', 'peerOptional']);
const NOT_OPTIONAL: ReadonlySet<DependencyType> = new Set(['prod', 'dev', 'peer']);
const REQUIRED: ReadonlySet<DependencyType> = new Set(['prod', 'peer']);
const NOT_PEER: ReadonlySet<DependencyType> = new Set(['prod', 'dev', 'optional']);

/** Flags of every package, by id. `importers` are the walk's starting points. */
export function computeFlags(importers: readonly FlagNode[], packages: readonly FlagNode[]): Map<string, PackageFlags> {
  const byId = new Map<string, FlagNode>();
  for (const node of [...importers, ...packages]) byId.set(node.id, node);
  const reachedVia = (types: ReadonlySet<DependencyType>): Set<string> => {
    const reached = new Set<string>(importers.map((node) => node.id));
    const queue = [...importers];
    for (let head = 0; head < queue.length; head++) {
      for (const edge of queue[head]!.dependencies) {
        if (edge.to === undefined || !types.has(edge.type) || reached.has(edge.to)) continue;
        const target = byId.get(edge.to);
        if (!target) continue;
        reached.add(edge.to);
        queue.push(target);
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
  for (const node of packages) {
    const isReached = reachable.has(node.id);
    const dev = node.recordedDev ?? (isReached && !notDev.has(node.id));
    const optional = node.recordedOptional ?? (isReached && !notOptional.has(node.id));
    flags.set(node.id, {
      dev,
      optional,
      devOptional: isReached && !required.has(node.id) && !dev && !optional,
      peer: isReached && !notPeer.has(node.id),
      bundled: false,
    });
  }
  return flags;
}
