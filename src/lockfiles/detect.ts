/**
 * Finds a project's lockfiles and reads them: the one module of the lockfile layer that
 * touches the file system, so parsers stay pure functions of text.
 *
 * Detection takes the file names from the parser table. Within one parser's names the first
 * file that exists wins, which is npm's rule for npm-shrinkwrap.json over package-lock.json;
 * different parsers each contribute their own lockfile (a project may hold several).
 * `--lockfile <file>` replaces detection.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LockfileReadError, NoLockfileError, UnsupportedLockfileError } from '../core/errors.ts';
import type { LockfileInput } from '../core/parser.ts';
import { knownLockfileNames, LOCKFILE_PARSERS } from './parsers.ts';

/** Larger files are refused: no real lockfile comes close, and reading one would exhaust memory. */
export const MAX_LOCKFILE_BYTES = 512 * 1024 * 1024;

export interface FindLockfilesOptions {
  /** A lockfile named by the user (`--lockfile`): absolute, or relative to the current directory. */
  readonly lockfile?: string | undefined;
  /** Size limit in bytes; default MAX_LOCKFILE_BYTES. */
  readonly maxBytes?: number | undefined;
  /** Also look in every subdirectory (monorepos), skipping node_modules and what .gitignore ignores. */
  readonly recursive?: boolean | undefined;
}

const CREATE_HINT =
  'create one without installing: npm install --package-lock-only (yarn: yarn install --mode update-lockfile; pnpm: pnpm install --lockfile-only; bun: bun install --lockfile-only)';
const NAME_HINT = 'or name one explicitly: --lockfile <path>';

/**
 * The lockfiles to audit, read as text, with `path` relative to `projectDir` (POSIX
 * separators; `../x` when a named file lies outside it). Throws NoLockfileError when there is
 * none, LockfileReadError when one cannot be read, UnsupportedLockfileError when `--lockfile`
 * names a file no parser reads.
 */
export async function findLockfiles(projectDir: string, options: FindLockfilesOptions = {}): Promise<LockfileInput[]> {
  const root = path.resolve(projectDir);
  const maxBytes = options.maxBytes ?? MAX_LOCKFILE_BYTES;
  if (options.lockfile !== undefined) {
    const file = path.resolve(options.lockfile);
    const names = knownLockfileNames();
    if (!names.includes(path.basename(file))) {
      throw new UnsupportedLockfileError(`${display(file)}: not a lockfile name pkgguard reads (supported: ${names.join(', ')})`, {
        hints: ['pkgguard picks the parser by file name; keep the lockfile under its usual name'],
      });
    }
    const size = await sizeOf(file, true);
    if (size === undefined) throw readError(file, 'ENOENT', true);
    return [await readLockfile(root, file, size, maxBytes)];
  }

  await assertDirectory(root);
  const inputs: LockfileInput[] = [];
  const directories = options.recursive ? await (await import('./walk.ts')).projectDirectories(root) : [root];
  for (const dir of directories) inputs.push(...(await lockfilesIn(root, dir, maxBytes)));
  if (inputs.length === 0) {
    const here = path.relative(path.resolve(), root) === '' ? 'the current directory' : display(root);
    const where = options.recursive ? `${here} or below it` : here;
    throw new NoLockfileError(`no lockfile found in ${where} (looked for ${knownLockfileNames().join(', ')})`, {
      hints: [CREATE_HINT, NAME_HINT, ...(options.recursive ? [] : ['in a monorepo, look in subdirectories too: --recursive'])],
    });
  }
  return inputs;
}

/** The lockfiles of one directory: per parser, the first of its names that exists (npm's shrinkwrap rule). */
async function lockfilesIn(root: string, dir: string, maxBytes: number): Promise<LockfileInput[]> {
  const inputs: LockfileInput[] = [];
  const taken = new Set<string>();
  for (const parser of LOCKFILE_PARSERS) {
    for (const name of parser.filenames) {
      const file = path.join(dir, name);
      const size = taken.has(name) ? undefined : await sizeOf(file, false);
      if (size === undefined) continue;
      taken.add(name);
      inputs.push(await readLockfile(root, file, size, maxBytes));
      break;
    }
  }
  return inputs;
}

async function readLockfile(root: string, file: string, size: number, maxBytes: number): Promise<LockfileInput> {
  if (size > maxBytes) {
    throw new LockfileReadError(`${display(file)} is ${formatSize(size)}, over the ${formatSize(maxBytes)} limit for a lockfile`, {
      hints: ['check that this file really is a lockfile; pkgguard does not read larger ones'],
    });
  }
  try {
    // Decoded in one piece: `readFile(file, 'utf8')` decodes a large file chunk by chunk into a
    // string of pieces, which V8 copies into one on the parser's first search (≈ 15 ms on 2 MB).
    const text = (await readFile(file)).toString('utf8');
    return { path: toPosix(path.relative(root, file)), absolutePath: file, text };
  } catch (error) {
    throw readError(file, codeOf(error), true, error);
  }
}

/** Size of a regular file; undefined when it does not exist (and `required` is false). */
async function sizeOf(file: string, required: boolean): Promise<number | undefined> {
  try {
    const stats = await stat(file);
    if (stats.isDirectory()) throw readError(file, 'EISDIR', required);
    return stats.size;
  } catch (error) {
    if (error instanceof LockfileReadError) throw error;
    const code = codeOf(error);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !required) return undefined;
    throw readError(file, code, required, error);
  }
}

async function assertDirectory(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') throw new LockfileReadError(`project directory ${display(dir)} does not exist`, { cause: error, hints: ['check the directory argument'] });
    throw readError(dir, code, true, error);
  }
  throw new LockfileReadError(`${display(dir)} is not a directory`, {
    hints: ['pass the project directory; to audit one file use --lockfile <path>'],
  });
}

function readError(file: string, code: string | undefined, named: boolean, cause?: unknown): LockfileReadError {
  const [reason, hints] = describeReadFailure(file, code, named);
  return new LockfileReadError(`cannot read ${display(file)}: ${reason}`, { cause, hints });
}

function describeReadFailure(file: string, code: string | undefined, named: boolean): [string, string[]] {
  switch (code ?? '') {
    case 'ENOENT':
    case 'ENOTDIR':
      return ['no such file', named ? ['check the path given to --lockfile'] : []];
    case 'EISDIR':
      // A directory that carries a lockfile's name is in the way; otherwise the user named a folder.
      return knownLockfileNames().includes(path.basename(file))
        ? ['it is a directory, not a file', ['remove or rename that directory, or name the real lockfile with --lockfile <path>']]
        : ['it is a directory', [`name the lockfile inside it, e.g. --lockfile ${display(path.join(file, 'package-lock.json'))}`]];
    case 'EACCES':
    case 'EPERM':
      return ['permission denied', ['check the permissions of the file and of its directories']];
    default:
      return [code ?? 'unknown error', []];
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A path as the user should see it: relative to the current directory, never absolute when avoidable. */
function display(file: string): string {
  const relative = path.relative(path.resolve(), file);
  return relative === '' ? '.' : toPosix(relative);
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / 1024 / 1024, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
