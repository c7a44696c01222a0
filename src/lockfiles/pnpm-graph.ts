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
import type { YamlKeyIndex } from './locate/yaml.ts';
import { keyOfReference, linkedFolder, parseKey, type KeyStyle } from './pnpm-dep-path.ts';
import { EntryReader, labelOf, type LockfileEntry, type YamlMap } from './pnpm-entries.ts';
import { computeFlags } from './dep-flags.ts';
import { isManagedRuntime, resolutionOf } from './pnpm-source.ts';

export interface PnpmGraphInput {
  readonly lockfile: LockfileInfo;
  readonly style: KeyStyle;
  /** The lockfile document, already checked to be a mapping with a supported lockfileVersion. */
  readonly document: YamlMap;
  /** Name of the root project (pnpm records none): its folder's. */
  readonly rootName: string;
  readonly positions: YamlKeyIndex;
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
  const entryIds = new Set(entries.map((entry) => entry.id));
  const importerIds = new Set(importers.map((importer) => importer.id));

  // Edges first: a name the lockfile does not spell is read off the first reference to the entry.
  const referencedAs = new Map<string, string>();
  const linkedAs = new Map<string, string>();
  const targetOf = (reference: string, name: string, folder: string): string | undefined => {
    const key = keyOfReference(reference, name, style);
    if (key === undefined) {
      const target = linkedFolder(reference, folder);
      const id = importerIds.has(target) ? target : `link:${target}`;
      if (!linkedAs.has(id)) linkedAs.set(id, name);
      return id;
    }
    if (!entryIds.has(key)) return undefined;
    if (!referencedAs.has(key)) referencedAs.set(key, name);
    return key;
  };
  const importerEdges = importers.map((importer) => edgesOf(importer, IMPORTER_FIELDS, reader, targetOf));
  const entryEdges = entries.map((entry) => edgesOf(entry, PACKAGE_FIELDS, reader, targetOf));

  const flags = computeFlags(
    importers.map((importer, i) => ({ id: importer.id, dependencies: importerEdges[i]! })),
    entries.map((entry, i) => ({
      id: entry.id,
      dependencies: entryEdges[i]!,
      recordedDev: style === 'v9' ? undefined : entry.fields['dev'] === true,
      recordedOptional: entry.fields['optional'] === true,
    })),
    'unflagged',
  );

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
    if (!importerIds.has(id)) importerNodes.push(project(id, rootAt, name, { type: 'link', path: id.slice('link:'.length) }, []));
  }

  const packages = entries.map((entry, i): PackageNode => {
    const parsed = parseKey(entry.id, style);
    const name = reader.string(entry.info, 'name', entry.at, entry.infoPlace) ?? parsed.name ?? referencedAs.get(entry.id);
    if (name === undefined) {
      return reader.fail(entry.at, `cannot tell the package name of ${labelOf(entry.fieldsPlace)}: the key is not a dependency path and the entry has no "name"`);
    }
    const alias = referencedAs.get(entry.id);
    const { source, resolved, integrity } = resolutionOf(entry, reader);
    return {
      id: entry.id,
      name,
      version: reader.string(entry.info, 'version', entry.at, entry.infoPlace) ?? parsed.version ?? '',
      alias: alias !== undefined && alias !== name ? alias : undefined,
      source,
      resolved,
      integrity,
      flags: flags.get(entry.id) ?? NO_FLAGS,
      hasInstallScript: false,
      location: location(entry.at),
      dependencies: entryEdges[i]!,
    };
  });
  return createDependencyGraph({ lockfile: input.lockfile, root, importers: importerNodes, packages });
}

/** Resolves a reference to a node id (and records who refers to what); undefined when nothing matches. */
type TargetOf = (reference: string, name: string, folder: string) => string | undefined;

function edgesOf(entry: LockfileEntry, fields: typeof PACKAGE_FIELDS, reader: EntryReader, targetOf: TargetOf): DependencyEdge[] {
  const { at, fieldsPlace, infoPlace } = entry;
  const specifiers = reader.mapping(entry.fields['specifiers'], at, fieldsPlace, 'specifiers');
  const peers = reader.mapping(entry.info['peerDependencies'], at, infoPlace, 'peerDependencies');
  const peersMeta = reader.mapping(entry.info['peerDependenciesMeta'], at, infoPlace, 'peerDependenciesMeta');
  const peerType = (name: string): DependencyType => (isRecord(peersMeta[name]) && peersMeta[name]['optional'] === true ? 'peerOptional' : 'peer');
  const peerRange = (name: string): string => reader.string(peers, name, at, infoPlace, 'peerDependencies') ?? '';

  const edges: DependencyEdge[] = [];
  const resolvedPeers = new Set<string>();
  for (let f = 0; f < fields.length; f++) {
    const [field, fieldType] = fields[f]!;
    const dependencies = reader.mapping(entry.fields[field], at, fieldsPlace, field);
    for (const name in dependencies) {
      const v5Specifier = Object.hasOwn(specifiers, name) ? specifiers[name] : undefined;
      const { reference, specifier } = reader.dependency(dependencies[name], v5Specifier, at, fieldsPlace, field, name);
      const isPeer = fieldType === 'prod' && Object.hasOwn(peers, name);
      if (isPeer) resolvedPeers.add(name);
      edges.push({
        name,
        spec: isPeer ? peerRange(name) : (specifier ?? reference),
        type: isPeer ? peerType(name) : fieldType,
        to: targetOf(reference, name, entry.folder),
      });
    }
  }
  for (const name in peers) {
    if (!resolvedPeers.has(name)) edges.push({ name, spec: peerRange(name), type: peerType(name), to: undefined });
  }
  return edges;
}

/** The last segment of an importer's folder ("packages/a" → "a"). */
function folderName(folder: string): string {
  return folder.slice(folder.lastIndexOf('/') + 1) || folder;
}
