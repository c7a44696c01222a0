/**
 * Builds a DependencyGraph from an npm `packages` map (lockfile v2/v3, or v1 after conversion),
 * with npm's own semantics as @npmcli/arborist's loadVirtual applies them, without loading it.
 *
 * Model:
 * - The key is the install location and the node id ("" is the root project).
 * - Keys with no `node_modules` segment ("packages/a", "../lib") are the project's own folders:
 *   workspaces and local directory dependencies. They become `importers`: roots of their own
 *   dependency subtrees, never third-party code. Source 'workspace' when the root's
 *   `workspaces` patterns match the folder, else 'directory'.
 * - `link: true` entries ("node_modules/a" → "packages/a") are symlinks, not packages: they
 *   are not nodes. An edge that resolves to a link points at the link's target, so the chain
 *   root → a → b goes through the workspace itself (npm ls shows `a@1.0.0 -> ./packages/a`
 *   the same way). A directory that is a link target inside node_modules is a package with a
 *   'directory' source.
 * - Everything else is a package installed under node_modules.
 * - Edges resolve by Node's module resolution over install locations (npm-locations.ts).
 */
import type {
  DependencyEdge,
  DependencyGraph,
  DependencyType,
  LockfileInfo,
  PackageNode,
  PackageSource,
  SourceLocation,
} from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import { asString, isRecord } from './json-value.ts';
import { createResolver, installedAt, isInNodeModules, linkTarget, nameFromFolder, type Resolve } from './npm-locations.ts';
import { sourceFromResolved } from './npm-source.ts';
import { createWorkspaceMatcher } from './npm-workspaces.ts';

/** One value of the `packages` map, as read from untrusted JSON. */
export type NpmEntry = Readonly<Record<string, unknown>>;

export interface NpmGraphInput {
  readonly lockfile: LockfileInfo;
  /** The `packages` map in lockfile order; entries already checked to be objects. */
  readonly entries: ReadonlyMap<string, NpmEntry>;
  /** Root name and version when the "" entry has none (the lockfile's top-level fields). */
  readonly rootName: string;
  readonly rootVersion: string;
  /** Location of an entry's key; the builder never looks at the text itself. */
  locate(key: string): SourceLocation;
}

export function buildNpmGraph(input: NpmGraphInput): DependencyGraph {
  const { entries } = input;
  const rootEntry = entries.get('') ?? {};
  const isWorkspace = createWorkspaceMatcher(rootEntry['workspaces']);

  const links = new Map<string, string>();
  const nodeKeys: string[] = [];
  const nodeKeySet = new Set<string>(['']);
  entries.forEach((entry, key) => {
    if (key === '') return;
    if (entry['link'] === true) {
      const resolved = entry['resolved'];
      links.set(key, typeof resolved === 'string' ? linkTarget(resolved) : key);
    } else {
      nodeKeys.push(key);
      nodeKeySet.add(key);
    }
  });
  const linkTargets = new Set(links.values());
  const resolver = createResolver(nodeKeySet, links);

  const root = createNode('', rootEntry, {
    name: asString(rootEntry['name']) ?? input.rootName,
    version: asString(rootEntry['version']) ?? input.rootVersion,
    source: { type: 'directory', path: '.' },
    location: input.locate(''),
    edges: edgesOf('', rootEntry, true, resolver),
  });

  const importers: PackageNode[] = [];
  const packages: PackageNode[] = [];
  for (const key of nodeKeys) {
    const entry = entries.get(key) ?? {};
    const isTop = !isInNodeModules(key);
    const name = asString(entry['name']) ?? nameFromFolder(key);
    const installName = installedAt(key)?.name;
    const node = createNode(key, entry, {
      name,
      version: asString(entry['version']) ?? '',
      alias: installName !== undefined && installName !== name ? installName : undefined,
      source: sourceOf(key, entry, isTop, linkTargets.has(key), isWorkspace),
      location: input.locate(key),
      edges: edgesOf(key, entry, isTop, resolver),
    });
    (isTop ? importers : packages).push(node);
  }
  return createDependencyGraph({ lockfile: input.lockfile, root, importers, packages });
}

interface NodeParts {
  readonly name: string;
  readonly version: string;
  readonly alias?: string | undefined;
  readonly source: PackageSource;
  readonly location: SourceLocation;
  readonly edges: readonly DependencyEdge[];
}

function createNode(id: string, entry: NpmEntry, parts: NodeParts): PackageNode {
  // Every node gets every field, in one order, so all nodes share one object shape; absent
  // optional values are explicit undefined (JSON output leaves them out).
  return {
    id,
    name: parts.name,
    version: parts.version,
    alias: parts.alias,
    source: parts.source,
    resolved: asString(entry['resolved']),
    integrity: asString(entry['integrity']),
    flags: {
      dev: entry['dev'] === true,
      optional: entry['optional'] === true,
      devOptional: entry['devOptional'] === true,
      peer: entry['peer'] === true,
      bundled: entry['inBundle'] === true,
    },
    hasInstallScript: entry['hasInstallScript'] === true,
    location: parts.location,
    dependencies: parts.edges,
  };
}

function sourceOf(
  key: string,
  entry: NpmEntry,
  isTop: boolean,
  isLinkTarget: boolean,
  isWorkspace: (key: string) => boolean,
): PackageSource {
  if (isTop) return { type: isWorkspace(key) ? 'workspace' : 'directory', path: key };
  const resolved = asString(entry['resolved']);
  if (isLinkTarget && resolved === undefined) return { type: 'directory', path: key };
  return sourceFromResolved(resolved, asString(entry['integrity']));
}

/**
 * Edges in arborist's order (peer, peerOptional, prod, optional, then dev for tops only); one
 * edge per name, a later field replacing the edge in place as it does in arborist's edgesOut
 * map. Specs that are not strings are skipped, as npm's package.json normalisation drops them.
 */
function edgesOf(key: string, entry: NpmEntry, isTop: boolean, resolve: Resolve): DependencyEdge[] {
  const edges: DependencyEdge[] = [];
  // Names repeat only across fields, so the name → index map is built only when a second field comes.
  let slots: Map<string, number> | undefined;
  const addField = (deps: unknown, type: DependencyType, keep?: (name: string) => boolean): void => {
    if (!isRecord(deps)) return;
    if (edges.length > 0 && !slots) slots = new Map(edges.map((edge, index) => [edge.name, index]));
    for (const name in deps) {
      const spec = deps[name];
      if (typeof spec !== 'string' || (keep && !keep(name))) continue;
      const edge: DependencyEdge = { name, spec, type, to: resolve(key, name) };
      const slot = slots?.get(name);
      if (slot === undefined) {
        slots?.set(name, edges.length);
        edges.push(edge);
      } else {
        edges[slot] = edge;
      }
    }
  };
  const peers = entry['peerDependencies'];
  if (peers !== undefined) {
    const meta = entry['peerDependenciesMeta'];
    const isOptional = (name: string): boolean => isRecord(meta) && isRecord(meta[name]) && meta[name]['optional'] === true;
    addField(peers, 'peer', (name) => !isOptional(name));
    addField(peers, 'peerOptional', isOptional);
  }
  addField(entry['dependencies'], 'prod');
  addField(entry['optionalDependencies'], 'optional');
  if (isTop) addField(entry['devDependencies'], 'dev');
  return edges;
}
