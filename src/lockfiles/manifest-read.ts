/**
 * Reads the package.json files of a yarn project (classic or Berry): the root's beside the
 * lockfile and one per folder its `workspaces` patterns match, as yarn 1 finds them (a folder
 * matched by a pattern and holding a package.json; never inside node_modules or a dot folder,
 * which yarn's glob does not enter). Berry reads the same patterns the same way.
 *
 * Patterns are matched with the matcher npm's workspaces use (npm-workspaces.ts); only the
 * folders below each pattern's literal prefix are visited, and no deeper than the pattern
 * reaches, so `packages/*` reads one directory.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LockfileReadError } from '../core/errors.ts';
import { toManifest, workspacePatterns, type ProjectManifests, type WorkspaceManifest } from './manifest.ts';
import { createWorkspaceMatcher } from './npm-workspaces.ts';

/** A bound on the folders a `**` pattern may visit, so a runaway tree fails clearly instead of hanging. */
export const MAX_WORKSPACE_DIRECTORIES = 50_000;

const GLOB_CHARS = /[*?{[]/;

/**
 * The manifests of the project whose lockfile lies in `lockfileDir`; undefined when there is
 * no package.json there (a lockfile audited on its own). `displayDir` is how error messages
 * name that folder (relative to the project root, '' for the root itself).
 */
export async function readProjectManifests(lockfileDir: string, displayDir: string): Promise<ProjectManifests | undefined> {
  const rootJson = await readJson(lockfileDir, '', displayDir);
  if (rootJson === undefined) return undefined;
  const patterns = workspacePatterns(rootJson);
  const workspaces: WorkspaceManifest[] = [];
  if (patterns.length > 0) {
    const matches = createWorkspaceMatcher(patterns);
    for (const folder of await candidateFolders(lockfileDir, patterns)) {
      if (!matches(folder)) continue;
      const json = await readJson(lockfileDir, folder, displayDir);
      if (json !== undefined) workspaces.push({ path: folder, manifest: toManifest(json) });
    }
  }
  return { root: toManifest(rootJson), workspaces };
}

/** Every folder (relative, POSIX) below the literal prefix of some pattern, down to the depth the pattern reaches; sorted. */
async function candidateFolders(root: string, patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  let visited = 0;
  const visit = async (folder: string, depthLeft: number): Promise<void> => {
    if (depthLeft === 0) return;
    if (++visited > MAX_WORKSPACE_DIRECTORIES) {
      throw new LockfileReadError(`the workspaces patterns of package.json reach more than ${MAX_WORKSPACE_DIRECTORIES} folders`, {
        hints: ['narrow the "workspaces" patterns (a "**" pattern visits every folder below it)'],
      });
    }
    let entries;
    try {
      entries = await readdir(path.join(root, folder), { withFileTypes: true });
    } catch {
      return; // a prefix that does not exist matches nothing, as in yarn
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = folder === '' ? entry.name : `${folder}/${entry.name}`;
      found.add(child);
      await visit(child, depthLeft - 1);
    }
  };
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const segments = pattern.replace(/^\.?\/+/, '').replace(/\/+$/, '').split('/').filter((segment) => segment !== '');
    const literal = segments.findIndex((segment) => GLOB_CHARS.test(segment));
    const base = literal === -1 ? segments.slice(0, -1) : segments.slice(0, literal);
    if (base.some((segment) => segment === '..')) continue; // yarn 1 does not look outside the project
    const reach = segments.includes('**') ? Infinity : segments.length - base.length;
    await visit(base.join('/'), reach);
  }
  return [...found].sort();
}

/** `<folder>/package.json` parsed; undefined when it does not exist. Unreadable or invalid JSON is an input error. */
async function readJson(root: string, folder: string, displayDir: string): Promise<unknown> {
  const file = path.join(root, folder, 'package.json');
  const shown = path.posix.join(displayDir, folder, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw new LockfileReadError(`cannot read ${shown}: ${typeof code === 'string' ? code : 'unknown error'}`, { cause: error });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new LockfileReadError(`${shown} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      hints: ['yarn reads the workspaces and their dependencies from it; fix the file, then run yarn install'],
    });
  }
}
