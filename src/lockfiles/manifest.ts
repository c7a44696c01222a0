/**
 * The package.json files of a project, as the lockfile layer hands them to a parser whose
 * lockfile does not record what they declare (yarn classic writes neither the project nor its
 * workspaces into yarn.lock; Berry does not say which of a workspace's dependencies are dev
 * ones). Pure: reading the files is manifest-read.ts's job.
 */
import type { DependencyType } from '../core/graph.ts';
import type { LockfileInput } from '../core/parser.ts';
import { isRecord } from './json-value.ts';

/** One dependency a package.json declares: the name asked for, its range, and the field's type. */
export interface DeclaredDependency {
  readonly name: string;
  readonly spec: string;
  readonly type: DependencyType;
}

export interface PackageManifest {
  readonly name: string | undefined;
  readonly version: string | undefined;
  /** One per name, in arborist's order and precedence (see `declaredDependencies`). */
  readonly dependencies: readonly DeclaredDependency[];
}

export interface WorkspaceManifest {
  /** The workspace folder relative to the lockfile's folder, POSIX separators, e.g. "packages/a". */
  readonly path: string;
  readonly manifest: PackageManifest;
}

export interface ProjectManifests {
  /** The package.json beside the lockfile. */
  readonly root: PackageManifest;
  /** Its workspaces, sorted by path. */
  readonly workspaces: readonly WorkspaceManifest[];
}

/** A lockfile together with the manifests of its project, when the loader found them. */
export interface LockfileWithManifests extends LockfileInput {
  readonly manifests?: ProjectManifests | undefined;
}

/** The fields of a parsed package.json that matter here; values of the wrong type are ignored, as package managers do. */
export function toManifest(json: unknown): PackageManifest {
  const record = isRecord(json) ? json : {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return { name: text(record['name']), version: text(record['version']), dependencies: declaredDependencies(record) };
}

/**
 * The root's `workspaces` patterns: an array, or yarn's `{ packages: [...] }` (whose
 * `nohoist` only changes the layout of node_modules). Non-string patterns are dropped.
 */
export function workspacePatterns(json: unknown): string[] {
  const field = isRecord(json) ? json['workspaces'] : undefined;
  const list = Array.isArray(field) ? field : isRecord(field) && Array.isArray(field['packages']) ? field['packages'] : [];
  return list.filter((pattern): pattern is string => typeof pattern === 'string');
}

/**
 * Edges in arborist's order for a package.json: peer, peerOptional, prod, optional, dev; a
 * name in several fields keeps its place and takes the later field's range and type, so an
 * optional dependency that is also listed in `dependencies` is optional, and a peer that is
 * also a dev dependency is dev.
 */
function declaredDependencies(record: Readonly<Record<string, unknown>>): DeclaredDependency[] {
  const byName = new Map<string, DeclaredDependency>();
  const add = (field: unknown, type: DependencyType, keep?: (name: string) => boolean): void => {
    if (!isRecord(field)) return;
    for (const name in field) {
      const spec = field[name];
      if (typeof spec === 'string' && (!keep || keep(name))) byName.set(name, { name, spec, type });
    }
  };
  const meta = record['peerDependenciesMeta'];
  const peerOptional = (name: string): boolean => isRecord(meta) && isRecord(meta[name]) && meta[name]['optional'] === true;
  add(record['peerDependencies'], 'peer', (name) => !peerOptional(name));
  add(record['peerDependencies'], 'peerOptional', peerOptional);
  add(record['dependencies'], 'prod');
  add(record['optionalDependencies'], 'optional');
  add(record['devDependencies'], 'dev');
  return [...byName.values()];
}
