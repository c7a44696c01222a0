/**
 * Lockfile v1 (npm 5–6): a nested `dependencies` tree with no `packages` map. npm 7+ converts
 * it with @npmcli/arborist's Shrinkwrap (`load()` → `#loadAll` + `#fixDependencies`), which
 * turns `version` fields holding git URLs, `file:` paths, aliases and tarball URLs into
 * install locations, links and `resolved` values, and turns `requires` into typed edges. Those
 * rules lean on npm-package-arg and are easy to get subtly wrong, so we run npm's own
 * conversion instead of re-implementing it.
 *
 * Shrinkwrap reads its lockfile from disk; to feed it the text we parse (which may not be the
 * file on disk: `--lockfile`, tests), a subclass overrides the public `loadFiles` getter that
 * `load()` reads its inputs from. Shrinkwrap also reads the project's package.json, as npm
 * does: v1 records no root entry, so the root's dependency types come from there. Arborist is
 * loaded only here, lazily: requiring shrinkwrap.js costs about 50 ms, the whole of arborist
 * 200–500 ms, and v2/v3 lockfiles need neither.
 */
import { createRequire } from 'node:module';
import type { TextPosition } from './locate/position.ts';
import { isRecord } from './json-value.ts';
import type { NpmEntry } from './npm-graph.ts';

interface ShrinkwrapData {
  readonly packages: Record<string, unknown>;
}

interface Shrinkwrap {
  readonly data: ShrinkwrapData | null;
  readonly loadingError: unknown;
  load(): Promise<unknown>;
}

type ShrinkwrapClass = new (options: { path: string }) => Shrinkwrap;

interface PackageJsonModule {
  normalize(dir: string): Promise<{ content: Record<string, unknown> }>;
}

const SHRINKWRAP_MODULE = '@npmcli/arborist/lib/shrinkwrap.js';

/** Root fields arborist takes from package.json but Shrinkwrap's v1 conversion leaves out. */
const ROOT_FIELDS_FROM_PACKAGE_JSON = ['devDependencies'] as const;

export interface V1Conversion {
  /** npm's `packages` map for the tree, in conversion order (depth first, as the file is). */
  readonly entries: Map<string, NpmEntry>;
  /** Position of each converted key's entry in the v1 text. */
  readonly positions: Map<string, TextPosition>;
}

/**
 * Converts a v1 tree with npm's Shrinkwrap. `text` must already be valid, conflict-free JSON
 * whose `dependencies` tree holds only objects; `treePositions` is the locate/json index of the
 * tree, keyed by the install location each entry would have without links.
 */
export async function convertV1Lockfile(
  text: string,
  data: Readonly<Record<string, unknown>>,
  lockfileDir: string,
  treePositions: ReadonlyMap<string, TextPosition>,
): Promise<V1Conversion> {
  const require = createRequire(import.meta.url);
  // The modules are plain CommonJS without types; the interfaces above name the parts we use.
  const Shrinkwrap = require(SHRINKWRAP_MODULE) as ShrinkwrapClass;
  // Resolved from arborist's own location: the exact package.json reader npm uses, without
  // depending on how node_modules happens to be hoisted.
  const requireFromArborist = createRequire(require.resolve(SHRINKWRAP_MODULE));
  const PackageJson = requireFromArborist('@npmcli/package-json') as PackageJsonModule;

  class TextShrinkwrap extends Shrinkwrap {
    // Overrides Shrinkwrap's getter: [npm-shrinkwrap.json, package-lock.json, yarn.lock] texts.
    get loadFiles(): Promise<[string, string, string]> {
      return Promise.resolve([text, '', '']);
    }
  }
  const shrinkwrap = new TextShrinkwrap({ path: lockfileDir });
  await shrinkwrap.load();
  if (shrinkwrap.loadingError !== null || !shrinkwrap.data) {
    // Unreachable for text JSON.parse accepted; kept so a future arborist change fails loudly.
    throw shrinkwrap.loadingError instanceof Error ? shrinkwrap.loadingError : new Error('arborist could not load the v1 lockfile');
  }

  const entries = new Map<string, NpmEntry>();
  for (const [key, value] of Object.entries(shrinkwrap.data.packages)) {
    if (isRecord(value)) entries.set(key, value);
  }
  const rootFields = await readRootFields(PackageJson, lockfileDir);
  entries.set('', { ...entries.get(''), ...rootFields });
  return { entries, positions: mapPositions(data['dependencies'], entries, treePositions) };
}

async function readRootFields(PackageJson: PackageJsonModule, dir: string): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  try {
    const { content } = await PackageJson.normalize(dir);
    for (const field of ROOT_FIELDS_FROM_PACKAGE_JSON) if (isRecord(content[field])) fields[field] = content[field];
  } catch {
    // No package.json (a lockfile audited on its own): arborist then has no root edges either.
  }
  return fields;
}

/**
 * Walks the tree as `#loadAll` does: children of a link live under the link's target, and a
 * link target that the tree does not list on its own takes the position of the link entry.
 */
function mapPositions(
  tree: unknown,
  entries: ReadonlyMap<string, NpmEntry>,
  treePositions: ReadonlyMap<string, TextPosition>,
): Map<string, TextPosition> {
  const positions = new Map<string, TextPosition>();
  const walk = (dependencies: unknown, treeBase: string, base: string): void => {
    if (!isRecord(dependencies)) return;
    for (const [name, lock] of Object.entries(dependencies)) {
      const treeLocation = `${treeBase}node_modules/${name}`;
      const location = `${base}node_modules/${name}`;
      const position = treePositions.get(treeLocation);
      if (position && !positions.has(location)) positions.set(location, position);
      const meta = entries.get(location);
      let childBase = `${location}/`;
      if (meta?.['link'] === true && typeof meta['resolved'] === 'string') {
        if (position && !positions.has(meta['resolved'])) positions.set(meta['resolved'], position);
        childBase = `${meta['resolved']}/`;
      }
      if (isRecord(lock)) walk(lock['dependencies'], `${treeLocation}/`, childBase);
    }
  };
  walk(tree, '', '');
  return positions;
}
