/**
 * Builds a DependencyGraph from the lockfile document of a pnpm-lock.yaml.
 *
 * Model:
 * - Importers are the project's own folders: `.` is the root node, every other importer a
 *   workspace. pnpm records no names for them, so a workspace is named by the first `link:`
 *   dependency that points at it (`"@fixture/b": link:../b`), else by its folder, and the root
 *   by the lockfile's folder. A `link:` to a folder that is no importer becomes an importer of
 *   its own with a 'link' source and id `link:<folder>`: pnpm records nothing inside it.
 * - Managed runtimes (`node@runtime:22.11.0`, pnpm 10's `devEngines.runtime`) are left out:
 *   they are per-platform binaries, not packages (pnpm-source.ts); edges to them have no target.
 * - Packages are the lockfile entries, one node per key, and the key is the node id (v5/v6
 *   `packages`, v9 `snapshots`: each peer variant is its own node). Name and version come from
 *   the entry's `name`/`version` fields, else from the key, else (git entries of pnpm 7) the
 *   name from the first dependency pointing at it; an entry without a name is an error.
 * - Edges come from `dependencies` (a name also in `peerDependencies` makes a peer edge),
 *   `optionalDependencies`, an importer's `devDependencies`, and each declared peer the entry
 *   leaves unresolved (target-less, as npm lists missing optional peers). Their `spec` is what
 *   the lockfile writes: an importer's specifier (`^1.4.0`, `catalog:`, `workspace:*`), a
 *   package's resolved reference (pnpm keeps no ranges for those), a peer's declared range.
 * - `alias` is the name the first dependency pointing at a package uses, when it is not the
 *   package's own (`str: npm:string-width@4.2.3`).
 * - Flags: v5/v6 record `dev` and `optional`, v9 snapshots `optional`; the rest comes from
 *   reachability (dep-flags.ts; a package no importer reaches gets no derived flag). `hasInstallScript` stays false: pnpm's `requiresBuild` is not
 *   that (pnpm 7 and 8 set it on optional packages they never fetched; pnpm 9 dropped it).
 */
import type { DependencyEdge, DependencyGraph, DependencyType, LockfileInfo, PackageNode, PackageSource, SourceLocation } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { isRecord } from './json-value.ts';
import type { TextPosition } from './locate/position.ts';
import { keyOfReference, linkedFolder, parseKey, type KeyStyle } from './pnpm-dep-path.ts';
import { EMPTY, EntryReader, infoPlaceOf, labelOf, type KeyPositions, type LockfileEntry, type YamlMap } from './pnpm-entries.ts';
import { flagsFor, passesOf, reachabilityBits } from './dep-flags.ts';
import { isManagedRuntime, resolutionOf } from './pnpm-source.ts';

export interface PnpmGraphInput {
  readonly lockfile: LockfileInfo;
  readonly style: KeyStyle;
  /** The lockfile document, already checked to be a mapping with a supported lockfileVersion. */
  readonly document: YamlMap;
  /** Name of the root project (pnpm records none): its folder's. */
  readonly rootName: string;
  readonly positions: KeyPositions;
}

/** pnpm's own field order; importers also have devDependencies. */
const PACKAGE_FIELDS: readonly (readonly [string, DependencyType])[] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
];
const IMPORTER_FIELDS: readonly (readonly [string, DependencyType])[] = [...PACKAGE_FIELDS, ['devDependencies', 'dev']];

const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false } as const;

export function buildPnpmGraph(input: PnpmGraphInput): DependencyGraph {
  const { style } = input;
  const reader = new EntryReader(input.lockfile.path, input.positions);
  const importers = reader.importers(input.document);
  const entries = reader.packages(input.document, style).filter((entry) => !isManagedRuntime(entry));
  const importerCount = importers.length;
  const importerNumber = new Map<string, number>();
  importers.forEach((importer, i) => {
    if (!importerNumber.has(importer.id)) importerNumber.set(importer.id, i);
  });
  // Entries by key, the first of equal keys winning. A dependency names its entry by
  // `name@reference` (v9) or by a key keyOfReference builds; one map of whole keys costs a
  // string per lookup, which dies young, where a map per name would be thousands of maps kept.
  const byKey = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!byKey.has(entry.id)) byKey.set(entry.id, i);
  });
  // An entry whose key is also an importer's folder counts as that importer for the flags,
  // as a single id → node map would have it (no real lockfile has one).
  const collides = entries.some((entry) => importerNumber.has(entry.id));
  const entryNode = (i: number): number => (collides ? (importerNumber.get(entries[i]!.id) ?? importerCount + i) : importerCount + i);

  // Edges first: a name the lockfile does not spell is read off the first reference to the
  // entry. Every edge also goes into one table for the flags (dep-flags.ts), by node number:
  // importers first, then entries.
  const referencedAs: (string | undefined)[] = new Array<string | undefined>(entries.length);
  const linkedAs = new Map<string, string>();
  const first: number[] = [];
  const target: number[] = [];
  const passes: number[] = [];
  /** Set by `targetOf`: the id an edge points at, undefined when nothing matches. */
  let targetId: string | undefined;
  /** The node number a reference points at (-1 when none) and, in `targetId`, its id. */
  const targetOf = (reference: string, name: string, folder: string): number => {
    let index: number | undefined;
    if (style === 'v9' && !reference.includes('@') && !reference.startsWith('link:')) {
      // The common case, `7.8.2` or `1.0.0(peer@2.0.0)` without an alias: the key is `name@reference`.
      index = byKey.get(`${name}@${reference}`);
    } else {
      const key = keyOfReference(reference, name, style);
      if (key === undefined) {
        const folderId = linkedFolder(reference, folder);
        const id = importerNumber.has(folderId) ? folderId : `link:${folderId}`;
        if (!linkedAs.has(id)) linkedAs.set(id, name);
        targetId = id;
        const entry = importerNumber.get(id) ?? byKey.get(id);
        return entry === undefined ? -1 : importerNumber.has(id) ? entry : entryNode(entry);
      }
      index = byKey.get(key);
    }
    if (index === undefined) {
      targetId = undefined;
      return -1;
    }
    referencedAs[index] ??= name;
    targetId = entries[index]!.id;
    return entryNode(index);
  };

  const scratchEdges: DependencyEdge[] = [];
  const edgesOf = (entry: LockfileEntry, fields: typeof PACKAGE_FIELDS): DependencyEdge[] => {
    first.push(target.length);
    const { at } = entry;
    const fieldsPlace = entry;
    const infoPlace = infoPlaceOf(entry);
    const specifiers = reader.mapping(entry.fields['specifiers'], at, fieldsPlace, 'specifiers');
    const peers = reader.mapping(entry.info['peerDependencies'], at, infoPlace, 'peerDependencies');
    const peersMeta = reader.mapping(entry.info['peerDependenciesMeta'], at, infoPlace, 'peerDependenciesMeta');
    const edges = scratchEdges;
    edges.length = 0;
    let resolvedPeers: Set<string> | undefined;
    for (let f = 0; f < fields.length; f++) {
      // Indexes, not destructuring: that runs the iterator protocol, slow before the JIT steps in.
      const field = fields[f]![0];
      const fieldType = fields[f]![1];
      const dependencies = reader.mapping(entry.fields[field], at, fieldsPlace, field);
      for (const name in dependencies) {
        const value = dependencies[name];
        const v5Specifier = specifiers !== EMPTY && Object.hasOwn(specifiers, name) ? specifiers[name] : undefined;
        let reference: string;
        let specifier: string | undefined;
        if (typeof value === 'string') {
          reference = value;
          specifier = typeof v5Specifier === 'string' ? v5Specifier : undefined;
        } else {
          ({ reference, specifier } = reader.dependency(value, v5Specifier, at, fieldsPlace, field, name));
        }
        const isPeer = fieldType === 'prod' && peers !== EMPTY && Object.hasOwn(peers, name);
        if (isPeer) (resolvedPeers ??= new Set()).add(name);
        const type = isPeer ? peerType(peersMeta, name) : fieldType;
        const spec = isPeer ? peerRange(reader, entry, peers, name) : (specifier ?? reference);
        target.push(targetOf(reference, name, entry.folder));
        passes.push(passesOf(type));
        edges.push({ name, spec, type, to: targetId });
      }
    }
    for (const name in peers) {
      if (resolvedPeers?.has(name)) continue;
      const type = peerType(peersMeta, name);
      target.push(-1);
      passes.push(passesOf(type));
      edges.push({ name, spec: peerRange(reader, entry, peers, name), type, to: undefined });
    }
    // An exact-size copy: an array grown by push keeps room for 17 edges, which every node
    // would hold on to (and the collector copy) for its usual one or two.
    return edges.slice();
  };
  const importerEdges = importers.map((importer) => edgesOf(importer, IMPORTER_FIELDS));
  const entryEdges = entries.map((entry) => edgesOf(entry, PACKAGE_FIELDS));
  first.push(target.length);
  const bits = reachabilityBits(importerCount, { first, target, passes });

  const file = input.lockfile.path;
  const location = (at: TextPosition): SourceLocation => ({ file, line: at.line, column: at.column });
  const project = (id: string, at: TextPosition, name: string, source: PackageSource, dependencies: readonly DependencyEdge[]): PackageNode => ({
    id,
    name,
    version: '',
    alias: undefined,
    source,
    resolved: undefined,
    integrity: undefined,
    flags: NO_FLAGS,
    hasInstallScript: false,
    location: location(at),
    dependencies,
  });

  const rootIndex = importers.findIndex((importer) => importer.id === '.');
  const rootAt = importers[rootIndex]?.at ?? { line: 1, column: 1 };
  const root = project('.', rootAt, input.rootName, { type: 'directory', path: '.' }, importerEdges[rootIndex] ?? []);
  const importerNodes: PackageNode[] = [];
  importers.forEach((importer, i) => {
    if (i === rootIndex) return;
    const name = linkedAs.get(importer.id) ?? folderName(importer.id);
    importerNodes.push(project(importer.id, importer.at, name, { type: 'workspace', path: importer.id }, importerEdges[i]!));
  });
  for (const [id, name] of linkedAs) {
    if (!importerNumber.has(id)) importerNodes.push(project(id, rootAt, name, { type: 'link', path: id.slice('link:'.length) }, []));
  }

  const packages = entries.map((entry, i): PackageNode => {
    const parsed = parseKey(entry.id, style);
    const name = reader.string(entry.info, 'name', entry.at, infoPlaceOf(entry)) ?? parsed.name ?? referencedAs[i];
    if (name === undefined) {
      return reader.fail(entry.at, `cannot tell the package name of ${labelOf(entry)}: the key is not a dependency path and the entry has no "name"`);
    }
    const alias = referencedAs[i];
    const { source, resolved, integrity } = resolutionOf(entry, reader);
    const recordedDev = style === 'v9' ? undefined : entry.fields['dev'] === true;
    const recordedOptional = entry.fields['optional'] === true;
    return {
      id: entry.id,
      name,
      version: reader.string(entry.info, 'version', entry.at, infoPlaceOf(entry)) ?? parsed.version ?? '',
      alias: alias !== undefined && alias !== name ? alias : undefined,
      source,
      resolved,
      integrity,
      // Its own number's bits, even when edges to its key count for a same-named importer.
      flags: flagsFor(bits[importerCount + i]!, 'unflagged', false, recordedDev, recordedOptional),
      hasInstallScript: false,
      location: entry.at,
      dependencies: entryEdges[i]!,
    };
  });
  return createDependencyGraph({ lockfile: input.lockfile, root, importers: importerNodes, packages });
}

function peerType(peersMeta: YamlMap, name: string): DependencyType {
  const meta = peersMeta[name];
  return isRecord(meta) && meta['optional'] === true ? 'peerOptional' : 'peer';
}

function peerRange(reader: EntryReader, entry: LockfileEntry, peers: YamlMap, name: string): string {
  return reader.string(peers, name, entry.at, infoPlaceOf(entry), 'peerDependencies') ?? '';
}

/** The last segment of an importer's folder ("packages/a" → "a"). */
function folderName(folder: string): string {
  return folder.slice(folder.lastIndexOf('/') + 1) || folder;
}
