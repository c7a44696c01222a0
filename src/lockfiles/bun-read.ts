/**
 * Reads the parsed bun.lock object into typed workspaces and packages, checking every value
 * the graph depends on the way bun's own reader does (bun.lock.zig parseIntoBinaryLockfile).
 * A value of the wrong type fails with a LockfileParseError at the key it belongs to.
 *
 * Package tuples, by resolution (bun's writer documents the same table):
 *
 *   npm        ["name@1.0.0", registry, info, integrity]    registry "" = the default registry
 *   git/github ["name@git+url#commit", info, bunTag, integrity?]
 *   tarball    ["name@url-or-path", info, integrity?]
 *   file/link  ["name@file:path", info] / ["name@link:name", info]
 *   workspace  ["name@workspace:path"]                        v0 adds the workspace's info
 *   root       ["name@root:", { bin }]
 *
 * Elements are matched in that order by type, and a missing one is tolerated (hand-written
 * and older files leave some out: an npm entry without registry or integrity is still an npm
 * entry, and the integrity check then reports it). An element of the wrong type, or one too
 * many, is an error. Files in the wild also hold git entries in the npm layout
 * (`["name@github:o/r#c", "", {}, "sha512-…"]`, in osv-scanner's test data), so a git entry may
 * start with a registry string too, and a lone string after its info that is an SRI value is
 * its integrity.
 */
import type { DependencyType, PackageFlags, PackageNode, PackageSource, SourceLocation } from '../core/graph.ts';
import type { TextPosition } from './locate/position.ts';
import { isRecord } from './json-value.ts';
import { parentLength, readIdent, resolvedOf, sourceOf, type BunResolution } from './bun-resolution.ts';

/**
 * A declared dependency, already in the graph's edge shape: the graph builder fills in `to`
 * once every package is known, and uses the object as the edge (no second copy per edge).
 */
export interface DeclaredDependency {
  readonly name: string;
  readonly spec: string;
  readonly type: DependencyType;
  to: string | undefined;
}

export interface BunWorkspace {
  /** Folder relative to the project, POSIX; "" for the project itself. */
  readonly path: string;
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly dependencies: DeclaredDependency[];
  readonly at: TextPosition;
}

/**
 * A package entry, already the graph node it becomes: reading builds it once, and the graph
 * only fills in `flags` when every edge is resolved (one object per package kept, none thrown
 * away: a large lockfile's thousands of entries otherwise survive collections twice).
 */
export type BunPackageNode = { -readonly [K in keyof NodeFields]: NodeFields[K] } & { readonly dependencies: DeclaredDependency[] };
type NodeFields = Omit<PackageNode, 'dependencies'>;

/** A workspace or root entry (`"a": ["a@workspace:packages/a"]`): a name for an importer or the root, not a package. */
export interface BunLink {
  readonly key: string;
  readonly kind: 'workspace' | 'root';
  /** The workspace's folder ("" for the root). */
  readonly path: string;
  readonly at: SourceLocation;
}

export interface BunLockContents {
  readonly workspaces: readonly BunWorkspace[];
  /** Package entries in lockfile order, workspace and root entries left out. */
  readonly packages: readonly BunPackageNode[];
  /** Indexes in `packages` of the entries marked `"bundled": true`. */
  readonly bundled: readonly number[];
  /** Workspace and root entries, in lockfile order. */
  readonly links: readonly BunLink[];
}

/** Where each key is, and how to fail there. */
export interface ReadContext {
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  readonly workspaces: ReadonlyMap<string, TextPosition>;
  /** Where the `index`-th key of `packages` (for-in order), `key`, is. */
  packageAt(index: number, key: string): SourceLocation;
  fail(at: TextPosition, message: string): never;
}

const FIRST_LINE: TextPosition = { line: 1, column: 1 };

type Slot = 'registry' | 'info' | 'tag' | 'integrity';
const LAYOUTS: Readonly<Record<BunResolution['kind'], readonly Slot[]>> = {
  npm: ['registry', 'info', 'integrity'],
  git: ['registry', 'info', 'tag', 'integrity'],
  tarball: ['info', 'integrity'],
  folder: ['info'],
  link: ['info'],
  workspace: ['info'],
  root: ['info'],
};
const NO_SLOTS: readonly Slot[] = [];
const SHAPES: Readonly<Record<BunResolution['kind'], string>> = {
  npm: '["name@version", registry, info, integrity]',
  git: '["name@git-url#commit", info, tag, integrity]',
  tarball: '["name@tarball", info, integrity]',
  folder: '["name@file:path", info]',
  link: '["name@link:name", info]',
  workspace: '["name@workspace:path"]',
  root: '["name@root:", info]',
};
/** An SRI value, as opposed to a bun tag ("owner-repo-1a2b3c4" or a commit). */
const SRI_LIKE = /^sha(?:1|256|384|512)-[A-Za-z0-9+/]+={0,2}$/;

/** Dependency groups in the order later ones replace earlier ones of the same name (bun keeps dev, then optional, then prod, then peer). */
const GROUPS = ['peerDependencies', 'dependencies', 'optionalDependencies', 'devDependencies'] as const;

/**
 * The edges of everything that declares none, shared: the graph never changes an edge list,
 * and more than a third of the packages of a large lockfile have no dependencies.
 */
const NO_DEPENDENCIES: DeclaredDependency[] = [];

/** The edge type of each group in GROUPS ("peer" becomes "peerOptional" for names in `optionalPeers`). */
export const GROUP_TYPES: readonly DependencyType[] = ['peer', 'prod', 'optional', 'dev'];

/**
 * Where one owner's edges are gathered before they are copied out, reused by every owner (of
 * both readers: this file's and bun-entries.ts) so that reading thousands of packages grows no
 * array. It may keep the last owner's edges until the next read: they belong to its graph anyway.
 */
const gathered: DeclaredDependency[] = [];
let gatheredCount = 0;
/** Name → index in `gathered`, once the names to search are many. */
let slots: Map<string, number> | undefined;

/** Up to this many names, a replaced dependency is found by a plain search. */
const SEARCH_LIMIT = 16;

/** Starts gathering one owner's edges. */
export function startEdges(): void {
  gatheredCount = 0;
  slots = undefined;
}

/**
 * Adds one edge: it replaces, in place, an edge of the same name among the first `searched`
 * gathered, else it comes last. Searched one by one while they are few (most packages), through
 * a map once they are many.
 */
export function addEdge(dependency: DeclaredDependency, searched: number): void {
  const { name } = dependency;
  let slot = -1;
  if (slots !== undefined || searched > SEARCH_LIMIT) {
    slots ??= new Map(gathered.slice(0, gatheredCount).map((edge, index) => [edge.name, index]));
    slot = slots.get(name) ?? -1;
  } else {
    for (let k = 0; k < searched; k++) {
      if (gathered[k]!.name === name) {
        slot = k;
        break;
      }
    }
  }
  if (slot === -1) {
    slots?.set(name, gatheredCount);
    gathered[gatheredCount++] = dependency;
  } else {
    gathered[slot] = dependency;
  }
}

export function edgeCount(): number {
  return gatheredCount;
}

/**
 * The gathered edges, copied out at their exact size: an array grown by pushes keeps room for
 * 16, and the graph keeps thousands of these arrays, mostly of one to five edges.
 */
export function takeEdges(): DeclaredDependency[] {
  return gatheredCount === 0 ? NO_DEPENDENCIES : gathered.slice(0, gatheredCount);
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export function readBunLock(data: Readonly<Record<string, unknown>>, context: ReadContext): BunLockContents {
  checkExtras(data, context);
  const workspaces = readWorkspaces(data, context);
  const contents: Writable<BunLockContents> = { workspaces, packages: [], bundled: [], links: [] };
  readPackages(data, context, contents);
  return contents;
}

/**
 * Sections that do not change the graph but that bun refuses when malformed: refusing them
 * too keeps "bun would not install this" and "pkgguard cannot read this" the same set.
 */
function checkExtras(data: Readonly<Record<string, unknown>>, context: ReadContext): void {
  const at = (key: string): TextPosition => context.topLevel.get(key) ?? FIRST_LINE;
  const config = data['configVersion'];
  if (config !== undefined && typeof config !== 'number') {
    context.fail(at('configVersion'), `"configVersion" must be a number, found ${describeType(config)}`);
  }
  const trusted = data['trustedDependencies'];
  if (trusted !== undefined && !isStringArray(trusted)) {
    context.fail(at('trustedDependencies'), '"trustedDependencies" must be an array of package names');
  }
  for (const key of ['patchedDependencies', 'overrides', 'catalog'] as const) {
    if (data[key] !== undefined) checkStringMap(data[key], `"${key}"`, at(key), context);
  }
  const catalogs = data['catalogs'];
  if (catalogs !== undefined) {
    if (!isRecord(catalogs)) context.fail(at('catalogs'), `"catalogs" must be an object, found ${describeType(catalogs)}`);
    for (const [name, catalog] of Object.entries(catalogs)) checkStringMap(catalog, `catalogs[${JSON.stringify(name)}]`, at('catalogs'), context);
  }
}

function checkStringMap(value: unknown, label: string, at: TextPosition, context: ReadContext): void {
  if (!isRecord(value)) context.fail(at, `${label} must be an object, found ${describeType(value)}`);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') context.fail(at, `${label}[${JSON.stringify(key)}] must be a string, found ${describeType(entry)}`);
  }
}

function readWorkspaces(data: Readonly<Record<string, unknown>>, context: ReadContext): BunWorkspace[] {
  const workspaces = data['workspaces'];
  const sectionAt = context.topLevel.get('workspaces') ?? FIRST_LINE;
  if (workspaces === undefined) context.fail(FIRST_LINE, 'has no "workspaces" object (bun writes the project there)');
  if (!isRecord(workspaces)) context.fail(sectionAt, `"workspaces" must be an object, found ${describeType(workspaces)}`);
  if (!isRecord(workspaces[''])) {
    context.fail(sectionAt, '"workspaces" has no entry for the project itself (the "" key)');
  }
  const read: BunWorkspace[] = [];
  for (const [path, manifest] of Object.entries(workspaces)) {
    const at = context.workspaces.get(path) ?? sectionAt;
    const label = `workspaces[${JSON.stringify(path)}]`; // a handful of workspaces: built eagerly
    if (!isRecord(manifest)) context.fail(at, `${label} must be an object, found ${describeType(manifest)}`);
    const name = manifest['name'];
    const version = manifest['version'];
    if (name !== undefined && typeof name !== 'string') context.fail(at, `${label}.name must be a string, found ${describeType(name)}`);
    if (path !== '' && name === undefined) context.fail(at, `${label} has no "name"`);
    if (version !== undefined && typeof version !== 'string') {
      context.fail(at, `${label}.version must be a string, found ${describeType(version)}`);
    }
    read.push({ path, name, version, dependencies: readDependencies(manifest, 'workspace', path, at, context), at });
  }
  // The project first, whatever the key order: it is the graph's root.
  return read.sort((a, b) => (a.path === '' ? -1 : b.path === '' ? 1 : 0));
}

function readPackages(data: Readonly<Record<string, unknown>>, context: ReadContext, into: Writable<BunLockContents>): void {
  const packages = data['packages'];
  if (packages === undefined) return; // bun omits it when nothing is installed
  const sectionAt = context.topLevel.get('packages') ?? FIRST_LINE;
  if (!isRecord(packages)) context.fail(sectionAt, `"packages" must be an object, found ${describeType(packages)}`);
  let index = 0;
  for (const key in packages) readPackage(key, packages[key], context.packageAt(index++, key), context, into);
}

export type Writable<T> = { [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

/** Until the graph computes them. */
const FLAGS_PENDING: PackageFlags = Object.freeze({ dev: false, optional: false, devOptional: false, peer: false, bundled: false });

/** A package's label, built only for a message: most entries never need one, and thousands of them are read. */
function packageLabel(key: string): string {
  return `packages[${JSON.stringify(key)}]`;
}

function ownerLabel(kind: 'workspace' | 'package', key: string): string {
  return kind === 'workspace' ? `workspaces[${JSON.stringify(key)}]` : `${packageLabel(key)} info`;
}

export function readPackage(key: string, tuple: unknown, at: SourceLocation, context: ReadContext, into: Writable<BunLockContents>): void {
  if (key === '') context.fail(at, `${packageLabel(key)}: a package path cannot be empty`);
  if (!Array.isArray(tuple)) context.fail(at, `${packageLabel(key)} must be an array, found ${describeType(tuple)}`);
  const first: unknown = tuple[0];
  if (typeof first !== 'string') {
    context.fail(at, `${packageLabel(key)}[0] must be a "name@resolution" string, found ${tuple.length === 0 ? 'an empty array' : describeType(first)}`);
  }
  const ident = readIdent(first, key);
  if (!ident) context.fail(at, `${packageLabel(key)}: cannot read the resolution ${JSON.stringify(first)}; bun writes "name@version" or a git, tarball, file:, link: or workspace: resolution`);

  let registry: string | undefined;
  let info: Readonly<Record<string, unknown>> | undefined;
  let tag: string | undefined;
  let integrity: string | undefined;
  let index = 1;
  const second: unknown = tuple[1];
  const third: unknown = tuple[2];
  const fourth: unknown = tuple[3];
  if (tuple.length === 4 && ident.resolution.kind === 'npm' && typeof second === 'string' && isRecord(third) && typeof fourth === 'string') {
    // What bun writes for nearly every entry, read without walking the layout.
    registry = second;
    info = third;
    integrity = fourth;
    index = 4;
  }
  const layout = index === 4 ? NO_SLOTS : LAYOUTS[ident.resolution.kind];
  for (let s = 0; s < layout.length; s++) {
    const slot = layout[s]!;
    if (index >= tuple.length) break;
    const value: unknown = tuple[index];
    if (slot === 'info') {
      if (!isRecord(value)) continue;
      info = value;
    } else {
      if (typeof value !== 'string') continue;
      if (slot === 'registry') registry = value;
      else if (slot === 'tag') tag = value;
      else integrity = value;
    }
    index++;
  }
  if (index < tuple.length) {
    const value: unknown = tuple[index];
    context.fail(at, `${packageLabel(key)}[${index}] is not expected here (${describeType(value)}); bun writes ${SHAPES[ident.resolution.kind]}`);
  }
  const { name, resolution } = ident;
  if (resolution.kind === 'git' && integrity === undefined && tag !== undefined && SRI_LIKE.test(tag)) integrity = tag;
  const dependencies = info === undefined ? NO_DEPENDENCIES : readDependencies(info, 'package', key, at, context);
  if (resolution.kind === 'workspace' || resolution.kind === 'root') {
    into.links.push({ key, kind: resolution.kind, path: resolution.kind === 'workspace' ? resolution.path : '', at });
    return;
  }
  const version = resolution.kind === 'npm' ? resolution.version : '';
  // bun 1.4 records `"hasInstallScript": true` in the info object; 1.3 and older never say.
  const hasInstallScript = info?.['hasInstallScript'] === true;
  addPackage(into, key, name, version, sourceOf(resolution, registry), resolvedOf(resolution, registry), integrity, dependencies, info?.['bundled'] === true, hasInstallScript, at);
}

/**
 * Adds a package's graph node to `into`: the one place both readers (this file's and
 * bun-entries.ts) build one, so their nodes are the same objects, field for field.
 */
export function addPackage(
  into: Writable<BunLockContents>,
  key: string,
  name: string,
  version: string,
  source: PackageSource,
  resolved: string | undefined,
  integrity: string | undefined,
  dependencies: DeclaredDependency[],
  bundled: boolean,
  hasInstallScript: boolean,
  at: SourceLocation,
): void {
  if (bundled) into.bundled.push(into.packages.length);
  const installName = key.slice(parentLength(key));
  into.packages.push({
    id: key,
    name,
    version,
    alias: installName !== name ? installName : undefined,
    source,
    resolved,
    // bun writes "" when it has no hash it can express: that is no integrity, not a malformed one.
    integrity: integrity === '' ? undefined : integrity,
    flags: FLAGS_PENDING,
    hasInstallScript,
    location: at,
    dependencies,
  });
}

/**
 * The dependency groups of a workspace or a package's info object, one edge per name: a
 * later group replaces an earlier one in place, which gives bun's precedence (dev, then
 * optional, then prod, then peer). Peers listed in `optionalPeers` are `peerOptional`.
 */
function readDependencies(
  owner: Readonly<Record<string, unknown>>,
  ownerKind: 'workspace' | 'package',
  ownerKey: string,
  at: TextPosition,
  context: ReadContext,
): DeclaredDependency[] {
  const optionalPeers = owner['optionalPeers'];
  if (optionalPeers !== undefined && !isStringArray(optionalPeers)) {
    context.fail(at, `${ownerLabel(ownerKind, ownerKey)}.optionalPeers must be an array of package names`);
  }
  startEdges();
  for (let g = 0; g < GROUPS.length; g++) {
    const group = GROUPS[g]!;
    const deps = owner[group];
    if (deps === undefined) continue;
    if (!isRecord(deps)) context.fail(at, `${ownerLabel(ownerKind, ownerKey)}.${group} must be an object, found ${describeType(deps)}`);
    const groupType = GROUP_TYPES[g]!;
    // Names repeat only across groups (an object has each key once), so only earlier groups' are searched.
    const earlier = edgeCount();
    for (const name in deps) {
      const spec = deps[name];
      if (typeof spec !== 'string') context.fail(at, `${ownerLabel(ownerKind, ownerKey)}.${group}[${JSON.stringify(name)}] must be a string, found ${describeType(spec)}`);
      const type = g === 0 && optionalPeers?.includes(name) ? 'peerOptional' : groupType;
      addEdge({ name, spec, type, to: undefined }, earlier);
    }
  }
  return takeEdges();
}
