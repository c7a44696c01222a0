/**
 * A throwaway machine for configuration tests: a home directory, a global prefix
 * (`<prefix>/etc/npmrc`, found from a fake node at `<prefix>/bin/node`), a project with a
 * package.json, and no builtin npmrc. Nothing of the real user's configuration leaks in, because
 * every path and the whole environment are passed explicitly.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LoadRegistryConfigOptions, loadRegistryConfig } from '../../src/registry/npm-config.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';

export interface ConfigSandbox {
  readonly root: string;
  readonly home: string;
  readonly prefix: string;
  readonly project: string;
  /** Writes a file relative to the sandbox root, creating directories. */
  write(relative: string, text: string): Promise<string>;
  load(options?: Partial<LoadRegistryConfigOptions>): Promise<RegistryConfig>;
  remove(): Promise<void>;
}

export async function createConfigSandbox(): Promise<ConfigSandbox> {
  const root = await mkdtemp(path.join(tmpdir(), 'pkgguard-config-'));
  const sandbox: ConfigSandbox = {
    root,
    home: path.join(root, 'home'),
    prefix: path.join(root, 'prefix'),
    project: path.join(root, 'work', 'project'),
    async write(relative, text) {
      const file = path.join(root, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    load(options = {}) {
      return loadRegistryConfig({
        projectDir: sandbox.project,
        env: {},
        homedir: sandbox.home,
        platform: 'linux',
        execPath: path.join(sandbox.prefix, 'bin', 'node'),
        npmPath: path.join(root, 'npm'),
        ...options,
      });
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
  await mkdir(sandbox.home, { recursive: true });
  await sandbox.write('work/project/package.json', '{ "name": "project", "version": "1.0.0" }\n');
  return sandbox;
}
