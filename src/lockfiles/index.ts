/**
 * The lockfile layer's entry points: find a project's lockfiles, pick each one's parser by
 * file name (plus a content sniff where formats share a name) and parse it into a graph,
 * handing the yarn parsers the package.json files that tell what their lockfiles leave out
 * (yarn classic's workspaces and dependency types, Berry's devDependencies).
 */
import path from 'node:path';
import { UnsupportedLockfileError } from '../core/errors.ts';
import type { Logger } from '../core/check.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import { findLockfiles } from './detect.ts';
import type { LockfileWithManifests, ProjectManifests } from './manifest.ts';
import { knownLockfileNames, LOCKFILE_PARSERS } from './parsers.ts';

export { findLockfiles, MAX_LOCKFILE_BYTES, type FindLockfilesOptions } from './detect.ts';
export { knownLockfileNames, LOCKFILE_PARSERS } from './parsers.ts';

export interface LoadLockfilesOptions {
  /** Audit this file instead of detecting: absolute, or relative to the current directory. */
  readonly lockfile?: string | undefined;
  /** Also audit the lockfiles of every subdirectory (monorepos). */
  readonly recursive?: boolean | undefined;
  /** Told what the loader could not find (a yarn.lock without its package.json). */
  readonly log?: Pick<Logger, 'debug'> | undefined;
}

/** The parser for an input: the first in table order that claims its base name and accepts its text. */
export function parserFor(input: LockfileInput): LockfileParser {
  const name = path.posix.basename(input.path);
  const candidates = LOCKFILE_PARSERS.filter((parser) => parser.filenames.includes(name));
  if (candidates.length === 0) {
    throw new UnsupportedLockfileError(`${input.path}: not a lockfile name pkgguard reads (supported: ${knownLockfileNames().join(', ')})`, {
      hints: ['pkgguard picks the parser by file name; keep the lockfile under its usual name'],
    });
  }
  const parser = candidates.find((candidate) => candidate.accepts(input));
  if (!parser) {
    throw new UnsupportedLockfileError(`${input.path}: not a ${candidates.map((c) => c.format).join(' or ')} lockfile pkgguard can read`, {
      hints: ['regenerate it with the package manager that owns it'],
    });
  }
  return parser;
}

export async function parseLockfile(input: LockfileInput): Promise<DependencyGraph> {
  return await parserFor(input).parse(input);
}

/**
 * The input with the project's package.json files, for formats whose lockfile does not record
 * the project's own dependency types (yarn classic and Berry); other inputs are returned as
 * they are. Without a package.json beside the lockfile, the parser does without, as before.
 */
async function withManifests(input: LockfileInput, parser: LockfileParser, log: LoadLockfilesOptions['log']): Promise<LockfileWithManifests> {
  if (parser.format !== 'yarn-classic' && parser.format !== 'yarn-berry') return input;
  const manifests = await readManifests(path.dirname(input.absolutePath), path.posix.dirname(input.path));
  if (manifests !== undefined) return { ...input, manifests };
  log?.debug(`${input.path}: no package.json beside it, so dev dependencies cannot be told from the others (--production keeps them)`);
  return input;
}

/** Loaded on demand: only yarn projects read package.json files. */
async function readManifests(lockfileDir: string, displayDir: string): Promise<ProjectManifests | undefined> {
  const { readProjectManifests } = await import('./manifest-read.ts');
  return await readProjectManifests(lockfileDir, displayDir === '.' ? '' : displayDir);
}

/** Detects (or takes `options.lockfile`), reads and parses the project's lockfiles, in detection order. */
export async function loadLockfiles(projectDir: string, options: LoadLockfilesOptions = {}): Promise<DependencyGraph[]> {
  const inputs = await findLockfiles(projectDir, { lockfile: options.lockfile, recursive: options.recursive });
  const graphs: DependencyGraph[] = [];
  // One at a time: parsing is CPU-bound, so running them together would only interleave them.
  for (const input of inputs) {
    const parser = parserFor(input);
    graphs.push(await parser.parse(await withManifests(input, parser, options.log)));
  }
  return graphs;
}
