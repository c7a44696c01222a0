/**
 * The workspace packages of a lockfile as their package.json files describe them: the name a
 * dependent asks for, whether it is `"private": true`, and the line of its `"name"`. The lockfile
 * does not say whether a workspace is private, and pnpm's does not even name its importers.
 */
import path from 'node:path';
import type { DependencyGraph, PackageNode, SourceLocation } from '../../core/graph.ts';
import { indexPackageLockKeys } from '../../lockfiles/locate/json.ts';

export interface Workspace {
  readonly node: PackageNode;
  readonly name: string;
  readonly version: string | undefined;
  readonly isPrivate: boolean;
  /** package.json relative to the project root, POSIX. */
  readonly manifest: string;
  /** The `"name"` key in that file. */
  readonly location: SourceLocation;
  /** The manifest's `repository`, as written (string or `{ url }`). */
  readonly repository: string | undefined;
}

/** Reads a project file by path relative to the project root (context.services.readProjectFile). */
export type ReadProjectFile = (relativePath: string) => Promise<string | undefined>;

/**
 * Every workspace (not the root: nothing resolves the project itself by name) whose package.json
 * can be read and names the package. Missing and unreadable manifests are left out; `skipped`
 * names them for a note.
 */
export async function readWorkspaces(graph: DependencyGraph, read: ReadProjectFile): Promise<{ workspaces: Workspace[]; skipped: string[] }> {
  const lockfileDir = path.posix.dirname(graph.lockfile.path);
  const workspaces: Workspace[] = [];
  const skipped: string[] = [];
  for (const node of graph.importers) {
    if (node.source.type !== 'workspace') continue;
    const manifest = path.posix.normalize(path.posix.join(lockfileDir, node.source.path, 'package.json'));
    const workspace = manifest.startsWith('../') ? undefined : parseManifest(node, manifest, await read(manifest));
    if (workspace) workspaces.push(workspace);
    else skipped.push(manifest);
  }
  return { workspaces, skipped };
}

function parseManifest(node: PackageNode, manifest: string, text: string | undefined): Workspace | undefined {
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  const name = record['name'];
  if (typeof name !== 'string' || name === '') return undefined;
  const position = indexPackageLockKeys(text, { packages: false }).topLevel.get('name');
  const version = record['version'];
  return {
    node,
    name,
    version: typeof version === 'string' ? version : undefined,
    // npm refuses to publish only for the boolean true.
    isPrivate: record['private'] === true,
    manifest,
    location: { file: manifest, line: position?.line ?? 1, column: position?.column ?? 1 },
    repository: repositoryOf(record['repository']),
  };
}

function repositoryOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const url = (value as Record<string, unknown>)['url'];
    if (typeof url === 'string') return url;
  }
  return undefined;
}

/**
 * A repository reference reduced to host and path, so `git+https://github.com/a/b.git`,
 * `git@github.com:a/b` and `github:a/b` compare equal. Undefined for what cannot be read.
 */
export function normalizeRepository(value: string): string | undefined {
  let text = value.trim().toLowerCase();
  const shorthand = /^(github|gitlab|bitbucket):(.+)$/.exec(text);
  if (shorthand) text = `${shorthand[1]}.${shorthand[1] === 'bitbucket' ? 'org' : 'com'}/${shorthand[2]}`;
  else if (/^[\w.-]+\/[\w.-]+$/.test(text)) text = `github.com/${text}`;
  text = text
    .replace(/^git\+/, '')
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return text.includes('/') ? text : undefined;
}
