/**
 * Where a pnpm lockfile entry comes from, read off its `resolution` as pnpm writes it:
 *
 *   {integrity}                         a package of the configured registry (pnpm omits the URL)
 *   {integrity?, tarball}               a tarball URL, or a registry's when it has one's shape
 *   {type: git, repo, commit}           a git repository at a commit
 *   {type: directory, directory}        a local folder (`file:` dependencies)
 *
 * The integrity stays exactly as written (an SRI string; pnpm 9 keeps the sha1 of old
 * packages): the integrity check judges it. A `type` pkgguard does not know is an error, never
 * read as a registry package.
 *
 * pnpm 10's managed runtimes (`node@runtime:22.11.0`, also `bun@runtime:`/`deno@runtime:`,
 * from `devEngines.runtime`) are no packages: their resolution is `{type: variations,
 * variants: [...]}`, one `{type: binary, url, integrity}` download per platform from the
 * runtime's own release site. No npm registry, advisory database or lockfile source rule
 * describes them, and the graph has no source for a per-platform binary, so the parser leaves
 * them out (`isManagedRuntime`); the edge from the importer stays, with its `runtime:` spec and
 * no target, which says what it is.
 */
import type { PackageSource } from '../core/graph.ts';
import { isRecord } from './json-value.ts';
import { sourceFromResolved } from './npm-source.ts';
import { infoPlaceOf, labelOf, type EntryReader, type LockfileEntry } from './pnpm-entries.ts';

export interface Resolution {
  readonly source: PackageSource;
  /** The tarball URL as written; pnpm writes none for registry packages. */
  readonly resolved: string | undefined;
  readonly integrity: string | undefined;
}

/** The configured registry's source, shared by every package from it: thousands of equal objects would only feed the collector. */
const REGISTRY: PackageSource = Object.freeze({ type: 'registry' });

export function resolutionOf(entry: LockfileEntry, reader: EntryReader): Resolution {
  const value = entry.info['resolution'];
  // Nearly every entry is a registry package with `{integrity}` alone: read without the
  // general path's closure and checks, which ran once per entry.
  if (isRecord(value)) {
    const integrity = value['integrity'];
    if (typeof integrity === 'string' && value['tarball'] === undefined && value['type'] === undefined) return { source: REGISTRY, resolved: undefined, integrity };
  }
  const { at } = entry;
  const place = infoPlaceOf(entry);
  const resolution = reader.mapping(value, at, place, 'resolution');
  const field = (name: string): string | undefined => reader.string(resolution, name, at, place, 'resolution');
  const integrity = field('integrity');
  const tarball = field('tarball');
  const type = field('type');
  if (type === 'git') {
    const repo = field('repo') ?? reader.fail(at, `${labelOf(place, 'resolution')} of type git has no "repo"`);
    return { source: { type: 'git', url: repo, committish: field('commit') }, resolved: tarball, integrity };
  }
  if (type === 'directory') {
    const directory = field('directory') ?? reader.fail(at, `${labelOf(place, 'resolution')} of type directory has no "directory"`);
    return { source: { type: 'directory', path: directory }, resolved: undefined, integrity };
  }
  if (type !== undefined) {
    return reader.fail(at, `${labelOf(place, 'resolution')} has type "${type}", which pkgguard does not read (known: git, directory)`);
  }
  if (tarball !== undefined) return { source: sourceFromResolved(tarball, integrity), resolved: tarball, integrity };
  return { source: REGISTRY, resolved: undefined, integrity };
}

/** `name@runtime:…` keys, scoped or not. */
const RUNTIME_KEY = /^(?:@[^/@]+\/)?[^/@]+@runtime:/;
const RUNTIME_RESOLUTIONS: ReadonlySet<unknown> = new Set(['variations', 'binary']);

/** A runtime pnpm downloads and manages itself (see above), recognised by its key or by its resolution's type. */
export function isManagedRuntime(entry: LockfileEntry): boolean {
  const resolution = entry.info['resolution'];
  // The substring search first: it rules out nearly every key for less than a regex run costs.
  return (entry.id.includes('@runtime:') && RUNTIME_KEY.test(entry.id)) || (isRecord(resolution) && RUNTIME_RESOLUTIONS.has(resolution['type']));
}
