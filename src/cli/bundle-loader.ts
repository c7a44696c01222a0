/**
 * Loads the CLI's CommonJS bundle (dist/bundle, written by esbuild.config.js) with V8's code
 * cache. Why: Node 20 compiles every module on every run and has no compile cache of its own
 * (`module.enableCompileCache` arrives in Node 22); compiling the ~40 modules of an audit, and
 * then each function the first time it runs, was ≈ 40 ms of every audit's fixed cost. The build
 * runs a few offline audits through this loader and saves what V8 compiled (`codeCaches()`);
 * later runs start from that bytecode.
 *
 * The cache sits in a folder named after V8's version and the CPU architecture, so another Node
 * never even reads it; V8 itself refuses a cache made under other flags (the module is then
 * compiled from source, as without a cache). The loader never writes: only the build does.
 *
 * Modules are the bundle's own files (relative `require`s between its chunks); everything else
 * (Node's built-ins, the few packages left outside the bundle) goes to Node's `require`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script, constants } from 'node:vm';

export interface BundleLoader {
  /** Where this loader looks for the code cache (for this V8 and CPU). */
  readonly codeCacheDir: string;
  /** Loads a module of the bundle by its path inside the bundle (`cli/main.js`), once. */
  load(path: string): unknown;
  /**
   * The code cache of every module loaded so far, with what V8 compiled while they ran (for the
   * build, after its warm-up audits): the file each belongs in, and its bytes.
   */
  codeCaches(): Array<{ readonly file: string; readonly data: Buffer }>;
  /** What became of each loaded module's cache (by path inside the bundle), for tests. */
  cacheUse(): Record<string, CacheUse>;
}

/** `none`: no cache file; `rejected`: V8 refused it (other flags, damaged) and compiled the source. */
export type CacheUse = 'accepted' | 'rejected' | 'none';

interface BundleModule {
  exports: unknown;
}

/** The bundle's module wrapper: the parameters Node gives a CommonJS module. */
type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: BundleModule, filename: string, dirname: string) => void;

let shared: BundleLoader | undefined;

/**
 * The loader of the bundle this file is part of (dist/bundle/loader.js). One per process, so the
 * CLI and anything a test preloads share module instances.
 */
export function bundleLoader(): BundleLoader {
  return (shared ??= createBundleLoader(dirname(fileURLToPath(import.meta.url))));
}

/** The cache folder is named after V8's version and the CPU, so another Node never reads it. */
export function codeCacheDirIn(bundleDir: string): string {
  return join(bundleDir, 'code-cache', `${process.versions.v8}-${process.arch}`);
}

export function createBundleLoader(bundleDir: string, codeCacheDir = codeCacheDirIn(bundleDir)): BundleLoader {
  verifyCodeCacheChecksums();
  const modules = new Map<string, BundleModule>();
  const scripts = new Map<string, Script>();
  const uses = new Map<string, CacheUse>();
  const cacheFileFor = (file: string): string => join(codeCacheDir, `${relative(bundleDir, file)}.cache`);

  function load(file: string): unknown {
    // Node maps stack traces through source maps only for modules its own loaders compiled, so
    // `node --enable-source-maps` (README: stack traces of `--debug` in src/) gets Node's require.
    if (process.sourceMapsEnabled) return createRequire(file)(file);
    const known = modules.get(file);
    if (known) return known.exports;
    const cachedData = readIfPresent(cacheFileFor(file));
    const script = new Script(wrap(readFileSync(file, 'utf8')), {
      filename: file,
      cachedData,
      // The build turns the bundle's `import()`s into `require`s; should a dependency left
      // outside the bundle import dynamically, it gets Node's own loader, not an error.
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    scripts.set(file, script);
    uses.set(file, cachedData === undefined ? 'none' : script.cachedDataRejected === true ? 'rejected' : 'accepted');
    const module: BundleModule = { exports: {} };
    // Registered before it runs, as Node does, so a cycle between chunks sees the partial exports.
    modules.set(file, module);
    const moduleFunction = script.runInThisContext() as ModuleFunction;
    moduleFunction.call(module.exports, module.exports, requireFor(file), module, file, dirname(file));
    return module.exports;
  }

  /** `require` for one bundle file: relative paths are bundle modules, the rest is Node's. */
  function requireFor(file: string): NodeJS.Require {
    const nodeRequire = createRequire(file);
    const directory = dirname(file);
    const bundleRequire = (id: string): unknown => (id.startsWith('./') || id.startsWith('../') ? load(resolve(directory, id)) : nodeRequire(id));
    return Object.assign(bundleRequire, { resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main, extensions: nodeRequire.extensions });
  }

  return {
    codeCacheDir,
    load: (path) => load(resolve(bundleDir, path)),
    codeCaches: () => [...scripts].map(([file, script]) => ({ file: cacheFileFor(file), data: script.createCachedData() })),
    cacheUse: () => Object.fromEntries([...uses].map(([file, use]) => [relative(bundleDir, file), use])),
  };
}

/**
 * Release builds of V8 neither write nor check the checksum of a code cache, and deserialize a
 * damaged one until they abort the process ("Fatal error ... unreachable code"). With this flag
 * V8 writes the checksum (at the build, which loads through here too) and refuses a cache that
 * does not match it; a cache made without the flag is refused as well (the flags differ), so
 * the build and the CLI must both set it, before their first compile through `node:vm`.
 */
function verifyCodeCacheChecksums(): void {
  setFlagsFromString('--verify-snapshot-checksum');
}

/** The wrapper stays on the first line, so line numbers in stack traces are the file's own. */
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    // No cache for this module or this Node: V8 compiles it from source.
    return undefined;
  }
}
