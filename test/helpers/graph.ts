/**
 * A tiny graph builder for inline check tests: `graphOf([{ name: 'a' }, { name: 'b', integrity: undefined }])`.
 *
 * Defaults, chosen to look like an npm v3 lockfile made with `resolved` kept:
 * - `id` is `node_modules/<name>`; `version` is 1.0.0;
 * - `source` is the registry and `resolved` its tarball URL on registry.npm.example;
 * - `integrity` is a well-formed sha512 (the digest of the text `<name>@<version>`), so a spec
 *   must say `integrity: undefined` to have none;
 * - locations are in `package-lock.json`: the root at line 1, column 1, then the packages at
 *   lines 2, 3, 4... in the order given, column 5, unless `line`/`column` say otherwise;
 * - edges: the root depends on every top-level package, and `node_modules/a/node_modules/b` is
 *   a dependency of `node_modules/a`, so dependency paths look like npm's.
 */
import { createHash } from 'node:crypto';
import {
  createDependencyGraph,
  type DependencyEdge,
  type DependencyGraph,
  type LockfileInfo,
  type PackageFlags,
  type PackageNode,
  type PackageSource,
} from '../../src/core/graph.ts';

export interface NodeSpec {
  readonly name: string;
  readonly id?: string | undefined;
  readonly version?: string | undefined;
  readonly alias?: string | undefined;
  readonly source?: PackageSource | undefined;
  /** Omitted: the registry tarball URL; `undefined`: none. */
  readonly resolved?: string | undefined;
  /** Omitted: a well-formed sha512; `undefined`: none. */
  readonly integrity?: string | undefined;
  readonly flags?: Partial<PackageFlags> | undefined;
  readonly hasInstallScript?: boolean | undefined;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

export interface GraphOptions {
  readonly lockfile?: Partial<LockfileInfo> | undefined;
}

const NO_FLAGS: PackageFlags = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
const NESTED = '/node_modules/';

/** A well-formed sha512 SRI that differs per `text`. */
export function sha512Of(text: string): string {
  return `sha512-${createHash('sha512').update(text).digest('base64')}`;
}

/** A well-formed sha1 SRI that differs per `text`. */
export function sha1Of(text: string): string {
  return `sha1-${createHash('sha1').update(text).digest('base64')}`;
}

export function registryTarball(name: string, version: string): string {
  const file = name.slice(name.lastIndexOf('/') + 1);
  return `https://registry.npm.example/${name}/-/${file}-${version}.tgz`;
}

function parentId(id: string): string {
  const nested = id.lastIndexOf(NESTED);
  return nested < 0 ? '' : id.slice(0, nested);
}

function edgeTo(node: PackageNode): DependencyEdge {
  return { name: node.alias ?? node.name, spec: node.version, type: 'prod', to: node.id };
}

function nodeOf(spec: NodeSpec, index: number, file: string): Omit<PackageNode, 'dependencies'> {
  const version = spec.version ?? '1.0.0';
  const resolved = Object.hasOwn(spec, 'resolved') ? spec.resolved : registryTarball(spec.name, version);
  const integrity = Object.hasOwn(spec, 'integrity') ? spec.integrity : sha512Of(`${spec.name}@${version}`);
  return {
    id: spec.id ?? `node_modules/${spec.name}`,
    name: spec.name,
    version,
    alias: spec.alias,
    source: spec.source ?? { type: 'registry', url: resolved },
    resolved,
    integrity,
    flags: { ...NO_FLAGS, ...spec.flags },
    hasInstallScript: spec.hasInstallScript ?? false,
    location: { file, line: spec.line ?? index + 2, column: spec.column ?? 5 },
  };
}

export function graphOf(specs: readonly NodeSpec[], options: GraphOptions = {}): DependencyGraph {
  const lockfile: LockfileInfo = { path: 'package-lock.json', format: 'npm', formatVersion: '3', ...options.lockfile };
  const bare = specs.map((spec, index) => nodeOf(spec, index, lockfile.path));
  const children = new Map<string, DependencyEdge[]>();
  for (const node of bare) {
    const parent = parentId(node.id);
    const list = children.get(parent) ?? [];
    list.push(edgeTo({ ...node, dependencies: [] }));
    children.set(parent, list);
  }
  const root: PackageNode = {
    id: '',
    name: 'fixture-root',
    version: '1.0.0',
    source: { type: 'directory', path: '.' },
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: { file: lockfile.path, line: 1, column: 1 },
    dependencies: children.get('') ?? [],
  };
  const packages = bare.map((node): PackageNode => ({ ...node, dependencies: children.get(node.id) ?? [] }));
  return createDependencyGraph({ lockfile, root, importers: [], packages });
}
