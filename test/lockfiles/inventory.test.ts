import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from '../../src/core/graph.ts';
import { inventoryOf } from '../../src/lockfiles/inventory.ts';
import npm from '../../src/lockfiles/npm.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/npm/', import.meta.url));

async function fixtureGraph(scenario: string) {
  const absolutePath = `${FIXTURES}${scenario}/package-lock.json`;
  return npm.parse({ path: 'package-lock.json', absolutePath, text: readFileSync(absolutePath, 'utf8') });
}

describe('inventoryOf', () => {
  it('writes the ls --json document with fixed field order', async () => {
    const inventory = inventoryOf([await fixtureGraph('tarball')]);
    expect(JSON.stringify(inventory, null, 2)).toBe(
      JSON.stringify(
        {
          schemaVersion: 1,
          lockfiles: [
            {
              path: 'package-lock.json',
              format: 'npm',
              formatVersion: '3',
              packageCount: 3,
              root: { name: 'fixture-tarball', version: '1.0.0' },
              importers: [],
              packages: [
                {
                  id: 'node_modules/local-tgz',
                  name: 'local-tgz',
                  version: '1.0.0',
                  source: { type: 'tarball', url: 'file:vendor/local-tgz-1.0.0.tgz' },
                  resolved: 'file:vendor/local-tgz-1.0.0.tgz',
                  integrity: 'sha512-pp48Q4Z45Ir+r6fEovd2GfSZojTTkvp75XU4ddF3Lp18J39YhurrDcmDfzPZ1Ou2kotdvuJCAcySU5Bbpfi+zw==',
                  dev: false,
                  optional: false,
                  devOptional: false,
                  peer: false,
                  bundled: false,
                  hasInstallScript: false,
                  line: 15,
                  column: 5,
                  dependencies: [{ name: 'wrappy', spec: '1.0.2', type: 'prod', to: 'node_modules/wrappy' }],
                },
                {
                  id: 'node_modules/remote-ms',
                  name: 'ms',
                  version: '2.1.3',
                  alias: 'remote-ms',
                  source: { type: 'tarball', url: 'https://tarballs.example/ms-2.1.3.tgz' },
                  resolved: 'https://tarballs.example/ms-2.1.3.tgz',
                  integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
                  dev: false,
                  optional: false,
                  devOptional: false,
                  peer: false,
                  bundled: false,
                  hasInstallScript: false,
                  line: 23,
                  column: 5,
                  dependencies: [],
                },
                {
                  id: 'node_modules/wrappy',
                  name: 'wrappy',
                  version: '1.0.2',
                  source: { type: 'registry', url: 'https://registry.npm.example/wrappy/-/wrappy-1.0.2.tgz' },
                  resolved: 'https://registry.npm.example/wrappy/-/wrappy-1.0.2.tgz',
                  integrity: 'sha512-l4Sp/DRseor9wL6EvV2+TuQn63dMkPjZ/sp9XkghTEbV9KlPS1xUsZ3u7/IQO4wxtcFB4bgpQPRcR3QCvezPcQ==',
                  dev: false,
                  optional: false,
                  devOptional: false,
                  peer: false,
                  bundled: false,
                  hasInstallScript: false,
                  line: 30,
                  column: 5,
                  dependencies: [],
                },
              ],
            },
          ],
        },
        null,
        2,
      ),
    );
  });

  it('lists importers like packages and unresolved edges without "to"', async () => {
    const [workspaces, peers] = inventoryOf([await fixtureGraph('workspaces'), await fixtureGraph('peer-optional')]).lockfiles;
    expect(workspaces!.importers.map((entry) => [entry.id, entry.name, entry.source, entry.line, entry.dependencies.length])).toEqual([
      ['packages/a', '@fixture/a', { type: 'workspace', path: 'packages/a' }, 62, 2],
      ['packages/b', '@fixture/b', { type: 'workspace', path: 'packages/b' }, 70, 2],
    ]);
    expect(peers!.packages.find((entry) => entry.name === 'ws')!.dependencies).toEqual([
      { name: 'bufferutil', spec: '^4.0.1', type: 'peerOptional' },
      { name: 'utf-8-validate', spec: '>=5.0.2', type: 'peerOptional' },
    ]);
  });

  it('keeps hostile strings as data: JSON escapes them', () => {
    const name = 'evil\u001b[2K\u202e';
    const node = {
      id: 'node_modules/evil',
      name,
      version: '1.0.0',
      source: { type: 'registry' as const },
      flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
      hasInstallScript: false,
      location: { file: 'package-lock.json', line: 3, column: 5 },
      dependencies: [],
    };
    const graph = createDependencyGraph({
      lockfile: { path: 'package-lock.json', format: 'npm', formatVersion: '3' },
      root: { ...node, id: '', name: 'root', source: { type: 'directory', path: '.' } },
      importers: [],
      packages: [node],
    });
    const json = JSON.stringify(inventoryOf([graph]));
    expect(json).toContain('"name":"evil\\u001b[2K\u202e"');
    expect(JSON.parse(json).lockfiles[0].packages[0].name).toBe(name);
  });

  it('is empty for no graphs', () => {
    expect(inventoryOf([])).toEqual({ schemaVersion: 1, lockfiles: [] });
  });
});
