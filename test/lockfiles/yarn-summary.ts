/**
 * Helpers of the yarn parser tests: fixture inputs and a one-line summary per node, so a
 * whole graph is asserted exactly and a failure shows which node differs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencyGraph, PackageNode } from '../../src/core/graph.ts';
import type { LockfileInput, LockfileParser } from '../../src/core/parser.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/', import.meta.url));

/** fixtures/lockfiles/<format>/<scenario>/yarn.lock as the detector would hand it over. */
export function fixture(format: 'yarn-classic' | 'yarn-berry', scenario: string): LockfileInput {
  const absolutePath = path.join(FIXTURES, format, scenario, 'yarn.lock');
  return { path: 'yarn.lock', absolutePath, text: readFileSync(absolutePath, 'utf8') };
}

/** An in-memory yarn.lock in a directory that does not exist. */
export function inline(text: string): LockfileInput {
  return { path: 'yarn.lock', absolutePath: '/nonexistent/project/yarn.lock', text };
}

/** `id name@version (as alias) line:column [flags] source => edges`, plus checksum and patch origin. */
export function summarize(node: PackageNode): string {
  const flags = Object.entries(node.flags).filter(([, on]) => on).map(([flag]) => flag);
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
    node.patchedFrom ? `patches ${node.patchedFrom}` : '',
    edges.length ? `=> ${edges.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

export function summaryOf(graph: DependencyGraph): string[] {
  return [graph.root, ...graph.importers, ...graph.packages].map(summarize);
}

/** The rejection of a parse that must fail. */
export async function parseError(parser: LockfileParser, input: LockfileInput): Promise<unknown> {
  return parser.parse(input).then(
    () => new Error('expected the parse to fail'),
    (error: unknown) => error,
  );
}

/** `name@version` of every node reached by the first path to `node`, root first. */
export function pathOf(graph: DependencyGraph, id: string): string[] {
  const node = graph.node(id);
  if (!node) throw new Error(`no node ${id}`);
  return (graph.pathsTo(node, 1)[0] ?? []).map((step) => `${step.name}@${step.version}`);
}
