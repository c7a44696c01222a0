/**
 * Cross-check: on every npm fixture, the graph must agree with npm's own reader,
 * @npmcli/arborist's loadVirtual (nodes, names, versions, flags, edges and their targets).
 * Links are not nodes in our graph; arborist's edges to a link are compared by the link's target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import npm from '../../src/lockfiles/npm.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/npm/', import.meta.url));
// arborist is CommonJS without types; the interfaces below name what the test reads.
const Arborist = createRequire(import.meta.url)('@npmcli/arborist') as new (options: { path: string }) => {
  loadVirtual(): Promise<{ inventory: ReadonlyMap<string, ArboristNode> }>;
};
const OURS = ['v1', 'v2', 'v3', 'shrinkwrap', 'workspaces', 'alias', 'git', 'tarball', 'bundled', 'peer-optional', 'install-script'];

/** The parts of arborist's Node we compare; arborist ships no types. */
interface ArboristNode {
  readonly location: string;
  readonly packageName: string | null;
  readonly version: string;
  readonly isLink: boolean;
  readonly target: ArboristNode;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly peer: boolean;
  readonly inBundle: boolean;
  readonly edgesOut: ReadonlyMap<string, { readonly type: string; readonly spec: string; readonly to: ArboristNode | null }>;
}

function describeArborist(node: ArboristNode): string {
  const edges = [...node.edgesOut.values()]
    .filter((edge) => edge.type !== 'workspace')
    .map((edge) => `${edge.type} ${edge.spec} -> ${edge.to ? (edge.to.isLink ? edge.to.target.location : edge.to.location) : '-'}`)
    .sort();
  const flags = node.location === '' ? '' : `${node.dev} ${node.optional} ${node.peer} ${node.inBundle}`;
  const identity = node.location === '' ? '' : `${node.packageName ?? ''}@${node.version}`;
  return `${node.location}: ${identity} ${flags} [${edges.join('; ')}]`;
}

describe('npm parser agrees with arborist loadVirtual', () => {
  it('covers every fixture scenario', () => {
    expect(readdirSync(FIXTURES).filter((name) => OURS.includes(name)).sort()).toEqual([...OURS].sort());
  });

  it.each(OURS)('%s', async (scenario) => {
    const dir = path.join(FIXTURES, scenario);
    const file = readdirSync(dir).includes('npm-shrinkwrap.json') ? 'npm-shrinkwrap.json' : 'package-lock.json';
    const graph = await npm.parse({ path: file, absolutePath: path.join(dir, file), text: readFileSync(path.join(dir, file), 'utf8') });
    const ours = [graph.root, ...graph.importers, ...graph.packages].map((node) => {
      const edges = node.dependencies.map((edge) => `${edge.type} ${edge.spec} -> ${edge.to ?? '-'}`).sort();
      const { dev, optional, peer, bundled } = node.flags;
      const flags = node.id === '' ? '' : `${dev} ${optional} ${peer} ${bundled}`;
      const identity = node.id === '' ? '' : `${node.name}@${node.version}`;
      return `${node.id}: ${identity} ${flags} [${edges.join('; ')}]`;
    });
    const tree = await new Arborist({ path: dir }).loadVirtual();
    const theirs = [...tree.inventory.values()].filter((node) => !node.isLink).map(describeArborist);
    expect(ours.sort()).toEqual(theirs.sort());
  });
});
