import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockfileReadError } from '../../src/core/errors.ts';
import { readProjectManifests } from '../../src/lockfiles/manifest-read.ts';

let base: string;

/** Writes files (path → content) below `dir`. */
async function tree(dir: string, files: Record<string, string>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

const pkg = (name: string): string => JSON.stringify({ name, version: '1.0.0' });
const folders = async (dir: string): Promise<string[] | undefined> =>
  (await readProjectManifests(dir, ''))?.workspaces.map((workspace) => `${workspace.path}=${workspace.manifest.name ?? '-'}`);

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'pkgguard-manifests-'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('readProjectManifests: which folders are workspaces', () => {
  it('expands `*` one level below its prefix, skipping folders without package.json, node_modules and dot folders', async () => {
    const dir = await tree(path.join(base, 'star'), {
      'package.json': JSON.stringify({ name: 'root', workspaces: ['packages/*'] }),
      'packages/b/package.json': pkg('b'),
      'packages/a/package.json': pkg('a'),
      'packages/a/nested/package.json': pkg('nested'),
      'packages/empty/README.md': '',
      'packages/.hidden/package.json': pkg('hidden'),
      'packages/node_modules/package.json': pkg('nm'),
      'other/package.json': pkg('other'),
    });
    expect(await folders(dir)).toEqual(['packages/a=a', 'packages/b=b']);
  });

  it("reads yarn's `{ packages: [...] }` form, `**`, literal folders and negations", async () => {
    const dir = await tree(path.join(base, 'object'), {
      'package.json': JSON.stringify({ workspaces: { packages: ['apps/**', 'tools/cli', '!apps/legacy', 7], nohoist: ['**/x'] } }),
      'apps/web/package.json': pkg('web'),
      'apps/web/sub/deep/package.json': pkg('deep'),
      'apps/web/node_modules/dep/package.json': pkg('dep'),
      'apps/legacy/package.json': pkg('legacy'),
      'tools/cli/package.json': pkg('cli'),
      'tools/other/package.json': pkg('other'),
    });
    expect(await folders(dir)).toEqual(['apps/web=web', 'apps/web/sub/deep=deep', 'tools/cli=cli']);
  });

  it('does not follow symbolic links or leave the project', async () => {
    const dir = await tree(path.join(base, 'links'), {
      'package.json': JSON.stringify({ workspaces: ['packages/*', '../outside/*'] }),
      'packages/real/package.json': pkg('real'),
    });
    await tree(path.join(base, 'outside'), { 'x/package.json': pkg('x') });
    await symlink(path.join(dir, 'packages', 'real'), path.join(dir, 'packages', 'alias'));
    expect(await folders(dir)).toEqual(['packages/real=real']);
  });

  it('gives no workspaces without a `workspaces` field, and nothing at all without package.json', async () => {
    const plain = await tree(path.join(base, 'plain'), { 'package.json': pkg('plain'), 'packages/a/package.json': pkg('a') });
    expect(await readProjectManifests(plain, '')).toEqual({ root: { name: 'plain', version: '1.0.0', dependencies: [] }, workspaces: [] });
    expect(await readProjectManifests(path.join(base, 'missing'), '')).toBeUndefined();
  });
});

describe('readProjectManifests: broken files', () => {
  it('refuses an invalid package.json with one line naming it (exit 3)', async () => {
    const dir = await tree(path.join(base, 'broken'), {
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/a/package.json': '{ "name": "a", }',
    });
    const error = await readProjectManifests(dir, 'sub').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LockfileReadError);
    expect(error).toMatchObject({ exitCode: 3 });
    expect((error as Error).message).toMatch(/^sub\/packages\/a\/package\.json is not valid JSON: [^\n]+$/);
  });
});
