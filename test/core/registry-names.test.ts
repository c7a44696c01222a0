import { describe, expect, it } from 'vitest';
import { registryNodesByName } from '../../src/core/registry-names.ts';
import { graphOf } from '../helpers/graph.ts';

describe('registryNodesByName', () => {
  it('groups registry packages by name in lockfile order, names in the order of their first package', () => {
    const graph = graphOf([
      { name: 'b' },
      { name: 'a' },
      { name: 't', source: { type: 'tarball', url: 'https://cdn.example/t.tgz' } },
      { id: 'node_modules/a/node_modules/b', name: 'b', version: '2.0.0' },
      { id: 'node_modules/x/node_modules/a', name: 'a', flags: { bundled: true } },
    ]);
    const byName = registryNodesByName(graph);
    expect([...byName].map(([name, nodes]) => [name, nodes.map((node) => node.id)])).toEqual([
      ['b', ['node_modules/b', 'node_modules/a/node_modules/b']],
      ['a', ['node_modules/a', 'node_modules/x/node_modules/a']],
    ]);
  });

  it('is built once per graph', () => {
    const graph = graphOf([{ name: 'a' }]);
    expect(registryNodesByName(graph)).toBe(registryNodesByName(graph));
    expect(registryNodesByName(graphOf([{ name: 'a' }]))).not.toBe(registryNodesByName(graph));
  });
});
