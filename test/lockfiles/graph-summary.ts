/**
 * The parser tests' one-line-per-node view of a graph, shared by every format, so a whole
 * graph is asserted exactly and a failure shows which node differs; plus the inputs the
 * tests hand to parsers and the rejection of a parse that must fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DependencyGraph, PackageNode } from '../../src/core/graph.ts';
import type { LockfileInput, LockfileParser } from '../../src/core/parser.ts';

export interface SummaryOptions {
  /** Append ` sri` to the source when the node has an integrity value (the pnpm tests assert its presence this way). */
  readonly sri?: boolean | undefined;
}

/**
 * `id name@version (as alias) line:column [flags] source [sri] [patches <id>] => edges`, the
 * root's empty id shown as `<root>`, `install-script` among the flags, edges as
 * `name(type spec)->target`.
 */
export function summarize(node: PackageNode, options: SummaryOptions = {}): string {
  const flags = Object.entries(node.flags).filter(([, on]) => on).map(([flag]) => flag);
  if (node.hasInstallScript) flags.push('install-script');
  const { source } = node;
  const where =
    source.type === 'registry'
      ? (source.url ?? '')
      : source.type === 'git'
        ? `${source.url}#${source.committish ?? ''}`
        : source.type === 'tarball'
          ? source.url
          : source.path;
  const edges = node.dependencies.map((edge) => `${edge.name}(${edge.type} ${edge.spec})->${edge.to ?? '-'}`);
  return [
    `${node.id || '<root>'} ${node.name}@${node.version}${node.alias ? ` as ${node.alias}` : ''}`,
    `${node.location.line}:${node.location.column}`,
    `[${flags.join(',')}]`,
    where === '' ? source.type : `${source.type} ${where}`,
    options.sri && node.integrity !== undefined ? 'sri' : '',
    node.patchedFrom ? `patches ${node.patchedFrom}` : '',
    edges.length ? `=> ${edges.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** Root, importers, then packages, one line each. */
export function summaryOf(graph: DependencyGraph, options: SummaryOptions = {}): string[] {
  return [graph.root, ...graph.importers, ...graph.packages].map((node) => summarize(node, options));
}

/** `name@version` of every node on the first path to `id`, root (or importer) first. */
export function pathOf(graph: DependencyGraph, id: string): string[] {
  const node = graph.node(id);
  if (!node) throw new Error(`no node ${id}`);
  return (graph.pathsTo(node, 1)[0] ?? []).map((step) => `${step.name}@${step.version}`);
}

/** A lockfile on disk as the detector would hand it over, under the project-relative name `file`. */
export function readInput(absolutePath: string, file = path.basename(absolutePath)): LockfileInput {
  return { path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') };
}

/** An in-memory lockfile in a project folder named "project" that does not exist (so no package.json is found). */
export function inlineInput(text: string, file: string): LockfileInput {
  return { path: file, absolutePath: path.join('/nonexistent/project', file), text };
}

/** The rejection of a parse that must fail (an Error saying so when it does not fail). */
export async function parseError(parser: LockfileParser, input: LockfileInput): Promise<unknown> {
  return parser.parse(input).then(
    () => new Error('expected the parse to fail'),
    (error: unknown) => error,
  );
}
