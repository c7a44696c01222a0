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
 *   workspaces' dependency types (bun-flags.ts). `bundled` is bun's `"bundled": true`, spread,
 *   as npm's inBundle is, to what the bundled packages reach inside the bundling package's
 *   folder (it all comes in the same tarball).
 * - hasInstallScript is the info object's `"hasInstallScript": true`, which bun 1.4
 *   writes; files from older versions do not record install scripts, so it is false there.
 */
import type {
  DependencyEdge,
  DependencyGraph,
  LockfileInfo,
  PackageNode,
  PackageSource,
  SourceLocation,
} from '../core/graph.ts';
import { createDependencyGraph } from '../core/graph.ts';
import type { TextPosition } from './locate/position.ts';
import { flagsFromBits, reachabilityFlags } from './bun-flags.ts';
import type { BunPackage, BunWorkspace, DeclaredDependency } from './bun-read.ts';
import { resolvedOf, sourceOf } from './bun-resolution.ts';

export interface BunGraphInput {
  readonly lockfile: LockfileInfo;
  /** The root's name when `workspaces[""]` has none (the lockfile's folder name). */
  readonly fallbackRootName: string;
  /** Root first, then the workspaces in lockfile order. */
  readonly workspaces: readonly BunWorkspace[];
  readonly packages: readonly BunPackage[];
  location(at: TextPosition): SourceLocation;
  fail(at: TextPosition, message: string): never;
}

/** A node before its flags are known. */
interface Draft {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly alias: string | undefined;
  readonly source: PackageSource;
  readonly resolved: string | undefined;
  readonly integrity: string | undefined;
  readonly hasInstallScript: boolean;
  readonly location: SourceLocation;
  readonly edges: DependencyEdge[];
}

export function buildBunGraph(input: BunGraphInput): DependencyGraph {
  const [rootWorkspace, ...memberWorkspaces] = input.workspaces;
  const packageNodes = input.packages.filter((pkg) => pkg.resolution.kind !== 'workspace' && pkg.resolution.kind !== 'root');
  const packageKeys = new Set(packageNodes.map((pkg) => pkg.key));

  const importerIdByPath = new Map<string, string>();
  for (const workspace of memberWorkspaces) {
    importerIdByPath.set(workspace.path, packageKeys.has(workspace.path) ? `./${workspace.path}` : workspace.path);
  }

  /** Package path → id of the node it stands for. */
  const targets = new Map<string, string>();
  for (const pkg of input.packages) {
    const { resolution } = pkg;
    if (resolution.kind === 'root') {
      targets.set(pkg.key, '');
    } else if (resolution.kind === 'workspace') {
      const importer = importerIdByPath.get(resolution.path);
      if (importer === undefined) {
        input.fail(pkg.at, `packages[${JSON.stringify(pkg.key)}] names workspace "${resolution.path}", which "workspaces" does not list`);
      }
      targets.set(pkg.key, importer);
    } else {
      targets.set(pkg.key, pkg.key);
    }
  }

  const edges = (declared: readonly DeclaredDependency[], resolve: (name: string) => string | undefined): DependencyEdge[] =>
    declared.map((dependency) => ({ name: dependency.name, spec: dependency.spec, type: dependency.type, to: resolve(dependency.name) }));

  const root: Draft = {
    id: '',
    name: rootWorkspace?.name ?? input.fallbackRootName,
    version: '',
    alias: undefined,
    source: { type: 'directory', path: '.' },
    resolved: undefined,
    integrity: undefined,
    hasInstallScript: false,
    location: input.location(rootWorkspace?.at ?? { line: 1, column: 1 }),
    edges: edges(rootWorkspace?.dependencies ?? [], (name) => targets.get(name)),
  };
  const importers = memberWorkspaces.map(
    (workspace): Draft => ({
      id: importerIdByPath.get(workspace.path)!,
      name: workspace.name ?? '',
      version: workspace.version ?? '',
      alias: undefined,
      source: { type: 'workspace', path: workspace.path },
      resolved: undefined,
      integrity: undefined,
      hasInstallScript: false,
      location: input.location(workspace.at),
      edges: edges(workspace.dependencies, (name) => targets.get(`${workspace.name ?? ''}/${name}`) ?? targets.get(name)),
    }),
  );
  const packages = packageNodes.map((pkg): Draft => {
    const installName = pkg.key.slice(parentLength(pkg.key));
    return {
      id: pkg.key,
      name: pkg.name,
      version: pkg.resolution.kind === 'npm' ? pkg.resolution.version : '',
      alias: installName !== pkg.name ? installName : undefined,
      source: sourceOf(pkg.resolution, pkg.registry),
      resolved: resolvedOf(pkg.resolution, pkg.registry),
      integrity: pkg.integrity,
      hasInstallScript: pkg.hasInstallScript,
      location: input.location(pkg.at),
      edges: edges(pkg.dependencies, (name) => resolveFromPackage(targets, pkg.key, name)),
    };
  });

  const drafts = new Map<string, Draft>();
  for (const draft of [root, ...importers, ...packages]) drafts.set(draft.id, draft);
  const reach = reachabilityFlags(['', ...importers.map((importer) => importer.id)], (id) => drafts.get(id)?.edges);
  const bundled = bundledPackages(packageNodes, drafts);
  const toNode = (draft: Draft): PackageNode => ({
    id: draft.id,
    name: draft.name,
    version: draft.version,
    alias: draft.alias,
    source: draft.source,
    resolved: draft.resolved,
    integrity: draft.integrity,
    flags: flagsFromBits(reach.get(draft.id) ?? 0, bundled.has(draft.id)),
    hasInstallScript: draft.hasInstallScript,
    location: draft.location,
    dependencies: draft.edges,
  });
  return createDependencyGraph({
    lockfile: input.lockfile,
    root: toNode(root),
    importers: importers.map(toNode),
    packages: packages.map(toNode),
  });
}

/**
 * Length of the enclosing package path plus its slash (0 at the top level): the last segment
 * is the install name, two segments when scoped ("a/@s/b" → "a", "@s/b" → top level).
 */
function parentLength(key: string): number {
  const last = key.lastIndexOf('/');
  if (last === -1) return 0;
  const before = key.lastIndexOf('/', last - 1);
  if (key.charCodeAt(before + 1) !== 0x40 /* @ */) return last + 1;
  return before === -1 ? 0 : before + 1;
}

/** bun's lookup from a package: its own folder, then each enclosing package's, then the top level. */
function resolveFromPackage(targets: ReadonlyMap<string, string>, key: string, name: string): string | undefined {
  for (let base = key; base !== ''; ) {
    const hit = targets.get(`${base}/${name}`);
    if (hit !== undefined) return hit;
    base = base.slice(0, Math.max(parentLength(base) - 1, 0));
  }
  return targets.get(name);
}

/**
 * Packages marked `"bundled": true`, plus what they reach inside the bundling package's
 * folder (bun marks only the bundled dependencies themselves; their own dependencies come in
 * the same tarball).
 */
function bundledPackages(packages: readonly BunPackage[], drafts: ReadonlyMap<string, Draft>): Set<string> {
  const bundled = new Set<string>();
  for (const pkg of packages) {
    if (!pkg.bundled || bundled.has(pkg.key)) continue;
    const folder = pkg.key.slice(0, parentLength(pkg.key));
    if (folder === '') {
      bundled.add(pkg.key);
      continue;
    }
    const queue = [pkg.key];
    bundled.add(pkg.key);
    for (let head = 0; head < queue.length; head++) {
      for (const edge of drafts.get(queue[head]!)?.edges ?? []) {
        if (edge.to === undefined || bundled.has(edge.to) || !edge.to.startsWith(folder)) continue;
        bundled.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return bundled;
}
