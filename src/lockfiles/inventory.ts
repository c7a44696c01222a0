/**
 * The `pkgguard ls --json` document: every parsed lockfile with its packages, flags, sources,
 * edges and lockfile positions. Versioned by `schemaVersion`; field order is fixed and lists
 * keep lockfile order, so the same input always gives the same bytes. Values are copied as
 * data: JSON.stringify escapes whatever a lockfile holds.
 */
import type { DependencyGraph, DependencyType, LockfileFormat, PackageNode, PackageSource } from '../core/graph.ts';

export const INVENTORY_SCHEMA_VERSION = 1;

export interface InventoryDependency {
  readonly name: string;
  readonly spec: string;
  readonly type: DependencyType;
  /** Id of the package that satisfies it; absent when the lockfile does not resolve it. */
  readonly to?: string | undefined;
}

export interface InventoryPackage {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly alias?: string | undefined;
  readonly source: PackageSource;
  readonly resolved?: string | undefined;
  readonly integrity?: string | undefined;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly devOptional: boolean;
  readonly peer: boolean;
  readonly bundled: boolean;
  readonly hasInstallScript: boolean;
  readonly line: number;
  readonly column: number;
  readonly dependencies: readonly InventoryDependency[];
}

export interface InventoryLockfile {
  readonly path: string;
  readonly format: LockfileFormat;
  readonly formatVersion: string;
  readonly packageCount: number;
  readonly root: { readonly name: string; readonly version: string };
  /** Workspaces and other project folders, in the same shape as packages. */
  readonly importers: readonly InventoryPackage[];
  readonly packages: readonly InventoryPackage[];
}

export interface Inventory {
  readonly schemaVersion: typeof INVENTORY_SCHEMA_VERSION;
  readonly lockfiles: readonly InventoryLockfile[];
}

export function inventoryOf(graphs: readonly DependencyGraph[]): Inventory {
  return { schemaVersion: INVENTORY_SCHEMA_VERSION, lockfiles: graphs.map(lockfileEntry) };
}

function lockfileEntry(graph: DependencyGraph): InventoryLockfile {
  const { path, format, formatVersion } = graph.lockfile;
  return {
    path,
    format,
    formatVersion,
    packageCount: graph.packages.length,
    root: { name: graph.root.name, version: graph.root.version },
    importers: graph.importers.map(packageEntry),
    packages: graph.packages.map(packageEntry),
  };
}

function packageEntry(node: PackageNode): InventoryPackage {
  return {
    id: node.id,
    name: node.name,
    version: node.version,
    ...(node.alias !== undefined && { alias: node.alias }),
    source: node.source,
    ...(node.resolved !== undefined && { resolved: node.resolved }),
    ...(node.integrity !== undefined && { integrity: node.integrity }),
    dev: node.flags.dev,
    optional: node.flags.optional,
    devOptional: node.flags.devOptional,
    peer: node.flags.peer,
    bundled: node.flags.bundled,
    hasInstallScript: node.hasInstallScript,
    line: node.location.line,
    column: node.location.column,
    dependencies: node.dependencies.map(dependencyEntry),
  };
}

function dependencyEntry(edge: PackageNode['dependencies'][number]): InventoryDependency {
  return { name: edge.name, spec: edge.spec, type: edge.type, ...(edge.to !== undefined && { to: edge.to }) };
}
