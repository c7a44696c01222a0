import { describe, expect, it } from 'vitest';
import { displayUrl, downloadOf } from '../../../src/checks/lockfile-source/download.ts';
import type { PackageNode, PackageSource } from '../../../src/core/graph.ts';

const node = (source: PackageSource, resolved?: string): PackageNode => ({
  id: 'x',
  name: 'x',
  version: '1.0.0',
  source,
  resolved,
  flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
  hasInstallScript: false,
  location: { file: 'package-lock.json', line: 1, column: 1 },
  dependencies: [],
});

describe('downloadOf', () => {
  it.each([
    ['https://R.Example:443/x/-/x-1.0.0.tgz', 'registry', 'https:', 'r.example', 'secure'],
    ['https://r.example:8443/x/-/x-1.0.0.tgz', 'registry', 'https:', 'r.example:8443', 'secure'],
    ['http://r.example/x/-/x-1.0.0.tgz', 'registry', 'http:', 'r.example', 'insecure'],
    ['http://localhost:4873/x/-/x-1.0.0.tgz', 'registry', 'http:', 'localhost:4873', 'secure'],
    ['http://127.0.0.1:4873/x/-/x-1.0.0.tgz', 'registry', 'http:', '127.0.0.1:4873', 'secure'],
    ['https://user:token@r.example/x/-/x-1.0.0.tgz', 'registry', 'https:', 'r.example', 'secure'],
  ] as const)('registry %s', (url, kind, scheme, host, transport) => {
    expect(downloadOf(node({ type: 'registry', url }, url))).toEqual({ kind, url, scheme, host, transport });
  });

  it.each([
    ['git+ssh://git@git.example:team/repo.git', 'git+ssh:', 'git.example', 'secure'],
    ['git+ssh://git@git.example:2222/team/repo.git', 'git+ssh:', 'git.example:2222', 'secure'],
    ['git+https://git.example/team/repo.git', 'git+https:', 'git.example', 'secure'],
    ['git://git.example/repo.git', 'git:', 'git.example', 'insecure'],
    ['git+http://git.example/repo.git', 'git+http:', 'git.example', 'insecure'],
    ['github:owner/repo', 'github:', 'github.com', 'secure'],
    ['git+file:///srv/git/repo.git', 'git+file:', undefined, 'local'],
  ] as const)('git %s', (url, scheme, host, transport) => {
    expect(downloadOf(node({ type: 'git', url, committish: 'main' }))).toEqual({ kind: 'git', url, scheme, host, transport });
  });

  it('has nothing to judge for URL-less registry entries and local sources', () => {
    expect(downloadOf(node({ type: 'registry' }))).toBeUndefined();
    expect(downloadOf(node({ type: 'tarball', url: 'file:vendor/x-1.0.0.tgz' }))).toBeUndefined();
    expect(downloadOf(node({ type: 'directory', path: 'vendor/x' }))).toBeUndefined();
  });

  it('treats a value without a scheme as an insecure download', () => {
    expect(downloadOf(node({ type: 'tarball', url: 'vendor/x.tgz' }))).toEqual({ kind: 'tarball', url: 'vendor/x.tgz', scheme: '', host: undefined, transport: 'insecure' });
  });
});

describe('displayUrl', () => {
  it.each([
    ['https://user:token@r.example/x/-/x-1.0.0.tgz?t=1#sha', 'https://r.example/x/-/x-1.0.0.tgz'],
    ['git+ssh://git@git.example:team/repo.git#main', 'git+ssh://git.example:team/repo.git'],
    ['git+ssh://deploy:secret@git.example:team/repo.git', 'git+ssh://git.example:team/repo.git'],
  ])('%s → %s', (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });
});
