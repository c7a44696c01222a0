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
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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
  configureV8();
  const modules = new Map<string, BundleModule>();
  const scripts = new Map<string, Script>();
  const uses = new Map<string, CacheUse>();
  const files = new ScratchReader();
  const bundlePrefix = bundleDir.endsWith(sep) ? bundleDir : bundleDir + sep;
  const cachePrefix = codeCacheDir.endsWith(sep) ? codeCacheDir : codeCacheDir + sep;
  // Concatenated for the bundle's own files (all of them, in practice): `join` and `relative`
  // normalise whole paths, ≈ 4 ms over the ~40 modules of an audit, cold.
  const cacheFileFor = (file: string): string =>
    file.startsWith(bundlePrefix) && isAbsolute(bundleDir) ? `${cachePrefix}${file.slice(bundlePrefix.length)}.cache` : join(codeCacheDir, `${relative(bundleDir, file)}.cache`);

  function load(file: string): unknown {
    // Node maps stack traces through source maps only for modules its own loaders compiled, so
    // `node --enable-source-maps` (README: stack traces of `--debug` in src/) gets Node's require.
    if (process.sourceMapsEnabled) return createRequire(file)(file);
    const known = modules.get(file);
    if (known) return known.exports;
    // The source first: the cache is read into the same buffer, which V8 is done with once the
    // script is compiled.
    const source = files.readWrapped(file);
    const cachedData = files.readIfPresent(cacheFileFor(file));
    const script = new Script(source, {
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
    const bundleRequire = (id: string): unknown => (id.startsWith('./') || id.startsWith('../') ? load(bundlePath(directory, id)) : nodeRequire(id));
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
 * V8 settings of every process that runs the bundle. They go through this one function because
 * V8 keeps a hash of its flags in every code cache and refuses a cache made under other flags:
 * the build (which loads through here too) and the CLI must set the same ones, before their
 * first compile through `node:vm`.
 *
 * - `--verify-snapshot-checksum`: release builds of V8 neither write nor check the checksum of
 *   a code cache, and deserialize a damaged one until they abort the process ("Fatal error ...
 *   unreachable code"). With it V8 writes the checksum at the build and refuses a cache that
 *   does not match it.
 * - `--semi-space-growth-factor=1`: the young generation stays at the size it starts with
 *   instead of doubling after busy collections. A run of the CLI is short and most of what it
 *   allocates lives until the end (the graph) or dies at once; doubling the young generation
 *   bought fewer collections but cost fresh memory, and touching a fresh page is what costs:
 *   an offline audit of a 7,758-entry bun.lock touched ≈ 15,000 pages with it and ≈ 11,000
 *   without (measured with /usr/bin/time on a VM whose first touch of a page costs ≈ 12 µs).
 * - `--interrupt-budget=1048576` (16 times V8's default): how much a function must run before
 *   V8 hands it to TurboFan, its optimizing compiler. With the default, a short audit queued
 *   dozens of functions that had just warmed up: TurboFan compiled them on a second thread for
 *   ≈ 150–250 ms of CPU per audit, which competed with the garbage collector's parallel work on
 *   a 2-core machine, and the optimized code arrived too late to pay back (main-thread CPU was
 *   the same with TurboFan off). Measured on the bench lockfiles (11 interleaved runs): sink/bun
 *   335 → 269 ms median wall, bun-large 480 → 416, pnpm-large 495 → 443, sink/npm 365 → 306,
 *   CPU −30–40%. Code that really is hot, as in a 31,000-entry lockfile, is still optimized:
 *   its main-thread time did not change.
 */
function configureV8(): void {
  setFlagsFromString('--verify-snapshot-checksum');
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--interrupt-budget=1048576');
}

/**
 * `path.resolve(directory, id)` for the ids esbuild writes between chunks (`./chunk-X.js`,
 * `../chunks/chunk-X.js`): an audit makes a few hundred such requires, and `resolve` (which
 * asks for the working directory and normalises the whole path each time) showed in cold
 * profiles. Anything else, or a directory that is not absolute, goes through `resolve`.
 */
export function bundlePath(directory: string, id: string): string {
  let base = directory;
  let rest = id.startsWith('./') ? id.slice(2) : id;
  while (rest.startsWith('../')) {
    base = dirname(base);
    rest = rest.slice(3);
  }
  // Plain names only (no ".", "..", empty or odd segments), below an absolute folder that is not
  // the file system's root: then joining is what `resolve` returns, since the loader's folders
  // come from `resolve` themselves (a module's folder is the `dirname` of its resolved path).
  if (!PLAIN_RELATIVE.test(rest) || !isAbsolute(base) || base.endsWith(sep)) return resolve(directory, id);
  return base + sep + (sep === '/' ? rest : rest.replaceAll('/', sep));
}
const PLAIN_RELATIVE = /^(?:[\w-][\w.-]*\/)*[\w-][\w.-]*$/;

/** The parameters Node gives a CommonJS module; the wrapper stays on the first line, so line numbers in stack traces are the file's own. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_END = '\n})';

/**
 * Reads the bundle's files into one buffer that every read reuses. Why: on the machines we
 * measure, touching a fresh page of memory costs more than reading the file into it, and
 * `readFileSync` allocates a new buffer for every file (and, for text, decodes from a second
 * one); then wrapping the source in the module function made V8 copy it once more. Here each
 * module's source becomes one flat string, wrapper included, and its code cache a view of the
 * buffer, read after the source has been decoded.
 */
class ScratchReader {
  #buffer = Buffer.allocUnsafeSlow(256 * 1024);

  /** The file's source inside the CommonJS wrapper, as one string. */
  readWrapped(file: string): string {
    const start = this.#buffer.write(WRAPPER_START, 0, 'latin1');
    const end = this.#readAt(file, start);
    if (this.#buffer.length - end < WRAPPER_END.length) this.#grow(end, end + WRAPPER_END.length);
    const length = end + this.#buffer.write(WRAPPER_END, end, 'latin1');
    return this.#buffer.toString('utf8', 0, length);
  }

  /** The file's bytes, valid until the next read; undefined when it cannot be read. */
  readIfPresent(file: string): Buffer | undefined {
    try {
      // Read first: the read may replace the buffer with a larger one.
      const end = this.#readAt(file, 0);
      return this.#buffer.subarray(0, end);
    } catch {
      // No cache for this module or this Node: V8 compiles it from source.
      return undefined;
    }
  }

  /** Reads the whole file into the buffer from `offset` on; returns where its bytes end. */
  #readAt(file: string, offset: number): number {
    const fd = openSync(file, 'r');
    try {
      let end = offset;
      for (;;) {
        if (end === this.#buffer.length) this.#grow(end, end * 2);
        const read = readSync(fd, this.#buffer, end, this.#buffer.length - end, null);
        if (read === 0) return end;
        end += read;
      }
    } finally {
      closeSync(fd);
    }
  }

  #grow(keep: number, size: number): void {
    const larger = Buffer.allocUnsafeSlow(size);
    this.#buffer.copy(larger, 0, 0, keep);
    this.#buffer = larger;
  }
}
