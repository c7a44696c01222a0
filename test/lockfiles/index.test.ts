import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UnsupportedLockfileError } from '../../src/core/errors.ts';
import type { LockfileParser } from '../../src/core/parser.ts';
import { knownLockfileNames, loadLockfiles, LOCKFILE_PARSERS, parseLockfile, parserFor } from '../../src/lockfiles/index.ts';
import npm from '../../src/lockfiles/npm.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/npm/', import.meta.url));

describe('the parser table', () => {
  it('lists every format, and the known names in detection order', () => {
    expect(LOCKFILE_PARSERS.map((parser) => parser.format)).toEqual(['npm', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun']);
    expect(LOCKFILE_PARSERS[0]).toBe(npm);
    expect(knownLockfileNames()).toEqual(['npm-shrinkwrap.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb']);
  });

  it('lists a name shared by two parsers once', () => {
    const sniffing = (format: LockfileParser['format'], marker: string): LockfileParser => ({
      format,
      filenames: ['yarn.lock'],
      accepts: (input) => input.text.includes(marker),
      parse: () => Promise.reject(new Error('not used')),
    });
    expect(knownLockfileNames([npm, sniffing('yarn-classic', '# yarn lockfile v1'), sniffing('yarn-berry', '__metadata')])).toEqual([
      'npm-shrinkwrap.json',
      'package-lock.json',
      'yarn.lock',
    ]);
  });
});

describe('parseLockfile', () => {
  it('picks the parser by base name, in any folder', async () => {
    const input = { path: 'sub/package-lock.json', absolutePath: '/nowhere/sub/package-lock.json', text: '{"lockfileVersion":3}' };
    expect(parserFor(input)).toBe(npm);
    const graph = await parseLockfile(input);
    expect(graph.lockfile).toEqual({ path: 'sub/package-lock.json', format: 'npm', formatVersion: '3' });
  });

  it('rejects a file name no parser claims', async () => {
    const input = { path: 'deps.json', absolutePath: '/nowhere/deps.json', text: '{}' };
    await expect(parseLockfile(input)).rejects.toThrow(UnsupportedLockfileError);
    await expect(parseLockfile(input)).rejects.toMatchObject({
      code: 'ELOCKVERSION',
      exitCode: 3,
      message: 'deps.json: not a lockfile name pkgguard reads (supported: npm-shrinkwrap.json, package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb)',
    });
  });
});

describe('loadLockfiles', () => {
  it('detects and parses a project’s lockfile', async () => {
    const graphs = await loadLockfiles(`${FIXTURES}shrinkwrap`);
    expect(graphs.map((graph) => [graph.lockfile.path, graph.root.name, graph.packages.length])).toEqual([
      ['npm-shrinkwrap.json', 'fixture-shrinkwrap', 5],
    ]);
  });

  it('parses the file named by --lockfile', async () => {
    const graphs = await loadLockfiles(FIXTURES, { lockfile: `${FIXTURES}v2/package-lock.json` });
    expect(graphs.map((graph) => [graph.lockfile.path, graph.lockfile.formatVersion])).toEqual([['v2/package-lock.json', '2']]);
  });
});
