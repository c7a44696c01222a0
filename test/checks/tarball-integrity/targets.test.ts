/**
 * Where tarball-integrity gets each entry's bytes, and which entries it leaves alone: pure
 * decisions on lockfile nodes, so every source kind and URL shape is covered without a server.
 */
import { describe, expect, it } from 'vitest';
import { targetOf, type TargetingContext } from '../../../src/checks/tarball-integrity/targets.ts';
import type { PackageNode } from '../../../src/core/graph.ts';
import type { RegistryConfig } from '../../../src/registry/registry-config.ts';
import { graphOf, type NodeSpec, sha1Of, sha512Of } from '../../helpers/graph.ts';

const MIRROR = 'https://mirror.example/npm/';
const PUBLIC_ALIAS = 'https://registry.npm.example/';
const CORP = 'https://npm.corp.example/';

const config: RegistryConfig = {
  source: 'npm',
  defaultRegistry: MIRROR,
  defaultRegistryAliases: [PUBLIC_ALIAS],
  scopes: { '@corp': CORP },
  fetchOptions: { registry: MIRROR },
  files: [],
  warnings: [],
};
const context: TargetingContext = { config, projectDir: '/work/project', lockfileDir: '/work/project' };

function node(spec: NodeSpec): PackageNode {
  const [only] = graphOf([spec]).packages;
  if (!only) throw new Error('no node');
  return only;
}

describe('tarball-integrity targets', () => {
  it("moves a URL on the public default registry's alias to the configured registry, keeping what was written", () => {
    expect(targetOf(node({ name: 'a' }), context)).toEqual({
      kind: 'verify',
      target: expect.objectContaining({ kind: 'remote', url: `${MIRROR}a/-/a-1.0.0.tgz`, writtenUrl: `${PUBLIC_ALIAS}a/-/a-1.0.0.tgz`, registry: MIRROR, algorithm: 'sha512', expected: sha512Of('a@1.0.0') }),
    });
  });

  it('keeps a URL on another registry as written, without the yarn 1 #sha1 fragment', () => {
    const resolved = `${CORP}@corp/x/-/x-2.0.0.tgz#0123456789abcdef0123456789abcdef01234567`;
    expect(targetOf(node({ name: '@corp/x', version: '2.0.0', resolved, integrity: sha1Of('x') }), context)).toEqual({
      kind: 'verify',
      target: expect.objectContaining({ kind: 'remote', url: `${CORP}@corp/x/-/x-2.0.0.tgz`, writtenUrl: undefined, registry: CORP, algorithm: 'sha1', expected: sha1Of('x') }),
    });
  });

  it("builds the configured registry's tarball address when the lockfile has no URL (pnpm, bun)", () => {
    expect(targetOf(node({ name: '@corp/y', version: '3.1.0', resolved: undefined, source: { type: 'registry' } }), context)).toEqual({
      kind: 'verify',
      target: expect.objectContaining({ kind: 'remote', url: `${CORP}@corp/y/-/y-3.1.0.tgz`, registry: CORP }),
    });
  });

  it('compares in the strongest algorithm the lockfile lists', () => {
    const integrity = `${sha1Of('z')} ${sha512Of('z')}`;
    expect(targetOf(node({ name: 'z', integrity }), context)).toEqual({ kind: 'verify', target: expect.objectContaining({ algorithm: 'sha512', expected: sha512Of('z'), integrity }) });
  });

  it('downloads remote tarballs from their URL and hashes file: tarballs inside the project', () => {
    const remote = { type: 'tarball', url: 'https://files.example/r-1.0.0.tgz' } as const;
    expect(targetOf(node({ name: 'r', source: remote, resolved: remote.url }), context)).toEqual({
      kind: 'verify',
      target: expect.objectContaining({ kind: 'remote', url: remote.url, registry: 'https://files.example/' }),
    });
    const local = { type: 'tarball', url: 'file:vendor/l-1.0.0.tgz' } as const;
    expect(targetOf(node({ name: 'l', source: local, resolved: local.url }), context)).toEqual({
      kind: 'verify',
      target: expect.objectContaining({ kind: 'local', written: local.url, relativePath: 'vendor/l-1.0.0.tgz' }),
    });
  });

  it('leaves out git sources, Berry checksums, missing integrity, tarballs outside the project and non-http URLs', () => {
    const skip = (spec: NodeSpec) => targetOf(node(spec), context);
    expect(skip({ name: 'g', source: { type: 'git', url: 'git+ssh://git@git.example/o/g.git', committish: 'abc' } })).toEqual({ kind: 'skip', reason: 'git' });
    expect(skip({ name: 'b', integrity: undefined })).toEqual({ kind: 'skip', reason: 'no-integrity' });
    expect(skip({ name: 'm', integrity: 'sha512-not-base64!' })).toEqual({ kind: 'skip', reason: 'no-integrity' });
    expect(skip({ name: 'o', source: { type: 'tarball', url: 'file:../shared/o.tgz' } })).toEqual({ kind: 'skip', reason: 'outside-project' });
    expect(skip({ name: 'f', resolved: 'ftp://files.example/f.tgz' })).toEqual({ kind: 'skip', reason: 'no-url' });
    const berry = { ...node({ name: 'y', integrity: undefined }), checksum: { kind: 'yarn-berry', value: '10c0/abc' } } as const;
    expect(targetOf(berry, context)).toEqual({ kind: 'skip', reason: 'yarn-berry-checksum' });
  });

  it('has nothing of its own to download for bundled copies and local folders', () => {
    expect(targetOf(node({ name: 'inner', flags: { bundled: true } }), context)).toEqual({ kind: 'none' });
    expect(targetOf(node({ name: 'dir', source: { type: 'directory', path: 'packages/dir' } }), context)).toEqual({ kind: 'none' });
  });
});
