import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LockfileReadError, NoLockfileError, UnsupportedLockfileError } from '../../src/core/errors.ts';
import { findLockfiles, MAX_LOCKFILE_BYTES } from '../../src/lockfiles/detect.ts';

const LOCK = '{"lockfileVersion":3,"packages":{}}';
const SHRINKWRAP = '{"lockfileVersion":3,"packages":{"":{"name":"sw"}}}';
const isRoot = process.getuid?.() === 0;

let tmp: string;
let project: string;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pkgguard-detect-'));
  project = path.join(tmp, 'project');
  await mkdir(project);
  // Messages show paths relative to the current directory; make it the temp dir.
  vi.spyOn(process, 'cwd').mockReturnValue(tmp);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(tmp, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected findLockfiles to fail'),
    (error: unknown) => error,
  );
}

describe('findLockfiles: detection', () => {
  it('reads package-lock.json with a path relative to the project', async () => {
    await writeFile(path.join(project, 'package-lock.json'), LOCK);
    expect(await findLockfiles(project)).toEqual([
      { path: 'package-lock.json', absolutePath: path.join(project, 'package-lock.json'), text: LOCK },
    ]);
  });

  it('takes only npm-shrinkwrap.json when both npm lockfiles exist, as npm does', async () => {
    await writeFile(path.join(project, 'package-lock.json'), LOCK);
    await writeFile(path.join(project, 'npm-shrinkwrap.json'), SHRINKWRAP);
    expect(await findLockfiles(project)).toEqual([
      { path: 'npm-shrinkwrap.json', absolutePath: path.join(project, 'npm-shrinkwrap.json'), text: SHRINKWRAP },
    ]);
  });

  it('accepts a relative project directory', async () => {
    await writeFile(path.join(project, 'package-lock.json'), LOCK);
    expect((await findLockfiles('project')).map((input) => input.path)).toEqual(['package-lock.json']);
  });

  it('says which names it looked for, and where, when there is no lockfile', async () => {
    await writeFile(path.join(project, 'package.json'), '{}');
    const error = await failure(findLockfiles(project));
    expect(error).toBeInstanceOf(NoLockfileError);
    expect(error).toMatchObject({
      code: 'ENOLOCK',
      exitCode: 3,
      message: 'no lockfile found in project (looked for npm-shrinkwrap.json, package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb)',
      hints: [
        'create one without installing: npm install --package-lock-only (yarn: yarn install --mode update-lockfile; pnpm: pnpm install --lockfile-only; bun: bun install --lockfile-only)',
        'or name one explicitly: --lockfile <path>',
        'in a monorepo, look in subdirectories too: --recursive',
      ],
    });
  });

  it('calls the current directory by that name', async () => {
    const error = await failure(findLockfiles(tmp));
    expect(error).toMatchObject({
      code: 'ENOLOCK',
      message: 'no lockfile found in the current directory (looked for npm-shrinkwrap.json, package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb)',
    });
  });

  it('reports a project directory that does not exist', async () => {
    const error = await failure(findLockfiles(path.join(tmp, 'missing')));
    expect(error).toBeInstanceOf(LockfileReadError);
    expect(error).toMatchObject({ code: 'ELOCKREAD', exitCode: 3, message: 'project directory missing does not exist' });
  });

  it('reports a project "directory" that is a file', async () => {
    await writeFile(path.join(tmp, 'file.txt'), 'x');
    const error = await failure(findLockfiles(path.join(tmp, 'file.txt')));
    expect(error).toMatchObject({
      code: 'ELOCKREAD',
      message: 'file.txt is not a directory',
      hints: ['pass the project directory; to audit one file use --lockfile <path>'],
    });
  });

  it('reports a lockfile name taken by a directory', async () => {
    await mkdir(path.join(project, 'package-lock.json'));
    const error = await failure(findLockfiles(project));
    expect(error).toMatchObject({
      code: 'ELOCKREAD',
      message: 'cannot read project/package-lock.json: it is a directory, not a file',
      hints: ['remove or rename that directory, or name the real lockfile with --lockfile <path>'],
    });
  });

  it('refuses a file over the size limit', async () => {
    await writeFile(path.join(project, 'package-lock.json'), LOCK);
    const error = await failure(findLockfiles(project, { maxBytes: 10 }));
    expect(error).toBeInstanceOf(LockfileReadError);
    expect(error).toMatchObject({
      code: 'ELOCKREAD',
      message: `project/package-lock.json is ${LOCK.length} bytes, over the 10 bytes limit for a lockfile`,
    });
    expect(MAX_LOCKFILE_BYTES).toBe(512 * 1024 * 1024);
  });

  it.skipIf(isRoot)('reports an unreadable lockfile (skipped as root: root reads any file)', async () => {
    const file = path.join(project, 'package-lock.json');
    await writeFile(file, LOCK);
    await chmod(file, 0o000);
    const error = await failure(findLockfiles(project));
    expect(error).toMatchObject({
      code: 'ELOCKREAD',
      message: 'cannot read project/package-lock.json: permission denied',
      hints: ['check the permissions of the file and of its directories'],
    });
  });
});

describe('findLockfiles: --lockfile', () => {
  it('reads the named file instead of detecting, even beside a shrinkwrap', async () => {
    await writeFile(path.join(project, 'package-lock.json'), LOCK);
    await writeFile(path.join(project, 'npm-shrinkwrap.json'), SHRINKWRAP);
    const inputs = await findLockfiles(project, { lockfile: path.join(project, 'package-lock.json') });
    expect(inputs.map((input) => [input.path, input.text])).toEqual([['package-lock.json', LOCK]]);
  });

  it('resolves a relative name against the current directory and keeps subfolders in the path', async () => {
    await mkdir(path.join(project, 'sub'));
    await writeFile(path.join(project, 'sub', 'package-lock.json'), LOCK);
    const inputs = await findLockfiles(project, { lockfile: 'project/sub/package-lock.json' });
    expect(inputs.map((input) => [input.path, input.absolutePath])).toEqual([
      ['sub/package-lock.json', path.join(project, 'sub', 'package-lock.json')],
    ]);
  });

  it('gives a file outside the project a path relative to the project', async () => {
    await mkdir(path.join(tmp, 'elsewhere'));
    await writeFile(path.join(tmp, 'elsewhere', 'npm-shrinkwrap.json'), SHRINKWRAP);
    const inputs = await findLockfiles(project, { lockfile: path.join(tmp, 'elsewhere', 'npm-shrinkwrap.json') });
    expect(inputs.map((input) => input.path)).toEqual(['../elsewhere/npm-shrinkwrap.json']);
  });

  it('does not need the project directory to exist', async () => {
    await writeFile(path.join(tmp, 'package-lock.json'), LOCK);
    const inputs = await findLockfiles(path.join(tmp, 'nowhere'), { lockfile: path.join(tmp, 'package-lock.json') });
    expect(inputs.map((input) => input.path)).toEqual(['../package-lock.json']);
  });

  it('reports a named file that does not exist', async () => {
    const error = await failure(findLockfiles(project, { lockfile: 'project/package-lock.json' }));
    expect(error).toBeInstanceOf(LockfileReadError);
    expect(error).toMatchObject({
      code: 'ELOCKREAD',
      exitCode: 3,
      message: 'cannot read project/package-lock.json: no such file',
      hints: ['check the path given to --lockfile'],
    });
  });

  it('rejects a file name no parser reads, listing the supported names', async () => {
    await writeFile(path.join(project, 'deps.lock'), 'binary');
    const error = await failure(findLockfiles(project, { lockfile: path.join(project, 'deps.lock') }));
    expect(error).toBeInstanceOf(UnsupportedLockfileError);
    expect(error).toMatchObject({
      code: 'ELOCKVERSION',
      exitCode: 3,
      message: 'project/deps.lock: not a lockfile name pkgguard reads (supported: npm-shrinkwrap.json, package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb)',
      hints: ['pkgguard picks the parser by file name; keep the lockfile under its usual name'],
    });
  });
});
