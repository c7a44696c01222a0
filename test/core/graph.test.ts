import { describe, expect, it } from 'vitest';
import type { PackageNode } from '../../src/core/graph.ts';
import { edge, ids, makeGraph, makeNode, makeRoot, NPM_LOCKFILE } from './make-graph.ts';

describe('createDependencyGraph', () => {
  it('keeps the lockfile, root, importers and packages exactly as given', () => {
    const root = makeRoot(['a']);
    const workspace = makeNode('packages/w', ['a'], { source: { type: 'workspace', path: 'packages/w' } });
    const a = makeNode('a');
    const graph = makeGraph({ root, importers: [workspace], packages: [a] });

    expect(graph.lockfile).toBe(NPM_LOCKFILE);
    expect(graph.root).toBe(root);
    expect(graph.importers).toEqual([workspace]);
    expect(graph.packages).toEqual([a]);
  });

  describe('node()', () => {
    it('finds the root, importers and packages by id, and nothing else', () => {
      const root = makeRoot([]);
      const workspace = makeNode('packages/w');
      const nested = makeNode('node_modules/a/node_modules/b', [], { name: 'b' });
      const graph = makeGraph({ root, importers: [workspace], packages: [nested] });

      expect(graph.node('')).toBe(root);
      expect(graph.node('packages/w')).toBe(workspace);
      expect(graph.node('node_modules/a/node_modules/b')).toBe(nested);
      expect(graph.node('b')).toBeUndefined();
      expect(graph.node('node_modules/missing')).toBeUndefined();
    });
  });

  describe('dependents()', () => {
    it('lists every node with an edge to the target, in lockfile order (root, importers, packages)', () => {
      const graph = makeGraph({
        root: makeRoot(['shared']),
        importers: [makeNode('packages/w', ['shared'])],
        packages: [makeNode('z', ['shared']), makeNode('shared'), makeNode('a', ['shared'])],
      });

      expect(graph.dependents(graph.node('shared')!).map((n) => n.id)).toEqual(['', 'packages/w', 'z', 'a']);
    });

    it('lists a dependent once even when it has several edges to the same target', () => {
      const a = makeNode('a', [], { dependencies: [edge('b'), edge('b', 'peer'), edge('b', 'dev')] });
      const graph = makeGraph({ root: makeRoot(['a']), packages: [a, makeNode('b')] });

      expect(graph.dependents(graph.node('b')!)).toEqual([a]);
    });

    it('leaves out self-edges', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a', ['a'])] });

      expect(graph.dependents(graph.node('a')!).map((n) => n.id)).toEqual(['']);
    });

    it('ignores edges the lockfile does not resolve', () => {
      const a = makeNode('a', [], { dependencies: [{ name: 'b', spec: '^1.0.0', type: 'optional' }] });
      const graph = makeGraph({ root: makeRoot(['a']), packages: [a, makeNode('b')] });

      expect(graph.dependents(graph.node('b')!)).toEqual([]);
    });

    it('returns [] for a node nothing depends on, including the root', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a'), makeNode('orphan')] });

      expect(graph.dependents(graph.node('orphan')!)).toEqual([]);
      expect(graph.dependents(graph.root)).toEqual([]);
    });
  });

  describe('pathsTo()', () => {
    it('returns the node alone for the root and for an importer', () => {
      const workspace = makeNode('packages/w', ['a']);
      const graph = makeGraph({ root: makeRoot(['packages/w']), importers: [workspace], packages: [makeNode('a')] });

      expect(ids(graph.pathsTo(graph.root))).toEqual([['']]);
      expect(ids(graph.pathsTo(workspace))).toEqual([['packages/w']]);
    });

    it('returns the chain from the root down to the node, both ends included', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a', ['b']), makeNode('b', ['c']), makeNode('c')] });

      expect(ids(graph.pathsTo(graph.node('c')!))).toEqual([['', 'a', 'b', 'c']]);
    });

    it('returns only the shortest chain by default, and the shortest first with a limit', () => {
      const graph = makeGraph({
        root: makeRoot(['a', 'c']),
        packages: [makeNode('a', ['b']), makeNode('b', ['t']), makeNode('c', ['t']), makeNode('t')],
      });
      const target = graph.node('t')!;

      expect(ids(graph.pathsTo(target))).toEqual([['', 'c', 't']]);
      expect(ids(graph.pathsTo(target, 5))).toEqual([
        ['', 'c', 't'],
        ['', 'a', 'b', 't'],
      ]);
    });

    it('stops at the limit even when more chains of the same length exist', () => {
      const graph = makeGraph({
        root: makeRoot(['a', 'b', 'c']),
        packages: [makeNode('a', ['t']), makeNode('b', ['t']), makeNode('c', ['t']), makeNode('t')],
      });

      expect(ids(graph.pathsTo(graph.node('t')!, 2))).toEqual([
        ['', 'a', 't'],
        ['', 'b', 't'],
      ]);
    });

    it('starts chains at importers (workspaces) as well as at the root', () => {
      const graph = makeGraph({
        root: makeRoot(['packages/w']),
        importers: [makeNode('packages/w', ['x'])],
        packages: [makeNode('x', ['y']), makeNode('y')],
      });

      // The importer is a start in its own right: the chain does not go on up to the root.
      expect(ids(graph.pathsTo(graph.node('y')!, 5))).toEqual([['packages/w', 'x', 'y']]);
    });

    it('orders chains of equal length by lockfile order: root, then importers, then packages', () => {
      const graph = makeGraph({
        root: makeRoot(['x']),
        importers: [makeNode('packages/w', ['x'])],
        packages: [makeNode('x')],
      });

      expect(ids(graph.pathsTo(graph.node('x')!, 5))).toEqual([
        ['', 'x'],
        ['packages/w', 'x'],
      ]);
    });

    it('finds both branches of a diamond', () => {
      const graph = makeGraph({
        root: makeRoot(['b', 'c']),
        packages: [makeNode('b', ['d']), makeNode('c', ['d']), makeNode('d')],
      });

      expect(ids(graph.pathsTo(graph.node('d')!, 10))).toEqual([
        ['', 'b', 'd'],
        ['', 'c', 'd'],
      ]);
    });

    it('follows the lockfile order of dependents, not their names, so output is deterministic', () => {
      const build = () =>
        makeGraph({
          root: makeRoot(['z', 'y']),
          packages: [makeNode('z', ['d']), makeNode('y', ['d']), makeNode('d')],
        });
      const first = build();
      const second = build();

      expect(ids(first.pathsTo(first.node('d')!, 2))).toEqual([
        ['', 'z', 'd'],
        ['', 'y', 'd'],
      ]);
      expect(ids(second.pathsTo(second.node('d')!, 2))).toEqual(ids(first.pathsTo(first.node('d')!, 2)));
      expect(ids(first.pathsTo(first.node('d')!, 2))).toEqual(ids(first.pathsTo(first.node('d')!, 2)));
    });

    it('terminates on a cycle (a → b → a) and still finds the way in', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a', ['b']), makeNode('b', ['a'])] });

      expect(ids(graph.pathsTo(graph.node('b')!, 5))).toEqual([['', 'a', 'b']]);
      expect(ids(graph.pathsTo(graph.node('a')!, 5))).toEqual([['', 'a']]);
    });

    it('terminates on a cycle that the root cannot reach, with no chain', () => {
      const graph = makeGraph({ root: makeRoot([]), packages: [makeNode('a', ['b']), makeNode('b', ['a'])] });

      expect(graph.pathsTo(graph.node('a')!, 5)).toEqual([]);
    });

    it('terminates on a self-edge', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a', ['a'])] });

      expect(ids(graph.pathsTo(graph.node('a')!, 5))).toEqual([['', 'a']]);
    });

    it('returns [] for an unreachable node', () => {
      const graph = makeGraph({ root: makeRoot(['a']), packages: [makeNode('a'), makeNode('orphan'), makeNode('child-of-orphan')] });
      const orphanParent = makeGraph({
        root: makeRoot([]),
        packages: [makeNode('orphan', ['child-of-orphan']), makeNode('child-of-orphan')],
      });

      expect(graph.pathsTo(graph.node('orphan')!)).toEqual([]);
      expect(orphanParent.pathsTo(orphanParent.node('child-of-orphan')!, 3)).toEqual([]);
    });
  });

  describe('at the 50,000-package scale (must finish; timings are not asserted)', () => {
    const SIZE = 50_000;

    it('walks a 50,000-deep chain without recursion limits', () => {
      const packages = Array.from({ length: SIZE }, (_, i) => makeNode(`p${i}`, i + 1 < SIZE ? [`p${i + 1}`] : []));
      const graph = makeGraph({ root: makeRoot(['p0']), packages });
      const deepest = graph.node(`p${SIZE - 1}`)!;

      const [chain] = graph.pathsTo(deepest);
      expect(chain).toHaveLength(SIZE + 1);
      expect(chain![0]).toBe(graph.root);
      expect(chain![SIZE]).toBe(deepest);
      expect(graph.dependents(deepest).map((n) => n.id)).toEqual([`p${SIZE - 2}`]);
    });

    it('answers pathsTo() for every package of a 50,000-package tree', () => {
      // Shaped like a real install: 500 direct dependencies with 99 dependencies each.
      const direct = Array.from({ length: 500 }, (_, i) => `d${i}`);
      const packages: PackageNode[] = [];
      for (const parent of direct) {
        const children = Array.from({ length: 99 }, (_, j) => `${parent}/c${j}`);
        packages.push(makeNode(parent, children), ...children.map((child) => makeNode(child)));
      }
      const graph = makeGraph({ root: makeRoot(direct), packages });

      let totalLength = 0;
      for (const node of graph.packages) totalLength += graph.pathsTo(node)[0]!.length;

      expect(graph.packages).toHaveLength(SIZE);
      expect(totalLength).toBe(500 * 2 + 500 * 99 * 3);
    });
  });
});
