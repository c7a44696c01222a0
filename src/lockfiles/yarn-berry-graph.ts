/**
 * Builds the graph of a yarn Berry lockfile from its checked entries.
 *
 * Model:
 * - Every entry is one locator: its `resolution` (`debug@npm:2.6.9`) is the node id; the name
 *   is the locator's (the real package, also for `npm:` aliases, whose alias name is the
 *   header's), the version is `version`.
 * - `…@workspace:.` is the root; other `workspace:` entries are importers, so paths start at
 *   each workspace. Without a root entry (hand-made files), a root with id '' stands in and
 *   every descriptor that no entry asks for becomes one of its edges.
 * - Edges: `dependencies` (optional when `dependenciesMeta.<name>.optional` is true; Berry
 *   folds optionalDependencies in there, and a workspace's devDependencies too) and
 *   `peerDependencies` (peerOptional per `peerDependenciesMeta`), never resolved: the
 *   provider is picked per dependent at install time. A range resolves to the entry whose
 *   header lists `name@range`, trying Berry's normalisations: the default `npm:` protocol
 *   (written out since lockfile v8, left out before) and the `::locator=<dependent>` binding
 *   of relative `file:`, `link:`, `portal:` and `exec:` ranges.
 * - patch: yarn replaces some packages by a built-in patched copy (`resolve`, `typescript`,
 *   `fsevents`): an edge to such a package goes to the patch entry, which is what gets
 *   installed. A patch entry has an edge to the entry it patches (`patchedFrom`), whose
 *   download and checksum it is built from.
 * - `checksum` (a hash of yarn's zip archive, not of the registry tarball) goes to
 *   `checksum` with the lockfile's cacheKey, never to `integrity`.
 * - dev: the lockfile cannot tell a workspace's devDependencies from its dependencies, its
 *   package.json can. When the loader hands the manifests over, a workspace entry's
 *   `dependencies` edge takes the type its package.json declares when that is dev or
 *   optional; a prod declaration leaves an optional edge optional (package.json's own
 *   `dependenciesMeta` can make a dependency optional). A workspace whose package.json was
 *   not found keeps the lockfile's types. Flags follow from the edges (yarn-graph.ts).
 */
import type { DependencyEdge, DependencyGraph, DependencyType, LockfileInfo, SourceLocation } from '../core/graph.ts';
import type { PackageManifest, ProjectManifests } from './manifest.ts';
import { berrySource, isBuiltinPatch, patchedLocator } from './yarn-berry-source.ts';
import { DescriptorMap, hasProtocol, isHttpUrl, splitDescriptor, type Descriptor } from './yarn-descriptor.ts';
import { finishYarnGraph, NO_FLAGS, numberRepeats, projectRoot, unrequestedEdges, type DraftNode } from './yarn-graph.ts';

export type StringMap = Readonly<Record<string, string>>;
/** `dependenciesMeta` / `peerDependenciesMeta`: per name, flags as Berry writes them ('true'). */
export type MetaMap = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** An entry whose field types were checked. */
export interface CheckedBerryEntry {
  readonly descriptors: readonly string[];
  readonly resolution: string;
  readonly version: string;
  readonly checksum: string | undefined;
  readonly linkType: string | undefined;
  readonly dependencies: StringMap | undefined;
  readonly optionalDependencies: StringMap | undefined;
  readonly peerDependencies: StringMap | undefined;
  readonly dependenciesMeta: MetaMap | undefined;
  readonly peerDependenciesMeta: MetaMap | undefined;
  readonly location: SourceLocation;
}

export interface BerryGraphInput {
  readonly lockfile: LockfileInfo;
  readonly cacheKey: string | undefined;
  /** Name for a stand-in root when the lockfile has no `workspace:.` entry. */
  readonly rootName: string;
  readonly entries: readonly CheckedBerryEntry[];
  /** The project's package.json files, when the loader found them beside the lockfile. */
  readonly manifests?: ProjectManifests | undefined;
}

/** The reference of the project's own entry (`name@workspace:.`). */
const ROOT_REFERENCE = 'workspace:.';

export function buildBerryGraph(input: BerryGraphInput): DependencyGraph {
  const { entries } = input;
  // Each resolution split once: the locator's name and reference.
  const locators = entries.map((entry) => splitDescriptor(entry.resolution));
  const hasRoot = locators.some(({ range }) => range === ROOT_REFERENCE);
  // The resolution is the id; should a hand-edited file repeat one, later copies are numbered.
  const ids = numberRepeats(entries.map((entry) => entry.resolution));
  const idOf = new DescriptorMap<string>();
  /** Inner descriptor → the built-in patch entry that replaces it, and that entry's own descriptor. */
  const builtinPatchFor = new DescriptorMap<{ id: string; descriptor: string }>();
  let hasBuiltinPatches = false;
  entries.forEach((entry, index) => {
    const id = ids[index]!;
    for (const descriptor of entry.descriptors) {
      idOf.set(descriptor, id);
      if (!descriptor.includes('@patch:')) continue;
      const { range } = splitDescriptor(descriptor);
      const inner = isBuiltinPatch(range) ? patchedLocator(range) : undefined;
      if (inner !== undefined) {
        builtinPatchFor.set(inner, { id, descriptor });
        hasBuiltinPatches = true;
      }
    }
  });

  // Which descriptors some entry asks for matters only to a stand-in root: not tracked otherwise.
  const requested = new Set<string>();
  const lookup = (name: string, range: string): string | undefined => {
    const patch = hasBuiltinPatches ? builtinPatchFor.get(name, range) : undefined;
    if (patch) {
      if (!hasRoot) requested.add(`${name}@${range}`).add(patch.descriptor);
      return patch.id;
    }
    const id = idOf.get(name, range);
    if (id !== undefined && !hasRoot) requested.add(`${name}@${range}`);
    return id;
  };
  // Cheapest spelling first: most ranges match as written.
  const resolve = (name: string, range: string, dependentId: string): string | undefined =>
    lookup(name, range) ??
    (hasProtocol(range) ? undefined : lookup(name, `npm:${range}`)) ??
    lookup(name, `${range}::locator=${encodeURIComponent(dependentId)}`);

  const declaredTypes = declaredTypesByWorkspace(input.manifests);
  const patchTargets = new Set<string>();
  /** Built on the first patch entry: most lockfiles have a handful. */
  let byResolution: Set<string> | undefined;
  let root: DraftNode | undefined;
  const importers: DraftNode[] = [];
  const packages: DraftNode[] = [];
  entries.forEach((entry, index) => {
    const id = ids[index]!;
    const locator = locators[index]!;
    const { range } = locator;
    const inner = patchedLocator(range);
    byResolution ??= inner === undefined ? undefined : new Set(entries.map((candidate) => candidate.resolution));
    const patchedFrom = inner !== undefined && byResolution!.has(inner) ? inner : undefined;
    if (patchedFrom !== undefined) patchTargets.add(patchedFrom);
    const declared = range.startsWith('workspace:') ? declaredTypes.get(range.slice(10)) : undefined;
    const node = entryNode(id, entry, locator, input.cacheKey, edgesOf(entry, id, patchedFrom, resolve, declared), patchedFrom);
    // The root is the project itself, a folder like npm's root, not one of its workspaces.
    if (range === ROOT_REFERENCE && root === undefined) root = { ...node, source: { type: 'directory', path: '.' } };
    else if (node.source.type === 'workspace') importers.push(node);
    else packages.push(node);
  });
  return finishYarnGraph({
    lockfile: input.lockfile,
    root: root ?? standInRoot(input, ids, (descriptor, id) => requested.has(descriptor) || patchTargets.has(id)),
    importers,
    packages,
  });
}

type Resolve = (name: string, range: string, dependentId: string) => string | undefined;

/** Per workspace folder ('.' for the root): the type each dependency name is declared with. */
type DeclaredTypes = ReadonlyMap<string, ReadonlyMap<string, DependencyType>>;

function declaredTypesByWorkspace(manifests: ProjectManifests | undefined): DeclaredTypes {
  const byFolder = new Map<string, ReadonlyMap<string, DependencyType>>();
  if (!manifests) return byFolder;
  const typesOf = (manifest: PackageManifest): ReadonlyMap<string, DependencyType> =>
    new Map(manifest.dependencies.map(({ name, type }) => [name, type]));
  byFolder.set('.', typesOf(manifests.root));
  for (const { path, manifest } of manifests.workspaces) byFolder.set(path, typesOf(manifest));
  return byFolder;
}

function edgesOf(
  entry: CheckedBerryEntry,
  id: string,
  patchedFrom: string | undefined,
  resolve: Resolve,
  declared: ReadonlyMap<string, DependencyType> | undefined,
): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  const { dependencies, optionalDependencies, peerDependencies } = entry;
  for (const name in dependencies) {
    const spec = dependencies[name]!;
    const type = declared?.get(name);
    edges.push({
      name,
      spec,
      type: type === 'dev' || type === 'optional' ? type : metaFlag(entry.dependenciesMeta, name, 'optional') ? 'optional' : 'prod',
      to: resolve(name, spec, id),
    });
  }
  for (const name in optionalDependencies) {
    const spec = optionalDependencies[name]!;
    edges.push({ name, spec, type: 'optional', to: resolve(name, spec, id) });
  }
  for (const name in peerDependencies) {
    const type = metaFlag(entry.peerDependenciesMeta, name, 'optional') ? 'peerOptional' : 'peer';
    edges.push({ name, spec: peerDependencies[name]!, type, to: undefined });
  }
  if (patchedFrom !== undefined) {
    const { name, range } = splitDescriptor(patchedFrom);
    edges.push({ name, spec: range, type: 'prod', to: patchedFrom });
  }
  return edges;
}

/** `<meta>.<name>.<key>` is set: Berry writes 'true' (the failsafe schema reads every scalar as a string). */
function metaFlag(meta: MetaMap | undefined, name: string, key: string): boolean {
  if (meta === undefined || !Object.hasOwn(meta, name)) return false;
  const value = meta[name]?.[key];
  return value === 'true' || value === true;
}

function entryNode(
  id: string,
  entry: CheckedBerryEntry,
  locator: Descriptor,
  cacheKey: string | undefined,
  edges: DependencyEdge[],
  patchedFrom: string | undefined,
): DraftNode {
  const { name, range: reference } = locator;
  const source = berrySource(reference, entry.linkType);
  return {
    id,
    name,
    version: entry.version,
    alias: aliasOf(entry.descriptors, name),
    source,
    // Berry writes an address only for downloads that are not from the registry.
    resolved: source.type === 'git' || (source.type === 'tarball' && isHttpUrl(reference)) ? reference : undefined,
    integrity: undefined,
    checksum: entry.checksum === undefined ? undefined : { kind: 'yarn-berry', value: entry.checksum, cacheKey },
    patchedFrom,
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: entry.location,
    dependencies: edges,
  };
}

/** The name the first descriptor asks for, when no descriptor asks for the package under its own name (an `npm:` alias). */
function aliasOf(descriptors: readonly string[], name: string): string | undefined {
  for (const descriptor of descriptors) {
    if (descriptor.startsWith(name) && descriptor.charCodeAt(name.length) === 0x40) return undefined;
  }
  return descriptors.length === 0 ? undefined : splitDescriptor(descriptors[0]!).name;
}

/** A root for files without a `workspace:.` entry; `isRequested` tells descriptors some entry already asks for. */
function standInRoot(input: BerryGraphInput, ids: readonly string[], isRequested: (descriptor: string, id: string) => boolean): DraftNode {
  const isWorkspace = (index: number): boolean => splitDescriptor(input.entries[index]!.resolution).range.startsWith('workspace:');
  return projectRoot(input.lockfile, input.rootName, '', unrequestedEdges(input.entries, ids, isRequested, isWorkspace));
}
