/**
 * Runs the dependency-confusion check on a copy of a fixture project, for real: the project's
 * .npmrc / .yarnrc.yml and pkgguard config through audit(), with the fixture's two hosts pointed
 * at a "public" and a "private" registry on 127.0.0.1, and an empty home, so nothing of the
 * machine's own npm configuration applies. Every request either registry receives is recorded.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { audit, type AuditOptions } from '../../../src/audit.ts';
import type { AuditResult } from '../../../src/core/reporter.ts';
import { type FakeRegistry, servePackuments, startFakeRegistry } from '../../registry/fake-registry.ts';
import { PRIVATE_HOST_URL, PUBLIC_HOST_URL, packumentsFor, readCatalogue } from '../../scripts/dependency-confusion-registries.js';
import { REPO_ROOT } from '../../helpers/check-tester.ts';

export const SCENARIOS = path.join(REPO_ROOT, 'fixtures', 'projects', 'dependency-confusion');

export interface Registries {
  readonly public: FakeRegistry;
  readonly private: FakeRegistry;
  close(): Promise<void>;
}

/**
 * Both registries for a whole test file, with their request logs cleared before each test. The
 * returned object is filled in by `beforeAll`, so tests read it as if it were the registries.
 */
export function useRegistries(): Registries {
  let started: Registries | undefined;
  const registries: Registries = {
    get public() {
      return started!.public;
    },
    get private() {
      return started!.private;
    },
    close: () => started?.close() ?? Promise.resolve(),
  };
  beforeAll(async () => {
    started = await startRegistries();
  });
  afterAll(() => registries.close());
  beforeEach(() => {
    registries.public.requests.length = 0;
    registries.private.requests.length = 0;
  });
  return registries;
}

export async function startRegistries(): Promise<Registries> {
  const catalogue = readCatalogue();
  const publicRegistry = await startFakeRegistry();
  const privateRegistry = await startFakeRegistry();
  publicRegistry.handle(servePackuments(packumentsFor(catalogue.public, publicRegistry.url)));
  privateRegistry.handle(servePackuments(packumentsFor(catalogue.private, privateRegistry.url)));
  return {
    public: publicRegistry,
    private: privateRegistry,
    close: async () => {
      await Promise.all([publicRegistry.close(), privateRegistry.close()]);
    },
  };
}

export interface Sandbox {
  readonly root: string;
  readonly project: string;
  /** Replaces the fixture hosts by the registries' addresses in a text. */
  localize(text: string): string;
  /** Writes a file of the project (text localized). */
  write(relative: string, text: string): Promise<void>;
  run(options?: AuditOptions): Promise<AuditResult>;
  remove(): Promise<void>;
}

/** Copies `source` (a scenario name, or an absolute directory) into a fresh sandbox with hosts pointed at `registries`. */
export async function sandboxOf(source: string, registries: Registries): Promise<Sandbox> {
  const root = await mkdtemp(path.join(tmpdir(), 'pkgguard-confusion-'));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  await mkdir(home, { recursive: true });
  await cp(path.isAbsolute(source) ? source : path.join(SCENARIOS, source), project, { recursive: true });
  const localize = (text: string): string =>
    text.replaceAll(PUBLIC_HOST_URL, registries.public.url).replaceAll(PRIVATE_HOST_URL, registries.private.url);
  for (const entry of await readdir(project, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    await writeFile(file, localize(await readFile(file, 'utf8')));
  }
  return {
    root,
    project,
    localize,
    write: async (relative, text) => {
      await mkdir(path.dirname(path.join(project, relative)), { recursive: true });
      await writeFile(path.join(project, relative), localize(text));
    },
    run: (options = {}) =>
      audit({
        dir: project,
        checks: ['dependency-confusion'],
        environment: { env: {}, homedir: home, platform: 'linux', execPath: path.join(root, 'prefix', 'bin', 'node') },
        cacheDir: path.join(root, 'cache'),
        registryClient: { retries: 1, retryDelayMs: 1, timeoutMs: 2000 },
        now: new Date('2026-12-06T00:00:00Z'),
        ...options,
      }),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
