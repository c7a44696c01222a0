/**
 * yarn 1's own default registry, read from the yarn 1 the user has installed.
 *
 * yarn classic downloads from its own alias host of npm's registry (it even rewrites npm's
 * default registry to it), so a yarn 1 lockfile names that host in every `resolved` URL. Like
 * npm's default, which comes from npm's definitions (npm-config.ts), yarn's default comes from
 * yarn itself: the `YARN_REGISTRY` constant of its `lib/cli.js`, the single bundle every yarn 1
 * release ships. pkgguard never writes the host.
 *
 * Lookup, as the user's shell would: `yarn` (then Debian's `yarnpkg`) on PATH, followed through
 * symlinks to the package that owns it (npm's global `bin/yarn` links to
 * `<prefix>/lib/node_modules/yarn/bin/yarn.js`); on Windows the `.cmd` shim sits next to
 * `node_modules/yarn`. A corepack shim is not yarn 1; corepack's own cache of yarn 1 releases is
 * tried next. Last, for machines with no yarn 1 at all (a CI image with node only, auditing a
 * yarn.lock): @yarnpkg/lockfile, yarn 1's lockfile library that the yarn team builds from yarn 1's
 * sources, carries the same constants module, so the same constant is read from it. Without that
 * last step every package of such a lockfile looked private ("resolved from a non-default
 * registry") and the network checks withheld them all. Nothing is executed.
 */
import { createRequire } from 'node:module';
import { open, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { normalizeRegistryUrl } from './registry-config.ts';

export interface YarnClassicLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly platform: string;
  /** false: do not fall back to @yarnpkg/lockfile's copy of the constant (tests of "no yarn 1 anywhere"). */
  readonly packagedFallback?: boolean | undefined;
}

export interface YarnClassicDefault {
  /** yarn 1's default registry, normalised with a trailing slash. */
  readonly registry: string;
  /** The `lib/cli.js` (or @yarnpkg/lockfile's `index.js`) it was read from. */
  readonly file: string;
}

/** The constant as yarn's Babel build writes it: `var YARN_REGISTRY = exports.YARN_REGISTRY = '<url>';`. */
const YARN_REGISTRY_CONSTANT = /\bYARN_REGISTRY\s*=\s*(?:exports\.YARN_REGISTRY\s*=\s*)?(['"])(https?:\/\/[^'"\s]+)\1/;
/**
 * The constant sits near the start of the 5.3 MB bundle (byte 75,477 in 1.22.22); reading only
 * the head keeps the lookup at a few milliseconds.
 */
const SCAN_BYTES = 256 * 1024;
const COMMANDS = ['yarn', 'yarnpkg'] as const;

/** yarn 1's default registry, or undefined when no yarn 1 is installed where the user's PATH or corepack would find it. */
export async function findYarnClassicDefaultRegistry(lookup: YarnClassicLookup): Promise<YarnClassicDefault | undefined> {
  for (const root of await candidatePackageRoots(lookup)) {
    const found = await readDefaultRegistry(root);
    if (found) return found;
  }
  return lookup.packagedFallback === false ? undefined : readPackagedDefaultRegistry();
}

/** yarn 1's constant as @yarnpkg/lockfile (a dependency of pkgguard) carries it; undefined if that cannot be read. */
export async function readPackagedDefaultRegistry(): Promise<YarnClassicDefault | undefined> {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve('@yarnpkg/lockfile');
  } catch {
    return undefined;
  }
  return registryConstantIn(file);
}

/** The yarn 1 package folder at `root` (holding package.json and lib/cli.js), read; undefined when it is not one. */
export async function readDefaultRegistry(root: string): Promise<YarnClassicDefault | undefined> {
  if (!(await isYarnClassicPackage(root))) return undefined;
  return registryConstantIn(path.join(root, 'lib', 'cli.js'));
}

async function registryConstantIn(file: string): Promise<YarnClassicDefault | undefined> {
  const head = await readHead(file, SCAN_BYTES);
  const url = head === undefined ? undefined : YARN_REGISTRY_CONSTANT.exec(head)?.[2];
  const registry = url === undefined ? undefined : normalizeRegistryUrl(url);
  return registry === undefined ? undefined : { registry, file };
}

async function candidatePackageRoots(lookup: YarnClassicLookup): Promise<string[]> {
  // The file system is the host's, so paths are joined with the host's `path`; only PATH's
  // separator follows the platform being described.
  const roots: string[] = [];
  const pathValue = lookup.env['PATH'] ?? lookup.env['Path'] ?? '';
  const directories = pathValue.split(lookup.platform === 'win32' ? ';' : ':').filter((dir) => dir !== '');
  for (const command of COMMANDS) {
    for (const directory of directories) {
      if (lookup.platform === 'win32') {
        // npm's Windows shims (`yarn.cmd`) sit next to the package they start.
        roots.push(path.join(directory, 'node_modules', 'yarn'));
        continue;
      }
      const real = await realpathOrUndefined(path.join(directory, command));
      // `<package>/bin/yarn.js` (or `bin/yarn`): the package is the folder above `bin`.
      if (real !== undefined) roots.push(path.dirname(path.dirname(real)));
    }
  }
  roots.push(...(await corepackYarnClassicRoots(lookup)));
  return [...new Set(roots)];
}

/** corepack keeps each yarn it downloaded in `<COREPACK_HOME>/v1/yarn/<version>/`, newest tried first. */
async function corepackYarnClassicRoots(lookup: YarnClassicLookup): Promise<string[]> {
  // corepack's getCorepackHomeFolder(), to the letter.
  const cacheRoot =
    lookup.env['XDG_CACHE_HOME'] ??
    lookup.env['LOCALAPPDATA'] ??
    path.join(lookup.homedir, lookup.platform === 'win32' ? 'AppData/Local' : '.cache');
  const home = lookup.env['COREPACK_HOME'] ?? path.join(cacheRoot, 'node/corepack');
  const yarnDir = path.join(home, 'v1', 'yarn');
  let versions: string[];
  try {
    versions = await readdir(yarnDir);
  } catch {
    return [];
  }
  return versions
    .filter((version) => /^1\.\d+\.\d+(?:\+|$)/.test(version))
    .sort((a, b) => compareVersions(b, a))
    .map((version) => path.join(yarnDir, version));
}

async function isYarnClassicPackage(root: string): Promise<boolean> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  } catch {
    return false;
  }
  if (typeof manifest !== 'object' || manifest === null) return false;
  const { name, version } = manifest as { name?: unknown; version?: unknown };
  return name === 'yarn' && typeof version === 'string' && version.startsWith('1.');
}

async function readHead(file: string, bytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function realpathOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

function compareVersions(a: string, b: string): number {
  const left = numbersOf(a);
  const right = numbersOf(b);
  for (let i = 0; i < 3; i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** `1.22.22` or corepack's `1.22.22+sha224.<hash>` as numbers. */
function numbersOf(version: string): number[] {
  return (version.split('+', 1)[0] ?? '').split('.').map(Number);
}
