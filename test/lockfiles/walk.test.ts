import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoLockfileError } from '../../src/core/errors.ts';
import { findLockfiles } from '../../src/lockfiles/detect.ts';
import { projectDirectories } from '../../src/lockfiles/walk.ts';

const LOCK = '{ "name": "x", "lockfileVersion": 3, "requires": true, "packages": { "": { "name": "x" } } }\n';
let root: string;

/** Writes files (path → content) below `root`. */
async function tree(files: Record<string, string>): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'pkgguard-walk-'));
  await tree({
    'package-lock.json': LOCK,
    '.gitignore': 'build/\n*.tmp/\n',
    'apps/web/package-lock.json': LOCK,
    'apps/web/yarn.lock': '# yarn lockfile v1\n\n\n',
    'apps/legacy/.gitignore': 'vendor\n',
    'apps/legacy/vendor/package-lock.json': LOCK,
    'apps/legacy/package-lock.json': LOCK,
    'build/package-lock.json': LOCK,
    'cache.tmp/package-lock.json': LOCK,
    'node_modules/dep/package-lock.json': LOCK,
    'packages/a/node_modules/b/package-lock.json': LOCK,
    '.git/package-lock.json': LOCK,
    'packages/a/package.json': '{}',
  });
  await symlink(path.join(root, 'apps'), path.join(root, 'packages', 'link-to-apps'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('projectDirectories', () => {
  it('walks sorted and depth-first, skipping node_modules, .git, symlinks and .gitignore\'d directories', async () => {
    const dirs = (await projectDirectories(root)).map((dir) => path.relative(root, dir).split(path.sep).join('/'));
    expect(dirs).toEqual(['', 'apps', 'apps/legacy', 'apps/web', 'packages', 'packages/a']);
  });
});

describe('findLockfiles --recursive', () => {
  it('finds every lockfile of the monorepo, each with its path relative to the project', async () => {
    const found = await findLockfiles(root, { recursive: true });
    expect(found.map((input) => input.path)).toEqual([
      'package-lock.json',
      'apps/legacy/package-lock.json',
      'apps/web/package-lock.json',
      'apps/web/yarn.lock',
    ]);
  });

  it('without --recursive reads only the project directory', async () => {
    expect((await findLockfiles(root)).map((input) => input.path)).toEqual(['package-lock.json']);
  });

  it('says it looked below the directory when nothing is found', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'pkgguard-walk-empty-'));
    try {
      await mkdir(path.join(empty, 'sub', 'node_modules', 'x'), { recursive: true });
      await writeFile(path.join(empty, 'sub', 'node_modules', 'x', 'package-lock.json'), LOCK);
      const error = await findLockfiles(empty, { recursive: true }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(NoLockfileError);
      expect((error as Error).message).toMatch(/^no lockfile found in .* or below it \(looked for /);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
