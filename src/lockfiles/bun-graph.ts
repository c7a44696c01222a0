/**
 * Builds a DependencyGraph from a read bun.lock (bun-read.ts), with bun's own semantics.
 *
 * Model:
 * - The root is `workspaces[""]`, every other `workspaces` entry an importer whose id is its
 *   folder ("packages/a"; "./packages/a" in the odd case that a package path is spelled the
 *   same). bun does not record the root's version: it is "".
 * - A package path is the install name nested under its parent's: "chalk/supports-color" is
 *   supports-color installed inside chalk (node_modules/chalk/node_modules/supports-color for
 *   the hoisted linker). Paths are the node ids. Workspace entries ("a": ["a@workspace:packages/a"])
 *   and root entries are not packages: like npm's links, they stand for the importer (or the
 *   root) they name, and edges that resolve to them point there.
 * - Edges resolve as bun resolves them: the root's dependencies by their name at the top
 *   level; a workspace's at "<workspace name>/<dep>" first, then at the top level; a package's
 *   at "<its path>/<dep>", then at each enclosing package path, then at the top level.
 * - An `npm:` alias is a package path whose install name differs from the package's name.
 * - bun.lock stores no dev/optional/peer flags: they are computed from the root's and the
 *   workspaces' dependency types (dep-flags.ts; a package nothing reaches is flagged as npm
 *   flags an extraneous one). `bundled` is bun's `"bundled": true`, spread,
 *   as npm's inBundle is, to what the bundled packages reach inside the bundling package's
 *   folder (it all comes in the same tarball).
 * - hasInstallScript is the info object's `"hasInstallScript": true`, which bun 1.4
 *   writes; files from older versions do not record install scripts, so it is false there.
 *
 * Nodes are numbered (root 0, importers, then packages) and lookups go through maps keyed by
 * strings the JSON already holds (a folder, then an install name), so resolving an edge builds
 * no string (each folder's parent is computed once) and the graph stays linear in its edges.
 */
import type { DependencyGraph, LockfileInfo, PackageNode, SourceLocation } from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import type { TextPosition } from './locate/position.ts';
import { flagsFor, flagsFromBits, passesOf, reachabilityBits, type EdgeTable } from './dep-flags.ts';
import type { BunLink, BunPackageNode, BunWorkspace, DeclaredDependency } from './bun-read.ts';
import { parentLength } from './bun-resolution.ts';

export interface BunGraphInput {
  readonly lockfile: LockfileInfo;
  /** The root's name when `workspaces[""]` has none (the lockfile's folder name). */
  readonly fallbackRootName: string;
  /** Root first, then the workspaces in lockfile order. */
  readonly workspaces: readonly BunWorkspace[];
  /** Package entries in lockfile order: they become the graph's package nodes, flags filled in. */
  readonly packages: readonly BunPackageNode[];
  /** Indexes in `packages` of the entries marked `"bundled": true`. */
  readonly bundled: readonly number[];
  /** Workspace and root entries, in lockfile order. */
  readonly links: readonly BunLink[];
  location(at: TextPosition): SourceLocation;
  fail(at: TextPosition, message: string): never;
}

/** Folder (a package path, "" for the top level) → install name → node number. */
type Folders = Map<string, Map<string, number>>;

export function buildBunGraph(input: BunGraphInput): DependencyGraph {
  const [rootWorkspace, ...memberWorkspaces] = input.workspaces;
  const packageEntries = input.packages;
  // Only projects with workspaces need the set of package paths.
  const packageKeys = memberWorkspaces.length === 0 ? undefined : new Set(packageEntries.map((pkg) => pkg.id));
  const importerIds = memberWorkspaces.map((workspace) => (packageKeys?.has(workspace.path) ? `./${workspace.path}` : workspace.path));
  const importerByPath = new Map(memberWorkspaces.map((workspace, index) => [workspace.path, index + 1]));
  const firstPackage = 1 + memberWorkspaces.length;
  const ids = new Array<string>(firstPackage + packageEntries.length);
  ids[0] = '';
  for (let w = 0; w < importerIds.length; w++) ids[w + 1] = importerIds[w]!;
  for (let p = 0; p < packageEntries.length; p++) ids[firstPackage + p] = packageEntries[p]!.id;

  /** Every package path's folder and install name, so lookups walk up without slicing. */
  const folders: Folders = new Map();
  /** Parents of nested paths, each sliced once; top-level paths (most of them) need no entry. */
  const parents = new Map<string, string>();
  const parentOf = (key: string): string => {
    const split = parentLength(key);
    if (split === 0) return '';
    let parent = parents.get(key);
    if (parent === undefined) {
      // Also asked for folders that are not package paths themselves ("a/b" when only "a/b/c" exists).
      parent = key.slice(0, split - 1);
      parents.set(key, parent);
    }
    return parent;
  };
  const place = (key: string, target: number): void => {
    const folder = parentOf(key);
    let names = folders.get(folder);
    if (!names) folders.set(folder, (names = new Map<string, number>()));
    names.set(key.slice(folder === '' ? 0 : folder.length + 1), target);
  };
  for (const link of input.links) {
    let target = 0;
    if (link.kind === 'workspace') {
      const importer = importerByPath.get(link.path);
      if (importer === undefined) {
        input.fail(link.at, `packages[${JSON.stringify(link.key)}] names workspace "${link.path}", which "workspaces" does not list`);
      }
      target = importer;
    }
    place(link.key, target);
  }
  for (let p = 0; p < packageEntries.length; p++) place(packageEntries[p]!.id, firstPackage + p);
  const topLevel = folders.get('') ?? new Map<string, number>();

  /** bun's lookup from a package: its own folder, then each enclosing package's, then the top level. */
  const resolveFrom = (key: string, name: string): number | undefined => {
    for (let folder = key; folder !== ''; folder = parentOf(folder)) {
      const hit = folders.get(folder)?.get(name);
      if (hit !== undefined) return hit;
    }
    return topLevel.get(name);
  };
  // Every edge into one table (dep-flags.ts), `to` filled in on the way.
  const rootDependencies = rootWorkspace?.dependencies ?? [];
  let edgeCount = rootDependencies.length;
  for (const workspace of memberWorkspaces) edgeCount += workspace.dependencies.length;
  for (const pkg of packageEntries) edgeCount += pkg.dependencies.length;
  const first = new Int32Array(ids.length + 1);
  const target = new Int32Array(edgeCount);
  const passes = new Uint8Array(edgeCount);
  let k = 0;
  /** Resolves a package's dependencies from its path (`from`), others' in `scoped`, then at the top level. */
  const link = (node: number, declared: readonly DeclaredDependency[], from: string | undefined, scoped: ReadonlyMap<string, number> | undefined): void => {
    first[node] = k;
    // A top-level package with nothing installed inside it (most of them) resolves at the top level only.
    const walk = from !== undefined && (folders.has(from) || parentLength(from) !== 0);
    for (let d = 0; d < declared.length; d++, k++) {
      const dependency = declared[d]!;
      const found = walk ? resolveFrom(from, dependency.name) : (scoped?.get(dependency.name) ?? topLevel.get(dependency.name));
      dependency.to = found === undefined ? undefined : ids[found];
      target[k] = found ?? -1;
      passes[k] = passesOf(dependency.type);
    }
  };
  link(0, rootDependencies, undefined, undefined);
  memberWorkspaces.forEach((workspace, index) => link(index + 1, workspace.dependencies, undefined, folders.get(workspace.name ?? '')));
  packageEntries.forEach((pkg, index) => link(firstPackage + index, pkg.dependencies, pkg.id, undefined));
  first[ids.length] = k;
  const table = { first, target, passes };

  const bits = reachabilityBits(firstPackage, table);
  const bundled = bundledPackages(input.bundled, firstPackage, ids, table);
  const root: PackageNode = {
    id: '',
    name: rootWorkspace?.name ?? input.fallbackRootName,
    version: '',
    alias: undefined,
    source: { type: 'directory', path: '.' },
    resolved: undefined,
    integrity: undefined,
    flags: flagsFromBits(bits[0]!, { unreached: 'extraneous' }),
    hasInstallScript: false,
    location: input.location(rootWorkspace?.at ?? { line: 1, column: 1 }),
    dependencies: rootDependencies,
  };
  const importers = memberWorkspaces.map(
    (workspace, index): PackageNode => ({
      id: importerIds[index]!,
      name: workspace.name ?? '',
      version: workspace.version ?? '',
      alias: undefined,
      source: { type: 'workspace', path: workspace.path },
      resolved: undefined,
      integrity: undefined,
      flags: flagsFromBits(bits[index + 1]!, { unreached: 'extraneous' }),
      hasInstallScript: false,
      location: input.location(workspace.at),
      dependencies: workspace.dependencies,
    }),
  );
  for (let p = 0; p < packageEntries.length; p++) {
    const node = firstPackage + p;
    packageEntries[p]!.flags = flagsFor(bits[node]!, 'extraneous', bundled[node] === 1, undefined, undefined);
  }
  const packages: readonly PackageNode[] = packageEntries;
  return createDependencyGraph({ lockfile: input.lockfile, root, importers, packages });
}

/**
 * 1 for packages marked `"bundled": true` and for what they reach inside the bundling
 * package's folder (bun marks only the bundled dependencies themselves; their own
 * dependencies come in the same tarball).
 */
function bundledPackages(marked: readonly number[], firstPackage: number, ids: readonly string[], table: EdgeTable): Uint8Array {
  const { first, target } = table;
  const bundled = new Uint8Array(ids.length);
  for (const index of marked) {
    const node = firstPackage + index;
    if (bundled[node] === 1) continue;
    bundled[node] = 1;
    const key = ids[node]!;
    const folder = key.slice(0, parentLength(key));
    if (folder === '') continue;
    const queue = [node];
    for (let head = 0; head < queue.length; head++) {
      const from = queue[head]!;
      for (let k = first[from]!, end = first[from + 1]!; k < end; k++) {
        const to = target[k]!;
        if (to < firstPackage || bundled[to] === 1 || !ids[to]!.startsWith(folder)) continue;
        bundled[to] = 1;
        queue.push(to);
      }
    }
  }
  return bundled;
}
