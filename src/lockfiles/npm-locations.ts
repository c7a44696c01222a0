/**
 * npm install locations ("node_modules/a/node_modules/@s/b", "packages/app") and Node's module
 * resolution over them, as arborist's Node.resolve does it: look in the dependent's own
 * node_modules, then in its parent's, up to the root. A package's parent is the location
 * holding its node_modules folder; a folder outside node_modules resolves from the nearest
 * enclosing folder that is a node (arborist's fsParent). Links resolve to their targets.
 */

const SLASH = 0x2f;
const AT = 0x40;
const NODE_MODULES = 'node_modules/';

/** Where a location sits when it is directly inside a node_modules folder. */
export interface InstalledAt {
  /** The location owning the node_modules folder ("" for the root). */
  readonly parent: string;
  /** The name it is installed under: one segment, or two for a scope ("@s/b"). */
  readonly name: string;
}

/** The parent and install name of a location directly inside a node_modules folder, else undefined. */
export function installedAt(location: string): InstalledAt | undefined {
  const at = location.lastIndexOf(NODE_MODULES);
  if (at === -1 || (at > 0 && location.charCodeAt(at - 1) !== SLASH)) return undefined;
  const name = location.slice(at + NODE_MODULES.length);
  const slash = name.indexOf('/');
  const isName =
    name !== '' &&
    (slash === -1 || (name.charCodeAt(0) === AT && slash > 1 && slash < name.length - 1 && name.indexOf('/', slash + 1) === -1));
  return isName ? { parent: at === 0 ? '' : location.slice(0, at - 1), name } : undefined;
}

/** True for locations with a node_modules folder on their path: installed packages, not project folders. */
export function isInNodeModules(location: string): boolean {
  return location.startsWith(NODE_MODULES) || location.includes(`/${NODE_MODULES}`);
}

/** npm's name-from-folder: the last path segment, with its scope when the parent is `@scope`. */
export function nameFromFolder(location: string): string {
  const slash = location.lastIndexOf('/');
  if (slash === -1) return location;
  const parentSlash = location.lastIndexOf('/', slash - 1);
  return location.charCodeAt(parentSlash + 1) === AT ? location.slice(parentSlash + 1) : location.slice(slash + 1);
}

/** A link's `resolved` as a location key: relative to the project, POSIX separators, normalised. */
export function linkTarget(resolved: string): string {
  const path = resolved.replace(/^file:/, '').replace(/\\/g, '/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return (path.startsWith('/') ? '/' : '') + parts.join('/');
}

export type Resolve = (from: string, name: string) => string | undefined;

/**
 * A resolver over the given nodes and links (link location → target location). Lookups go
 * through a per-folder index of installed names, so resolving an edge costs a few map lookups
 * on existing strings, and the whole graph stays linear in its number of edges.
 */
export function createResolver(nodes: ReadonlySet<string>, links: ReadonlyMap<string, string>): Resolve {
  /** Folder location → install name → the node it resolves to (null: a link whose target is missing). */
  const installed = new Map<string, Map<string, string | null>>();
  const add = (location: string, resolvesTo: string | null): void => {
    const at = installedAt(location);
    if (!at) return;
    let names = installed.get(at.parent);
    if (!names) installed.set(at.parent, (names = new Map<string, string | null>()));
    names.set(at.name, resolvesTo);
  };
  for (const node of nodes) add(node, node);
  for (const [link, target] of links) add(link, nodes.has(target) ? target : null);

  const parents = new Map<string, string | undefined>();
  const parentOf = (location: string): string | undefined => {
    let parent = parents.get(location);
    if (parent === undefined && !parents.has(location)) {
      parent = computeParent(location, nodes);
      parents.set(location, parent);
    }
    return parent;
  };
  return (from, name) => {
    for (let at: string | undefined = from; at !== undefined; at = parentOf(at)) {
      const hit = installed.get(at)?.get(name);
      if (hit !== undefined) return hit ?? undefined;
    }
    return undefined;
  };
}

function computeParent(location: string, nodes: ReadonlySet<string>): string | undefined {
  if (location === '') return undefined;
  const at = installedAt(location);
  if (at) return at.parent;
  // Folders outside the project have no enclosing node: they resolve only in their own node_modules.
  if (location === '..' || location.startsWith('../') || location.startsWith('/')) return undefined;
  let parent = location;
  do {
    const slash = parent.lastIndexOf('/');
    parent = slash === -1 ? '' : parent.slice(0, slash);
  } while (parent !== '' && !nodes.has(parent));
  return parent;
}
