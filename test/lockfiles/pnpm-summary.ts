/** Shared helpers of the pnpm parser tests: fixture inputs and one-line node summaries. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencyGraph, PackageNode } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/pnpm/', import.meta.url));

/** `fixtures/lockfiles/pnpm/<scenario>/<manager>/pnpm-lock.yaml`, e.g. fixture('basic', 'pnpm9'). */
export function fixture(scenario: string, manager: string): LockfileInput {
  const absolutePath = path.join(FIXTURES, scenario, manager, 'pnpm-lock.yaml');
  return { path: 'pnpm-lock.yaml', absolutePath, text: readFileSync(absolutePath, 'utf8') };
}

/** An in-memory lockfile of a project folder named "project". */
export function inline(text: string): LockfileInput {
  return { path: 'pnpm-lock.yaml', absolutePath: '/nonexistent/project/pnpm-lock.yaml', text };
}

/**
 * One line per node: id, name@version (alias), line:column, flags, source, `sri` when it has
 * an integrity value, then the edges as name(type spec)->target.
 */
export function summarize(node: PackageNode): string {
  const flags = Object.entries(node.flags)
    .filter(([, on]) => on)
    .map(([flag]) => flag);
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
    `${node.id} ${node.name}@${node.version}${node.alias ? ` as ${node.alias}` : ''}`,
    `${node.location.line}:${node.location.column}`,
    `[${flags.join(',')}]`,
    `${source.type}${where ? ` ${where}` : ''}${node.integrity === undefined ? '' : ' sri'}`,
    edges.length > 0 ? `=> ${edges.join(', ')}` : '',
  ]
    .join(' ')
    .trimEnd();
}

export function summaryOf(graph: DependencyGraph): string[] {
  return [graph.root, ...graph.importers, ...graph.packages].map(summarize);
}

export async function parseFixture(scenario: string, manager: string): Promise<DependencyGraph> {
  return await pnpm.parse(fixture(scenario, manager));
}

/** The error a parse fails with (an Error saying so when it does not fail). */
export async function parseError(input: LockfileInput): Promise<unknown> {
  return pnpm.parse(input).then(
    () => new Error('expected the parse to fail'),
    (error: unknown) => error,
  );
}
