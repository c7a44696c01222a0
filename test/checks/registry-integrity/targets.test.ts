/**
 * Which entries the registry checks ask about, grouped by name from the graph's shared index:
 * names in the order of their first target even when a name's first registry entry is not one,
 * and private or unaskable names counted per entry with their reasons in the order met.
 */
import { describe, expect, it } from 'vitest';
import { sharedRegistryTargets } from '../../../src/checks/registry-integrity/targets.ts';
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
});
