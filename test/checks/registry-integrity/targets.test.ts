/**
 * Which entries the registry checks ask about, grouped by name from the graph's shared index:
 * names in the order of their first target even when a name's first registry entry is not one,
 * and private or unaskable names counted per entry with their reasons in the order met.
 */
import { describe, expect, it } from 'vitest';
import { sharedRegistryTargets, withoutUncachedRegistries } from '../../../src/checks/registry-integrity/targets.ts';
import type { CheckContext } from '../../../src/core/check.ts';
import type { DependencyGraph } from '../../../src/core/graph.ts';
import { type PrivateNameReason, withoutServices } from '../../../src/core/services.ts';
import type { RegistryFacts } from '../../../src/registry/facts-types.ts';
import { graphOf } from '../../helpers/graph.ts';

const REGISTRY = 'https://registry.npm.example/';

/** Only what registryTargets asks of the facts service: every name on one (public) registry. */
const facts = { registryFor: () => REGISTRY, isPublicRegistry: () => true } as Pick<RegistryFacts, 'registryFor' | 'isPublicRegistry'> as RegistryFacts;

function contextFor(graph: DependencyGraph, reasons: Readonly<Record<string, PrivateNameReason>> = {}): CheckContext {
  const classify = (name: string): PrivateNameReason | undefined => (Object.hasOwn(reasons, name) ? reasons[name] : undefined);
  const services = { ...withoutServices(), privateNames: () => Promise.resolve(classify) };
  // The targets read only the graph and the services.
  return { graph, services } as Pick<CheckContext, 'graph' | 'services'> as CheckContext;
}

const summary = (targets: Awaited<ReturnType<typeof sharedRegistryTargets>>) => ({
  byName: [...targets.byName].map(([name, nodes]) => `${name}: ${nodes.map((node) => node.id).join(' ')}`),
  withheld: targets.withheld,
  withheldBy: [...(targets.withheldBy ?? [])],
  unaskable: targets.unaskable,
});

describe('registry targets', () => {
  it('groups registry entries with a version by name, leaving out bundled and versionless ones and other sources', async () => {
    const graph = graphOf([
      { name: 'a' },
      { id: 'node_modules/b', name: 'b', version: '' },
      { id: 'node_modules/x/node_modules/a', name: 'a', version: '2.0.0' },
      { name: 'g', source: { type: 'git', url: 'git+ssh://git@git.example/g.git' } },
      { id: 'node_modules/y/node_modules/a', name: 'a', flags: { bundled: true } },
    ]);
    expect(summary(await sharedRegistryTargets(contextFor(graph), facts))).toEqual({
      byName: ['a: node_modules/a node_modules/x/node_modules/a'],
      withheld: 0,
      withheldBy: [],
      unaskable: 0,
    });
  });

  it('orders names by their first target, not their first registry entry', async () => {
    const graph = graphOf([
      { id: 'node_modules/p/node_modules/a', name: 'a', flags: { bundled: true } },
      { name: 'b' },
      { name: 'a' },
      { id: 'node_modules/q/node_modules/c', name: 'c', version: '' },
      { name: 'd' },
      { name: 'c' },
    ]);
    expect(summary(await sharedRegistryTargets(contextFor(graph), facts)).byName).toEqual(['b: node_modules/b', 'a: node_modules/a', 'd: node_modules/d', 'c: node_modules/c']);
  });

  it('counts withheld and unaskable entries per entry, reasons in the order first met', async () => {
    const graph = graphOf([
      { name: 'internal-b' },
      { name: '@corp/a' },
      { id: 'node_modules/x/node_modules/internal-b', name: 'internal-b', version: '2.0.0' },
      { name: 'public' },
      { id: 'node_modules/..', name: '..' },
      { id: 'node_modules/y/node_modules/@corp/a', name: '@corp/a', version: '3.0.0' },
    ]);
    const context = contextFor(graph, { 'internal-b': 'internal-package', '@corp/a': 'private-scope' });
    expect(summary(await sharedRegistryTargets(context, facts))).toEqual({
      byName: ['public: node_modules/public'],
      withheld: 4,
      withheldBy: [
        ['internal-package', 2],
        ['private-scope', 2],
      ],
      unaskable: 1,
    });
  });

  it('knows the registries of the targets, in the order of their first name, with their entries', async () => {
    const graph = graphOf([{ name: '@corp/a' }, { name: 'b' }, { id: 'node_modules/x/node_modules/b', name: 'b', version: '2.0.0' }, { name: '@corp/c' }, { name: '..' }]);
    const scoped = { ...facts, registryFor: (name: string) => (name.startsWith('@corp/') ? CORP : REGISTRY) } as RegistryFacts;
    expect([...(await sharedRegistryTargets(contextFor(graph), scoped)).registries]).toEqual([
      [CORP, 2],
      [REGISTRY, 2],
    ]);
  });
});

const CORP = 'https://npm.corp.example/';

describe('registries whose cache knows nothing', () => {
  const graph = graphOf([{ name: '@corp/a' }, { name: 'b' }, { id: 'node_modules/x/node_modules/b', name: 'b', version: '2.0.0' }, { name: '@corp/c' }]);
  /** Facts on two registries, `empty` of them knowing nothing; every question written down. */
  const factsKnowingNothingOn = (empty: readonly string[], calls: string[]) =>
    ({
      registryFor: (name: string) => (name.startsWith('@corp/') ? CORP : REGISTRY),
      isPublicRegistry: () => false,
      knowsNothingOn(registry: string) {
        calls.push(registry);
        return Promise.resolve(empty.includes(registry));
      },
    }) as Pick<RegistryFacts, 'registryFor' | 'isPublicRegistry' | 'knowsNothingOn'> as RegistryFacts;
  const left = async (empty: readonly string[], registries?: readonly string[]) => {
    const calls: string[] = [];
    const known = factsKnowingNothingOn(empty, calls);
    const targets = await sharedRegistryTargets(contextFor(graph), known);
    const { targets: rest, notCached } = await withoutUncachedRegistries(known, targets, registries);
    return { names: [...rest.byName.keys()], notCached, calls, same: rest === targets };
  };

  it('counts the entries of every registry that knows nothing, asking once per registry', async () => {
    expect(await left([CORP, REGISTRY])).toEqual({ names: [], notCached: 4, calls: [CORP, REGISTRY], same: false });
  });

  it('keeps the names of the registries that may know something, in lockfile order', async () => {
    expect(await left([CORP])).toEqual({ names: ['b'], notCached: 2, calls: [CORP, REGISTRY], same: false });
    expect(await left([])).toEqual({ names: ['@corp/a', 'b', '@corp/c'], notCached: 0, calls: [CORP, REGISTRY], same: true });
  });

  it('asks only about the registries given, leaving the others` names out', async () => {
    expect(await left([], [REGISTRY])).toEqual({ names: ['b'], notCached: 0, calls: [REGISTRY], same: false });
    expect(await left([REGISTRY], [REGISTRY])).toEqual({ names: [], notCached: 2, calls: [REGISTRY], same: false });
  });
});
