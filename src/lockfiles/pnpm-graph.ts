/**
 * Builds a DependencyGraph from the lockfile document of a pnpm-lock.yaml.
 *
 * Model:
 * - Importers are the project's own folders: `.` is the root node, every other key of
 *   `importers` a workspace (v5/v6 files of a single project keep the root's fields at the top
 *   level). A workspace's name comes from the first `link:` dependency that points at it
 *   (`"@fixture/b": link:../b`), else from its folder. A `link:` to a folder that is no
 *   importer becomes an importer of its own with a 'link' source, id `link:<folder>`: pnpm
 *   records nothing inside it.
 * - Packages are the lockfile entries, one node per key and the key is the node id: v5/v6
 *   `packages`, v9 `snapshots` (each peer variant is its own node; its `packages` entry, found
 *   by the key without suffix, holds the resolution). A v9 `packages` entry no snapshot uses
 *   is a node of its own. Name and version come from the entry's `name`/`version` fields, else
 *   from the key, else (git entries of pnpm 7) the name from the first dependency pointing at
 *   it; an entry without any is an error.
 * - Edges come from `dependencies` (a name that is also in `peerDependencies` makes a peer
 *   edge), `optionalDependencies`, an importer's `devDependencies`, and every declared peer the
 *   entry does not resolve (unresolved, as npm lists missing optional peers). Their `spec` is
 *   what the lockfile writes for it: an importer's specifier (`^1.4.0`, `catalog:`,
 *   `workspace:*`), a package's resolved reference (pnpm records no ranges for those), a
 *   peer's declared range.
 * - Flags: v5/v6 record `dev` and `optional`, v9 snapshots record `optional`; the rest is
 *   derived from the importers (pnpm-flags.ts). `hasInstallScript` stays false: pnpm's
 *   `requiresBuild` is not that (pnpm 7 and 8 set it on optional packages they never fetched,
 *   pnpm 9 dropped it).
 * - Location: the entry's key in `packages` (where its resolution is), else in `snapshots`.
 */
import { LockfileParseError } from '../core/errors.ts';
import type { DependencyEdge, DependencyGraph, LockfileInfo, PackageNode, PackageSource, SourceLocation } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { isRecord } from './json-value.ts';
import type { YamlKeyIndex } from './locate/yaml.ts';
import type { TextPosition } from './locate/position.ts';
import { sourceFromResolved } from './npm-source.ts';
import { keyOfReference, linkedFolder, packageKeyOf, parseKey, type KeyStyle } from './pnpm-dep-path.ts';
import { computeFlags } from './pnpm-flags.ts';

export const REGENERATE_HINT = 'regenerate it with: pnpm install --lockfile-only';

type YamlMap = Readonly<Record<string, unknown>>;

export interface PnpmGraphInput {
  readonly lockfile: LockfileInfo;
  readonly style: KeyStyle;
  /** The lockfile document, already checked to be a mapping with a supported lockfileVersion. */
  readonly document: YamlMap;
  /** Name of the root project: pnpm does not record it, so the folder's. */
  readonly rootName: string;
  readonly positions: YamlKeyIndex;
}

/** One importer or lockfile entry on its way to becoming a node. */
interface Draft {
  readonly id: string;
  readonly at: TextPosition;
  /** The mapping holding the dependency fields (importer, v5/v6 entry, v9 snapshot). */
  readonly fields: YamlMap;
  /** The mapping holding resolution, name, version and peers (v9: the `packages` entry). */
  readonly info: YamlMap;
  /** Folder `link:` references are relative to. */
  readonly folder: string;
  dependencies: DependencyEdge[];
}

const FIRST_LINE: TextPosition = { line: 1, column: 1 };
const EMPTY: YamlMap = {};

export function buildPnpmGraph(input: PnpmGraphInput): DependencyGraph {
  const { document, style, positions } = input;
  const file = input.lockfile.path;
  const fail = (at: TextPosition, message: string): never => {
    throw new LockfileParseError(`${file}:${at.line}:${at.column}: ${message}`, { hints: [REGENERATE_HINT] });
  };
  const locate: Locate = (section, key) =>
    (key === undefined ? undefined : positions.sections.get(section)?.get(key)) ?? positions.topLevel.get(section) ?? FIRST_LINE;
  const mappingOf = (value: unknown, at: TextPosition, what: string): YamlMap => {
    if (value === undefined || value === null) return EMPTY;
    return isRecord(value) ? value : fail(at, `${what} must be a mapping, found ${describe(value)}`);
  };

  const importers = readImporters(document, mappingOf, locate);
  const entries = readEntries(document, style, mappingOf, locate);
  const entryIds = new Set(entries.map((entry) => entry.id));
  const importerIds = new Set(importers.map((importer) => importer.id));

  // Edges first: a name the lockfile does not spell is read off the first reference to the entry.
  const referencedAs = new Map<string, string>();
  const links = new Map<string, string>();
  const edgesOf = (draft: Draft, isImporter: boolean): DependencyEdge[] => {
    const edges: DependencyEdge[] = [];
    const specifiers = mappingOf(draft.fields['specifiers'], draft.at, 'specifiers');
    const peers = mappingOf(draft.info['peerDependencies'], draft.at, 'peerDependencies');
    const peersMeta = mappingOf(draft.info['peerDependenciesMeta'], draft.at, 'peerDependenciesMeta');
    const resolved = new Set<string>();
    const fields = isImporter ? IMPORTER_FIELDS : PACKAGE_FIELDS;
    for (const [field, fieldType] of fields) {
      const dependencies = mappingOf(draft.fields[field], draft.at, field);
      for (const name in dependencies) {
        const { reference, specifier } = readDependency(dependencies[name], specifiers[name], draft.at, `${field}.${name}`, fail);
        const isPeer = fieldType === 'prod' && Object.hasOwn(peers, name);
        const type = isPeer ? (isOptionalPeer(peersMeta, name) ? 'peerOptional' : 'peer') : fieldType;
        const spec = isPeer ? peerRange(peers[name], draft.at, name, fail) : (specifier ?? reference);
        edges.push({ name, spec, type, to: resolveReference(reference, name, draft.folder) });
        resolved.add(name);
      }
    }
    for (const name in peers) {
      if (resolved.has(name)) continue;
      const type = isOptionalPeer(peersMeta, name) ? 'peerOptional' : 'peer';
      edges.push({ name, spec: peerRange(peers[name], draft.at, name, fail), type, to: undefined });
    }
    return edges;
  };
  const resolveReference = (reference: string, name: string, folder: string): string | undefined => {
    const key = keyOfReference(reference, name, style);
    if (key === undefined) {
      const target = linkedFolder(reference, folder);
      const id = importerIds.has(target) ? target : `link:${target}`;
      if (!links.has(id)) links.set(id, name);
      return id;
    }
    if (!entryIds.has(key)) return undefined;
    if (!referencedAs.has(key)) referencedAs.set(key, name);
    return key;
  };
  for (const importer of importers) importer.dependencies = edgesOf(importer, true);
  for (const entry of entries) entry.dependencies = edgesOf(entry, false);

  const flags = computeFlags(
    importers,
    entries.map((entry) => ({
      id: entry.id,
      dependencies: entry.dependencies,
      recordedDev: style === 'v9' ? undefined : entry.fields['dev'] === true,
      recordedOptional: entry.fields['optional'] === true,
    })),
  );

  const location = (at: TextPosition): SourceLocation => ({ file, line: at.line, column: at.column });
  const rootDraft = importers.find((importer) => importer.id === '.');
  const root = projectNode(rootDraft ?? { id: '.', at: FIRST_LINE, dependencies: [] }, input.rootName, { type: 'directory', path: '.' }, location);
  const importerNodes = importers
    .filter((importer) => importer !== rootDraft)
    .map((importer) => projectNode(importer, links.get(importer.id) ?? folderName(importer.id), { type: 'workspace', path: importer.id }, location));
  for (const [id, name] of links) {
    if (importerIds.has(id)) continue;
    const path = id.slice('link:'.length);
    importerNodes.push(projectNode({ id, at: rootDraft?.at ?? FIRST_LINE, dependencies: [] }, name, { type: 'link', path }, location));
  }

  const packages = entries.map((entry): PackageNode => {
    const parsed = parseKey(entry.id, style);
    const name = stringField(entry.info, 'name', entry.at, fail) ?? parsed.name ?? referencedAs.get(entry.id);
    if (name === undefined) {
      return fail(entry.at, `cannot tell the package name of ${JSON.stringify(entry.id)}: the key is not a dependency path and the entry has no "name"`);
    }
    const alias = referencedAs.get(entry.id);
    const { source, resolved, integrity } = resolutionOf(entry, fail);
    return {
      id: entry.id,
      name,
      version: stringField(entry.info, 'version', entry.at, fail) ?? parsed.version ?? '',
      alias: alias !== undefined && alias !== name ? alias : undefined,
      source,
      resolved,
      integrity,
      flags: flags.get(entry.id)!,
      hasInstallScript: false,
      location: location(entry.at),
      dependencies: entry.dependencies,
    };
  });
  return createDependencyGraph({ lockfile: input.lockfile, root, importers: importerNodes, packages });
}

type MappingOf = (value: unknown, at: TextPosition, what: string) => YamlMap;
/** Position of a key of a top-level section, or of the section itself when `key` is undefined or not found. */
type Locate = (section: string, key?: string) => TextPosition;
type Fail = (at: TextPosition, message: string) => never;

/** pnpm's own field order; importers also have devDependencies. */
const PACKAGE_FIELDS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
] as const;
const IMPORTER_FIELDS = [...PACKAGE_FIELDS, ['devDependencies', 'dev']] as const;

function readImporters(document: YamlMap, mappingOf: MappingOf, locate: Locate): Draft[] {
  if (document['importers'] === undefined) {
    // A single project before lockfile v9: its fields sit at the top level.
    return [{ id: '.', at: FIRST_LINE, fields: document, info: EMPTY, folder: '.', dependencies: [] }];
  }
  const importers = mappingOf(document['importers'], locate('importers'), '"importers"');
  return Object.keys(importers).map((id) => {
    const at = locate('importers', id);
    return { id, at, fields: mappingOf(importers[id], at, `importers[${JSON.stringify(id)}]`), info: EMPTY, folder: id, dependencies: [] };
  });
}

function readEntries(document: YamlMap, style: KeyStyle, mappingOf: MappingOf, locate: Locate): Draft[] {
  const packages = mappingOf(document['packages'], locate('packages'), '"packages"');
  const entryOf = (section: string, key: string, value: unknown): YamlMap => mappingOf(value, locate(section, key), `${section}[${JSON.stringify(key)}]`);
  if (style !== 'v9') {
    return Object.keys(packages).map((id) => {
      const entry = entryOf('packages', id, packages[id]);
      return { id, at: locate('packages', id), fields: entry, info: entry, folder: '.', dependencies: [] };
    });
  }
  const snapshots = mappingOf(document['snapshots'], locate('snapshots'), '"snapshots"');
  const drafts: Draft[] = [];
  const described = new Set<string>();
  for (const id of Object.keys(snapshots)) {
    const fields = entryOf('snapshots', id, snapshots[id]);
    const packageKey = packageKeyOf(id);
    const hasInfo = Object.hasOwn(packages, packageKey);
    if (hasInfo) described.add(packageKey);
    const info = hasInfo ? entryOf('packages', packageKey, packages[packageKey]) : EMPTY;
    drafts.push({ id, at: hasInfo ? locate('packages', packageKey) : locate('snapshots', id), fields, info, folder: '.', dependencies: [] });
  }
  // A package without a snapshot is still in the lockfile: pnpm writes none, a hand edit might.
  for (const id of Object.keys(packages)) {
    if (described.has(id) || Object.hasOwn(snapshots, id)) continue;
    drafts.push({ id, at: locate('packages', id), fields: EMPTY, info: entryOf('packages', id, packages[id]), folder: '.', dependencies: [] });
  }
  return drafts;
}

/** A dependency's reference (`1.0.0`, `link:../b`, `string-width@4.2.3`) and, for importers, its specifier. */
function readDependency(
  value: unknown,
  v5Specifier: unknown,
  at: TextPosition,
  what: string,
  fail: Fail,
): { reference: string; specifier: string | undefined } {
  if (typeof value === 'string') {
    // v5: the reference alone, the specifier in the importer's `specifiers`.
    return { reference: value, specifier: typeof v5Specifier === 'string' ? v5Specifier : undefined };
  }
  if (isRecord(value) && typeof value['version'] === 'string') {
    const specifier = value['specifier'];
    if (specifier !== undefined && typeof specifier !== 'string') fail(at, `${what}.specifier must be a string, found ${describe(specifier)}`);
    return { reference: value['version'], specifier: specifier as string | undefined };
  }
  return fail(at, `${what} must be a version string or a {specifier, version} mapping, found ${describe(value)}`);
}

function isOptionalPeer(meta: YamlMap, name: string): boolean {
  const entry = meta[name];
  return isRecord(entry) && entry['optional'] === true;
}

function peerRange(value: unknown, at: TextPosition, name: string, fail: Fail): string {
  return typeof value === 'string' ? value : fail(at, `peerDependencies.${name} must be a string, found ${describe(value)}`);
}

function stringField(entry: YamlMap, field: string, at: TextPosition, fail: Fail): string | undefined {
  const value = entry[field];
  if (value === undefined || typeof value === 'string') return value;
  return fail(at, `"${field}" must be a string, found ${describe(value)}`);
}

/** Source, resolved URL and integrity from an entry's `resolution`, as written. */
function resolutionOf(
  entry: Draft,
  fail: Fail,
): { source: PackageSource; resolved: string | undefined; integrity: string | undefined } {
  const resolution = entry.info['resolution'];
  if (resolution === undefined || resolution === null) return { source: { type: 'registry' }, resolved: undefined, integrity: undefined };
  if (!isRecord(resolution)) return fail(entry.at, `"resolution" must be a mapping, found ${describe(resolution)}`);
  const field = (name: string): string | undefined => {
    const value = resolution[name];
    return value === undefined || typeof value === 'string' ? value : fail(entry.at, `resolution.${name} must be a string, found ${describe(value)}`);
  };
  const integrity = field('integrity');
  const tarball = field('tarball');
  const type = field('type');
  if (type === 'git') {
    const repo = field('repo') ?? fail(entry.at, 'a git resolution needs a "repo"');
    return { source: { type: 'git', url: repo, committish: field('commit') }, resolved: tarball, integrity };
  }
  if (type === 'directory') {
    const directory = field('directory') ?? fail(entry.at, 'a directory resolution needs a "directory"');
    return { source: { type: 'directory', path: directory }, resolved: undefined, integrity };
  }
  if (tarball !== undefined) return { source: sourceFromResolved(tarball, integrity), resolved: tarball, integrity };
  // pnpm leaves out the URL of registry tarballs: the integrity alone pins them.
  return { source: { type: 'registry' }, resolved: undefined, integrity };
}

function projectNode(
  draft: Pick<Draft, 'id' | 'at' | 'dependencies'>,
  name: string,
  source: PackageSource,
  location: (at: TextPosition) => SourceLocation,
): PackageNode {
  return {
    id: draft.id,
    name,
    version: '',
    alias: undefined,
    source,
    resolved: undefined,
    integrity: undefined,
    flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
    hasInstallScript: false,
    location: location(draft.at),
    dependencies: draft.dependencies,
  };
}

/** The last segment of an importer's folder ("packages/a" → "a"). */
function folderName(folder: string): string {
  return folder.slice(folder.lastIndexOf('/') + 1) || folder;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (isRecord(value)) return 'a mapping';
  return `a ${typeof value}`;
}
