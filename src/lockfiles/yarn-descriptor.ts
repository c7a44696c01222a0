/**
 * Yarn descriptors and locators, shared by the classic and Berry readers.
 *
 * A descriptor is what a dependent asks for, `name@range` (`debug@^2.6.9`,
 * `str@npm:string-width@4.2.3`, `@s/a@workspace:^`); a locator is what Berry resolved it to,
 * `name@reference` (`debug@npm:2.6.9`). The name ends at the first `@` after the first
 * character, so scoped names keep theirs.
 */

export interface Descriptor {
  /** The name the dependent asks for (an alias name for `npm:` aliases). */
  readonly name: string;
  /** Everything after the name's `@`; '' when there is none. */
  readonly range: string;
}

export function splitDescriptor(descriptor: string): Descriptor {
  const at = descriptor.indexOf('@', 1);
  return at === -1 ? { name: descriptor, range: '' } : { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

/**
 * A map keyed by descriptor that is read with the name and the range a dependent writes,
 * without building a `name@range` string per lookup (a lockfile has several edges per entry,
 * and each concatenation is an allocation and a hash of the whole string). For an ordinary
 * name (not empty, no `@` after its first character) `name@range` splits exactly at the end
 * of `name`, so the nested lookup finds what a lookup of the whole descriptor would; an odd
 * name takes the whole-descriptor path. A later `set` of a descriptor wins.
 */
export class DescriptorMap<V> {
  /** name → range → value, for descriptors with an `@` after their first character. */
  private readonly byName = new Map<string, Map<string, V>>();
  /** Descriptors without one (`name@range` with an ordinary name never spells them). */
  private readonly bare = new Map<string, V>();
  /** descriptor → value, built on the first lookup by an odd name. */
  private whole: Map<string, V> | undefined;

  set(descriptor: string, value: V): void {
    const at = descriptor.indexOf('@', 1);
    if (at === -1) this.bare.set(descriptor, value);
    else this.rangesOf(descriptor.slice(0, at)).set(descriptor.slice(at + 1), value);
    this.whole = undefined;
  }

  /** The value already held for `descriptor`, else `value`, which it then holds. */
  setIfAbsent(descriptor: string, value: V): V {
    const at = descriptor.indexOf('@', 1);
    const ranges = at === -1 ? this.bare : this.rangesOf(descriptor.slice(0, at));
    const range = at === -1 ? descriptor : descriptor.slice(at + 1);
    if (ranges.has(range)) return ranges.get(range)!;
    ranges.set(range, value);
    this.whole = undefined;
    return value;
  }

  /** The value for the descriptor `name@range`. */
  get(name: string, range: string): V | undefined {
    if (name !== '' && !name.includes('@', 1)) return this.byName.get(name)?.get(range);
    return this.wholeIndex().get(`${name}@${range}`);
  }

  /** The value for a descriptor written out whole. */
  getDescriptor(descriptor: string): V | undefined {
    const at = descriptor.indexOf('@', 1);
    return at === -1 ? this.bare.get(descriptor) : this.byName.get(descriptor.slice(0, at))?.get(descriptor.slice(at + 1));
  }

  private rangesOf(name: string): Map<string, V> {
    let ranges = this.byName.get(name);
    if (!ranges) this.byName.set(name, (ranges = new Map<string, V>()));
    return ranges;
  }

  private wholeIndex(): Map<string, V> {
    if (!this.whole) {
      const whole = new Map<string, V>(this.bare);
      for (const [name, ranges] of this.byName) for (const [range, value] of ranges) whole.set(`${name}@${range}`, value);
      this.whole = whole;
    }
    return this.whole;
  }
}

/**
 * The real package of an `npm:` alias range (`npm:string-width@4.2.3` → string-width), or
 * undefined when the range names no other package (Berry's plain `npm:^4.2.0`).
 */
export function aliasTarget(range: string): Descriptor | undefined {
  if (!range.startsWith('npm:')) return undefined;
  const rest = range.slice(4);
  const at = rest.indexOf('@', 1);
  if (at === -1) return rest.startsWith('@') && rest.includes('/') ? { name: rest, range: '' } : undefined;
  return { name: rest.slice(0, at), range: rest.slice(at + 1) };
}

/** `protocol:` at the start of a range (`npm:`, `git+ssh:`, `workspace:`); ranges without one are semver or tags. */
const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;

export function hasProtocol(range: string): boolean {
  return PROTOCOL.test(range);
}

/** Specs and resolved values that name a git repository (npm-package-arg's git forms plus scp-style `git@host:`). */
const GIT = /^(?:git\+[a-z][a-z0-9+.-]*:|git:|git@|ssh:|github:|gitlab:|bitbucket:|gist:)/i;

export function isGitUrl(value: string): boolean {
  return GIT.test(value);
}

const HTTP = /^https?:\/\//i;

export function isHttpUrl(value: string): boolean {
  return HTTP.test(value);
}

const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;

export function isTarballPath(value: string): boolean {
  return TARBALL_FILE.test(value);
}

/** `decodeURIComponent` that returns undefined instead of throwing on a broken escape. */
export function decodeComponent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** The part before `#` and the part after it (undefined when there is no `#`). */
export function splitFragment(value: string): [string, string | undefined] {
  const hash = value.indexOf('#');
  return hash === -1 ? [value, undefined] : [value.slice(0, hash), value.slice(hash + 1)];
}
