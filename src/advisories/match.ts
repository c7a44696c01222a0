/**
 * OSV's matching semantics for npm (https://ossf.github.io/osv-schema/#evaluation): a version is
 * affected by a record when, for an `affected` entry naming exactly this npm package, it is in
 * the explicit `versions` list or inside one of the SEMVER/ECOSYSTEM `ranges`. A range's events
 * are sorted by version and walked: `introduced` opens, `fixed` closes (exclusive),
 * `last_affected` closes (inclusive); `limit` bounds the whole range (exclusive).
 * `introduced: "0"` is below every version, prereleases included. Comparison is semver
 * precedence: prereleases sort below their release, build metadata is ignored (npm does not
 * publish two versions that differ only in it).
 */
import semver, { type SemVer } from 'semver';
import type { OsvAffected, OsvRange, OsvRecord } from './osv-record.ts';

/** Below every version, prereleases included. */
const ZERO = 'zero';
type Bound = SemVer | typeof ZERO;

/**
 * An event's version. Published records are not all clean: "1.0" (partial versions, read as
 * 1.0.0), and "7.2.4, 6.11.4" (two versions in one field, split by `eventsOf`). Anything else
 * that is not a version makes the event unusable, and it is ignored.
 */
function parseBound(version: string): Bound | undefined {
  if (version === '0') return ZERO;
  const exact = semver.parse(version, { loose: true });
  if (exact) return exact;
  return /^v?\d+(\.\d+)?$/.test(version.trim()) ? (semver.coerce(version) ?? undefined) : undefined;
}

function compareBound(a: Bound, b: Bound): number {
  if (a === ZERO) return b === ZERO ? 0 : -1;
  if (b === ZERO) return 1;
  return semver.compare(a, b);
}

interface ParsedEvent {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly at: Bound;
}

/** Opening events sort before closing ones at the same version, so [v, v) stays empty. */
const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 2, limit: 3 } as const;

function eventsOf(range: OsvRange): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  for (const event of range.events) {
    const [kind, value] = Object.entries(event)[0] as [keyof typeof KIND_ORDER, string];
    for (const part of value.split(',')) {
      const at = parseBound(part.trim());
      if (at !== undefined) events.push({ kind, at });
    }
  }
  return events.sort((a, b) => compareBound(a.at, b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

function inRange(version: SemVer, range: OsvRange): boolean {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return false;
  const events = eventsOf(range);
  const limits = events.filter((event) => event.kind === 'limit');
  if (limits.length > 0 && !limits.some((limit) => compareBound(version, limit.at) < 0)) return false;
  let affected = false;
  for (const event of events) {
    const order = compareBound(version, event.at);
    if (event.kind === 'introduced' && order >= 0) affected = true;
    else if (event.kind === 'fixed' && order >= 0) affected = false;
    else if (event.kind === 'last_affected' && order > 0) affected = false;
  }
  return affected;
}

function listedIn(version: SemVer, versions: readonly string[]): boolean {
  return versions.some((listed) => {
    const parsed = semver.parse(listed, { loose: true });
    return parsed !== null && semver.compare(parsed, version) === 0;
  });
}

function entriesFor(record: OsvRecord, name: string): OsvAffected[] {
  return record.affected.filter((entry) => entry.ecosystem === 'npm' && entry.name === name);
}

function affects(entries: readonly OsvAffected[], version: SemVer): boolean {
  return entries.some((entry) => listedIn(version, entry.versions) || entry.ranges.some((range) => inRange(version, range)));
}

export interface VersionMatch {
  /** Lowest `fixed` version above the locked one that the record does not affect itself. */
  readonly fixedIn?: string | undefined;
}

/**
 * Whether `record` affects `name@version`; `undefined` when it does not (or the version is not
 * semver: git, file and tarball dependencies have no place in OSV's npm ranges).
 */
export function matchRecord(record: OsvRecord, name: string, version: string): VersionMatch | undefined {
  const parsed = semver.parse(version, { loose: true });
  if (!parsed) return undefined;
  const entries = entriesFor(record, name);
  if (entries.length === 0 || !affects(entries, parsed)) return undefined;
  return { fixedIn: lowestFixAbove(entries, parsed) };
}

function lowestFixAbove(entries: readonly OsvAffected[], version: SemVer): string | undefined {
  const candidates = entries
    .flatMap((entry) => entry.ranges.filter((range) => range.type === 'SEMVER' || range.type === 'ECOSYSTEM').flatMap(eventsOf))
    .filter((event): event is ParsedEvent & { at: SemVer } => event.kind === 'fixed' && event.at !== ZERO && semver.compare(event.at, version) > 0)
    .map((event) => event.at)
    .sort(semver.compare);
  // A fix of one range can still be inside another (a later regression): skip to a clean one.
  return candidates.find((candidate) => !affects(entries, candidate))?.version;
}

