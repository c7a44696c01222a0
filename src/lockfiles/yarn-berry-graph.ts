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
import type { DependencyEdge, DependencyGraph, DependencyType, LockfileInfo, PackageSource, SourceLocation } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { flagsFor, passesOf, reachabilityBits } from './dep-flags.ts';
import type { PackageManifest, ProjectManifests } from './manifest.ts';
import { berrySource, isBuiltinPatch, patchedLocator } from './yarn-berry-source.ts';
import { DescriptorMap, hasProtocol, isHttpUrl, splitDescriptor } from './yarn-descriptor.ts';
import { finishYarnGraph, NO_FLAGS, numberRepeats, projectRoot, unrequestedEdges, type DraftNode } from './yarn-graph.ts';

/**
 * An entry as the builder reads it, whichever reader read the file: the field types checked,
 * each dependency map as name, range pairs in the order parseSyml's object lists them, and of
 * the meta maps only the names they mark optional (all the graph reads of them).
 */
export interface BerryEntry {
  readonly descriptors: readonly string[];
  readonly resolution: string;
  readonly version: string;
  readonly checksum: string | undefined;
  /** `linkType: soft`: decides only references of unknown protocols. */
  readonly soft: boolean;
  readonly dependencies: readonly string[] | undefined;
  readonly optionalDependencies: readonly string[] | undefined;
  readonly peerDependencies: readonly string[] | undefined;
  /** Names whose `dependenciesMeta.<name>.optional` is true. */
  readonly optional: ReadonlySet<string> | undefined;
  /** Names whose `peerDependenciesMeta.<name>.optional` is true. */
  readonly peerOptional: ReadonlySet<string> | undefined;
  readonly location: SourceLocation;
}

/**
 * Each descriptor of an entry header → that entry's index, looked up with the name and range a
 * dependency writes. One map keyed by the header's own descriptor strings: a map per name
 * (DescriptorMap) would keep thousands of small maps and sliced keys alive through the parse,
 * which the collector copies; the `name@range` built per lookup dies young. Any name works:
 * `name@range` is the descriptor whatever the name holds.
 */
export class EntryIndex {
  private readonly byDescriptor = new Map<string, number>();

  /** The index already held for `descriptor`, else `index`, which it then holds. */
  setIfAbsent(descriptor: string, index: number): number {
    const held = this.byDescriptor.get(descriptor);
    if (held !== undefined) return held;
    this.byDescriptor.set(descriptor, index);
    return index;
  }

  set(descriptor: string, index: number): void {
    this.byDescriptor.set(descriptor, index);
  }

  get(name: string, range: string): number | undefined {
    return this.byDescriptor.get(`${name}@${range}`);
  }
}

export interface BerryGraphInput {
  readonly lockfile: LockfileInfo;
  readonly cacheKey: string | undefined;
  /** Name for a stand-in root when the lockfile has no `workspace:.` entry. */
  readonly rootName: string;
  readonly entries: readonly BerryEntry[];
  /** Each descriptor of an entry header → that entry's index (a later header naming it again wins). */
  readonly entryOf: EntryIndex;
  /** The project's package.json files, when the loader found them beside the lockfile. */
  readonly manifests?: ProjectManifests | undefined;
}

/** The reference of the project's own entry (`name@workspace:.`). */
const ROOT_REFERENCE = 'workspace:.';

/** Where an entry's node goes: the project root, an importer (workspace) or the packages. */
const ROOT = 0;
const IMPORTER = 1;
const PACKAGE = 2;

/**
 * The edges of every entry in one flat table, in entry order: entry `i`'s edges are `start[i]`
 * to `start[i + 1] - 1`, each with the index of the entry it resolves to (-1 when none) and
 * the bits its type lets through (dep-flags.ts). Flags are then computed by entry index,
 * without looking ids up again.
 */
interface EntryEdges {
  readonly start: Int32Array;
  readonly target: Int32Array;
  readonly passes: Uint8Array;
}

export function buildBerryGraph(input: BerryGraphInput): DependencyGraph {
  const { entries, entryOf } = input;
  const count = entries.length;
  // The resolution is the id; should a hand-edited file repeat one, later copies are numbered.
  const ids = numberRepeats(entries.map((entry) => entry.resolution));
  /** Where each resolution's reference starts (after the locator name's `@`); 0 when it has none. */
  const referenceAt = new Int32Array(count);
  let hasRoot = false;
  let edgeCount = 0;
  /** Inner descriptor → the built-in patch entry that replaces it, and that entry's own descriptor. */
  const builtinPatchFor = new DescriptorMap<{ index: number; descriptor: string }>();
  let hasBuiltinPatches = false;
  for (let index = 0; index < count; index++) {
    const entry = entries[index]!;
    const at = entry.resolution.indexOf('@', 1);
    referenceAt[index] = at + 1;
    if (at !== -1 && entry.resolution.length - at - 1 === ROOT_REFERENCE.length && entry.resolution.endsWith(ROOT_REFERENCE)) hasRoot = true;
    edgeCount += entryEdgeCount(entry) + 1;
    for (const descriptor of entry.descriptors) {
      if (!descriptor.includes('@patch:')) continue;
      const { range } = splitDescriptor(descriptor);
      const inner = isBuiltinPatch(range) ? patchedLocator(range) : undefined;
      if (inner !== undefined) {
        builtinPatchFor.set(inner, { index, descriptor });
        hasBuiltinPatches = true;
      }
    }
  }

  // Which descriptors some entry asks for matters only to a stand-in root: not tracked otherwise.
  const requested = new Set<string>();
  const lookup = (name: string, range: string): number => {
    const patch = hasBuiltinPatches ? builtinPatchFor.get(name, range) : undefined;
    if (patch) {
      if (!hasRoot) requested.add(`${name}@${range}`).add(patch.descriptor);
      return patch.index;
    }
    const index = entryOf.get(name, range);
    if (index === undefined) return -1;
    if (!hasRoot) requested.add(`${name}@${range}`);
    return index;
  };
  // Cheapest spelling first: most ranges match as written.
  const resolve = (name: string, range: string, dependentId: string): number => {
    let index = lookup(name, range);
    if (index === -1 && !hasProtocol(range)) index = lookup(name, `npm:${range}`);
    if (index === -1) index = lookup(name, `${range}::locator=${encodeURIComponent(dependentId)}`);
    return index;
  };

  const declaredTypes = declaredTypesByWorkspace(input.manifests);
  const table: EntryEdges = { start: new Int32Array(count + 1), target: new Int32Array(edgeCount), passes: new Uint8Array(edgeCount) };
  const patchTargets = new Set<string>();
  /** Built on the first patch entry: most lockfiles have a handful. */
  let byResolution: Map<string, number> | undefined;
  const nodes: DraftNode[] = [];
  const kinds = new Uint8Array(count);
  let rootIndex = -1;
  let edge = 0;
  for (let index = 0; index < count; index++) {
    const entry = entries[index]!;
    const id = ids[index]!;
    const { resolution } = entry;
    const at = referenceAt[index]!;
    const registry = at !== 0 && resolution.startsWith('npm:', at);
    // Registry references are not kept on the node: not sliced.
    const reference = registry ? '' : at === 0 ? '' : resolution.slice(at);
    const inner = registry ? undefined : patchedLocator(reference);
    if (inner !== undefined) byResolution ??= firstIndexes(entries);
    const patchedIndex = inner === undefined ? undefined : byResolution!.get(inner);
    const patchedFrom = patchedIndex === undefined ? undefined : inner;
    if (patchedFrom !== undefined) patchTargets.add(patchedFrom);
    const declared = !registry && reference.startsWith('workspace:') ? declaredTypes.get(reference.slice(10)) : undefined;
    table.start[index] = edge;
    // Sized up front: an array grown by push reserves room for 17 edges, and every node keeps its own.
    const edges = new Array<DependencyEdge>(entryEdgeCount(entry) + (patchedFrom === undefined ? 0 : 1));
    const name = at === 0 ? resolution : resolution.slice(0, at - 1);
    edge = addEdges(edges, table, edge, entry, ids, id, declared, resolve);
    if (patchedFrom !== undefined) {
      const patched = splitDescriptor(patchedFrom);
      edges[edges.length - 1] = { name: patched.name, spec: patched.range, type: 'prod', to: patchedFrom };
      table.target[edge] = patchedIndex!;
      table.passes[edge++] = passesOf('prod');
    }
    const source = registry ? REGISTRY_SOURCE : berrySource(reference, entry.soft ? 'soft' : undefined);
    const node = entryNode(id, name, entry, reference, source, input.cacheKey, edges, patchedFrom);
    // The root is the project itself, a folder like npm's root, not one of its workspaces.
    if (reference === ROOT_REFERENCE && rootIndex === -1) {
      rootIndex = index;
      kinds[index] = ROOT;
      nodes.push({ ...node, source: { type: 'directory', path: '.' } });
    } else {
      kinds[index] = source.type === 'workspace' ? IMPORTER : PACKAGE;
      nodes.push(node);
    }
  }
  table.start[count] = edge;
  if (rootIndex === -1) {
    // Hand-made files without a root entry: the stand-in root's edges name ids, so flags go by ids.
    const root = standInRoot(input, ids, (descriptor, id) => requested.has(descriptor) || patchTargets.has(id));
    return finishYarnGraph({
      lockfile: input.lockfile,
      root,
      importers: nodes.filter((_, index) => kinds[index] === IMPORTER),
      packages: nodes.filter((_, index) => kinds[index] === PACKAGE),
    });
  }
  return finishBerryGraph(input.lockfile, nodes, kinds, rootIndex, table);
}

/** Shared by every registry package: the node of a `npm:` reference says no more than this. */
const REGISTRY_SOURCE = Object.freeze({ type: 'registry' as const });

/** Resolution → the index of the first entry resolved to it (the one whose id it is). */
function firstIndexes(entries: readonly BerryEntry[]): Map<string, number> {
  const indexes = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!indexes.has(entry.resolution)) indexes.set(entry.resolution, index);
  });
  return indexes;
}

function pairCount(pairs: readonly string[] | undefined): number {
  return pairs === undefined ? 0 : pairs.length >> 1;
}

/** The edges an entry's dependency maps make. */
function entryEdgeCount(entry: BerryEntry): number {
  return pairCount(entry.dependencies) + pairCount(entry.optionalDependencies) + pairCount(entry.peerDependencies);
}

/**
 * The graph with every package's flags, from the edge table: nodes are numbered root first,
 * then the importers, then the packages (dep-flags.ts's order), each in lockfile order.
 */
function finishBerryGraph(lockfile: LockfileInfo, nodes: DraftNode[], kinds: Uint8Array, rootIndex: number, table: EntryEdges): DependencyGraph {
  const count = nodes.length;
  const numberOf = new Int32Array(count);
  const importers: DraftNode[] = [];
  const packages: DraftNode[] = [];
  for (let index = 0; index < count; index++) {
    if (kinds[index] !== IMPORTER) continue;
    numberOf[index] = 1 + importers.length;
    importers.push(nodes[index]!);
  }
  const rootCount = 1 + importers.length;
  for (let index = 0; index < count; index++) {
    if (kinds[index] !== PACKAGE) continue;
    numberOf[index] = rootCount + packages.length;
    packages.push(nodes[index]!);
  }
  // The entry-order table, renumbered into node order.
  const first = new Int32Array(count + 1);
  const target = new Int32Array(table.target.length);
  const passes = new Uint8Array(table.passes.length);
  let k = 0;
  const copy = (index: number, n: number): void => {
    first[n] = k;
    for (let e = table.start[index]!, end = table.start[index + 1]!; e < end; e++, k++) {
      const to = table.target[e]!;
      target[k] = to === -1 ? -1 : numberOf[to]!;
      passes[k] = table.passes[e]!;
    }
  };
  copy(rootIndex, 0);
  for (let index = 0; index < count; index++) if (kinds[index] === IMPORTER) copy(index, numberOf[index]!);
  for (let index = 0; index < count; index++) if (kinds[index] === PACKAGE) copy(index, numberOf[index]!);
  first[count] = k;
  const bits = reachabilityBits(rootCount, { first, target, passes });
  for (let i = 0; i < packages.length; i++) packages[i]!.flags = flagsFor(bits[rootCount + i]!, 'unflagged', false, undefined, undefined);
  return createDependencyGraph({ lockfile, root: nodes[rootIndex]!, importers, packages });
}

type Resolve = (name: string, range: string, dependentId: string) => number;

/** Sets the edges of an entry's dependency maps, from the first slot of `edges` and from row `row` of the table on; returns the next row. */
function addEdges(
  edges: DependencyEdge[],
  table: EntryEdges,
  row: number,
  entry: BerryEntry,
  ids: readonly string[],
  dependentId: string,
  declared: ReadonlyMap<string, DependencyType> | undefined,
  resolve: Resolve,
): number {
  const { dependencies, optionalDependencies, peerDependencies, optional, peerOptional } = entry;
  const { target, passes } = table;
  let slot = 0;
  if (dependencies !== undefined) {
    for (let p = 0; p < dependencies.length; p += 2) {
      const name = dependencies[p]!;
      const spec = dependencies[p + 1]!;
      const declaredType = declared?.get(name);
      const type: DependencyType =
        declaredType === 'dev' || declaredType === 'optional' ? declaredType : optional !== undefined && optional.has(name) ? 'optional' : 'prod';
      const to = resolve(name, spec, dependentId);
      edges[slot++] = { name, spec, type, to: to === -1 ? undefined : ids[to] };
      target[row] = to;
      passes[row++] = passesOf(type);
    }
  }
  if (optionalDependencies !== undefined) {
    for (let p = 0; p < optionalDependencies.length; p += 2) {
      const name = optionalDependencies[p]!;
      const spec = optionalDependencies[p + 1]!;
      const to = resolve(name, spec, dependentId);
      edges[slot++] = { name, spec, type: 'optional', to: to === -1 ? undefined : ids[to] };
      target[row] = to;
      passes[row++] = passesOf('optional');
    }
  }
  if (peerDependencies !== undefined) {
    // Never resolved: the provider is picked per dependent at install time.
    for (let p = 0; p < peerDependencies.length; p += 2) {
      const name = peerDependencies[p]!;
      const type = peerOptional !== undefined && peerOptional.has(name) ? 'peerOptional' : 'peer';
      edges[slot++] = { name, spec: peerDependencies[p + 1]!, type, to: undefined };
      target[row] = -1;
      passes[row++] = passesOf(type);
    }
  }
  return row;
}

function entryNode(
  id: string,
  name: string,
  entry: BerryEntry,
  reference: string,
  source: PackageSource,
  cacheKey: string | undefined,
  edges: DependencyEdge[],
  patchedFrom: string | undefined,
): DraftNode {
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

/** Per workspace folder ('.' for the root): the names declared dev or optional, with that type. */
type DeclaredTypes = ReadonlyMap<string, ReadonlyMap<string, DependencyType>>;

function declaredTypesByWorkspace(manifests: ProjectManifests | undefined): DeclaredTypes {
  const byFolder = new Map<string, ReadonlyMap<string, DependencyType>>();
  if (!manifests) return byFolder;
  // Only dev and optional declarations change an edge's type: the map holds just those (a
  // root manifest may declare thousands of dependencies), the last declaration of a name winning.
  const typesOf = (manifest: PackageManifest): ReadonlyMap<string, DependencyType> => {
    const types = new Map<string, DependencyType>();
    for (const { name, type } of manifest.dependencies) {
      if (type === 'dev' || type === 'optional') types.set(name, type);
      else types.delete(name);
    }
    return types;
  };
  byFolder.set('.', typesOf(manifests.root));
  for (const { path, manifest } of manifests.workspaces) byFolder.set(path, typesOf(manifest));
  return byFolder;
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
