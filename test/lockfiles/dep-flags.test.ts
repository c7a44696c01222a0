/**
 * Flags from reachability (npm's meaning), shared by the bun, pnpm and yarn parsers, on small
 * hand-made graphs: the cases the fixtures do not isolate, such as orphans, peers of peers,
 * chains that gain a bit late and recorded flags winning over derived ones.
 */
import { describe, expect, it } from 'vitest';
import type { DependencyEdge, DependencyType } from '../../src/core/graph.ts';
import { computeFlags, type FlagNode, type Unreached } from '../../src/lockfiles/dep-flags.ts';

const edge = (to: string, type: DependencyType = 'prod'): DependencyEdge => ({ name: to, spec: '1.0.0', type, to });
const node = (id: string, dependencies: DependencyEdge[] = [], recorded: Partial<FlagNode> = {}): FlagNode => ({ id, dependencies, ...recorded });

/** Each package's flags, as the list of flags that are on. */
function flagsOf(importers: FlagNode[], packages: FlagNode[], unreached: Unreached = 'unflagged'): Record<string, string> {
  const flags = computeFlags(importers, packages, unreached);
  return Object.fromEntries(
    packages.map(({ id }, i) => [
      id,
      Object.entries(flags[i]!)
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

  it('spreads a bit a node gains after it was first reached', () => {
    // `late` is first reached through the dev chain (queue order), then through a longer prod one.
    const importers = [node('.', [edge('tool', 'dev'), edge('p1')])];
    const packages = [node('tool', [edge('late')]), node('p1', [edge('p2')]), node('p2', [edge('late')]), node('late', [edge('leaf')]), node('leaf')];
    expect(flagsOf(importers, packages)).toEqual({ tool: 'dev', p1: '', p2: '', late: '', leaf: '' });
  });

  it('flags nothing no importer reaches under "unflagged", and lets recorded flags win', () => {
    const importers = [node('.', [edge('a')])];
    const packages = [node('a', [], { recordedDev: true, recordedOptional: false }), node('orphan', [edge('a', 'dev')])];
    expect(flagsOf(importers, packages)).toEqual({ a: 'dev', orphan: '' });
  });

  it('flags what nothing reaches dev, optional and peer under "extraneous", as npm does', () => {
    const importers = [node('.', [edge('a')])];
    const packages = [node('a'), node('orphan', [edge('orphan-child')]), node('orphan-child')];
    expect(flagsOf(importers, packages, 'extraneous')).toEqual({ a: '', orphan: 'dev,optional,peer', 'orphan-child': 'dev,optional,peer' });
  });

  it('tells a package reached only through an optional peer of a dev dependency from an unreached one', () => {
    // Every "free of" bit is gone on that chain; only "reached" remains.
    const importers = [node('.', [edge('tool', 'dev')])];
    const packages = [node('tool', [edge('maybe', 'peerOptional')]), node('maybe')];
    expect(flagsOf(importers, packages)).toEqual({ tool: 'dev', maybe: 'dev,optional,peer' });
  });

  it('survives cycles, edges to roots and edges to nodes that do not exist', () => {
    const importers = [node('.', [edge('a')]), node('packages/w', [edge('.', 'dev')])];
    const packages = [node('a', [edge('b'), edge('packages/w', 'dev')]), node('b', [edge('a'), { name: 'ghost', spec: '1', type: 'prod', to: 'ghost' }])];
    expect(flagsOf(importers, packages)).toEqual({ a: '', b: '' });
  });
});
