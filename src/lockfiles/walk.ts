/**
 * The directories of a monorepo that may hold lockfiles, for `--recursive`: every directory
 * below the project, in a stable (sorted, depth-first) order, except `node_modules` (installed
 * copies, whose lockfiles are their publishers' business), `.git`, symbolic links (no cycles,
 * no escaping the project) and whatever the project's `.gitignore` files ignore, each file
 * applying to its own directory and below, as git reads them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Ignore } from 'ignore';
import { LockfileReadError } from '../core/errors.ts';

/** A bound on the walk, so a runaway tree (or a mistaken `/`) fails clearly instead of hanging. */
export const MAX_DIRECTORIES = 200_000;

const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);

interface IgnoreScope {
  readonly base: string;
  readonly rules: Ignore;
}

export async function projectDirectories(root: string): Promise<string[]> {
  const { default: ignore } = await import('ignore');
  const found: string[] = [];
  const visit = async (dir: string, scopes: readonly IgnoreScope[]): Promise<void> => {
    found.push(dir);
    if (found.length > MAX_DIRECTORIES) {
      throw new LockfileReadError(`more than ${MAX_DIRECTORIES} directories below the project: is it the right directory?`, {
        hints: ['name the project directory, or the lockfile with --lockfile <path>'],
      });
    }
    const entries = await readdir(dir, { withFileTypes: true });
    const gitignore = entries.some((entry) => entry.isFile() && entry.name === '.gitignore')
      ? await readFile(path.join(dir, '.gitignore'), 'utf8')
      : undefined;
    const here = gitignore === undefined ? scopes : [...scopes, { base: dir, rules: ignore().add(gitignore) }];
    const subdirectories = entries
      .filter((entry) => entry.isDirectory() && !ALWAYS_SKIPPED.has(entry.name))
      .map((entry) => path.join(dir, entry.name))
      .filter((sub) => !isIgnored(sub, here))
      .sort();
    for (const sub of subdirectories) await visit(sub, here);
  };
  await visit(root, []);
  return found;
}

function isIgnored(dir: string, scopes: readonly IgnoreScope[]): boolean {
  return scopes.some((scope) => scope.rules.ignores(`${path.relative(scope.base, dir).split(path.sep).join('/')}/`));
}
