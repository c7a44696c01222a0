/** `pkgguard ls [dir]`: the parsed inventory, for people or (with --json) for scripts. */
import path from 'node:path';
import type { DependencyGraph, PackageNode } from '../../core/graph.ts';
import { inventoryOf } from '../../lockfiles/inventory.ts';
import { loadLockfiles } from '../../lockfiles/index.ts';
import { escapeJsonUnsafe, sanitize } from '../../reporters/sanitize.ts';
import type { CliIO } from '../io.ts';

export async function runLs(dir: string, options: Record<string, unknown>, io: CliIO): Promise<number> {
  const lockfile = options['lockfile'];
  const loaded = await loadLockfiles(path.resolve(io.cwd, dir), {
    lockfile: typeof lockfile === 'string' ? path.resolve(io.cwd, lockfile) : undefined,
    recursive: options['recursive'] === true,
  });
  const graphs = options['production'] ? loaded.map(withoutDev) : loaded;
  if (options['json']) {
    // JSON.stringify leaves bidi overrides and C1 controls raw; they must not reach a terminal.
    io.stdout.write(`${escapeJsonUnsafe(JSON.stringify(inventoryOf(graphs), null, 2))}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const graph of graphs) {
    const { path: file, format, formatVersion } = graph.lockfile;
    const count = graph.packages.length;
    lines.push(`${sanitize(file)} (${format} v${formatVersion}, ${count} ${count === 1 ? 'package' : 'packages'})`);
    for (const node of graph.packages) lines.push(`  ${describe(node)}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function describe(node: PackageNode): string {
  const flags = (['dev', 'optional', 'peer', 'bundled'] as const).filter((flag) => node.flags[flag]);
  const position = `${node.location.line}:${node.location.column}`.padStart(9);
  const alias = node.alias ? ` (as ${node.alias})` : '';
  return `${position}  ${sanitize(`${node.name}@${node.version}`)}${sanitize(alias)}${flags.length ? `  [${flags.join(', ')}]` : ''}`;
}

function withoutDev(graph: DependencyGraph): DependencyGraph {
  const packages = graph.packages.filter((node) => !node.flags.dev);
  return { ...graph, packages };
}
