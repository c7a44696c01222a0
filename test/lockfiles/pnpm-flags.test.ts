/**
 * Flags from reachability (npm's meaning), on small hand-made graphs: the cases the fixtures
 * do not isolate, such as orphans, peers of peers and recorded flags winning over derived ones.
 */
import { describe, expect, it } from 'vitest';
import type { DependencyEdge, DependencyType } from '../../src/core/graph.ts';
import { computeFlags, type FlagNode } from '../../src/lockfiles/pnpm-flags.ts';

const edge = (to: string, type: DependencyType = 'prod'): DependencyEdge => ({ name: to, spec: '1.0.0', type, to });
const node = (id: string, dependencies: DependencyEdge[] = [], recorded: Partial<FlagNode> = {}): FlagNode => ({ id, dependencies, ...recorded });

/** Each package's flags, as the list of flags that are on. */
function flagsOf(importers: FlagNode[], packages: FlagNode[]): Record<string, string> {
  const flags = computeFlags(importers, packages);
  return Object.fromEntries(
    packages.map(({ id }) => [
      id,
      Object.entries(flags.get(id)!)
        .filter(([, on]) => on)
        .map(([flag]) => flag)
        .join(','),
    ]),
  );
}

describe('computeFlags', () => {
  it('marks what only dev, only optional, only peers, or dev-or-optional paths reach', () => {
    const importers = [node('.', [edge('prod'), edge('dev', 'dev'), edge('opt', 'optional'), edge('shared', 'dev')])];
    const packages = [
      node('prod', [edge('peer', 'peer'), edge('maybe', 'peerOptional')]),
      node('dev', [edge('dev-child')]),
      node('dev-child'),
      node('opt', [edge('shared')]),
      node('shared'),
      node('peer', [edge('peer-child')]),
      node('peer-child'),
      node('maybe'),
    ];
    expect(flagsOf(importers, packages)).toEqual({
      prod: '',
      dev: 'dev',
      'dev-child': 'dev',
      opt: 'optional',
      shared: 'devOptional',
      peer: 'peer',
      'peer-child': 'peer',
      maybe: 'optional,peer',
    });
  });

  it('starts from every importer: a workspace’s dependency is not dev because the root’s is', () => {
    const importers = [node('.', [edge('a', 'dev')]), node('packages/b', [edge('a')])];
    expect(flagsOf(importers, [node('a')])).toEqual({ a: '' });
  });

  it('flags nothing no importer reaches, and lets recorded flags win', () => {
    const importers = [node('.', [edge('a')])];
    const packages = [node('a', [], { recordedDev: true, recordedOptional: false }), node('orphan', [edge('a', 'dev')])];
    expect(flagsOf(importers, packages)).toEqual({ a: 'dev', orphan: '' });
  });

  it('survives cycles and edges to nodes that do not exist', () => {
    const importers = [node('.', [edge('a')])];
    const packages = [node('a', [edge('b')]), node('b', [edge('a'), { name: 'ghost', spec: '1', type: 'prod', to: 'ghost' }])];
    expect(flagsOf(importers, packages)).toEqual({ a: '', b: '' });
  });
});
