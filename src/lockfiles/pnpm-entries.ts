/**
 * The parts of a pnpm lockfile document a graph is built from, read and type-checked: the
 * importers and the package entries, each with its lockfile position and a label that names
 * it in error messages. Everything here is untrusted YAML: a value of the wrong type is a
 * LockfileParseError at the entry's position, never a TypeError later.
 *
 * Where things live:
 * - importers: `importers.<folder>` (v5 with workspaces, v6, v9), or the top level of a v5/v6
 *   single project (`specifiers`, `dependencies`, …);
 * - packages: v5/v6 `packages.<key>` holds everything; v9 splits each package into
 *   `packages.<key>` (resolution, version, peers) and one `snapshots.<key>(peers)` per peer
 *   variant (dependencies, `optional`).
 */
import { LockfileParseError } from '../core/errors.ts';
import type { SourceLocation } from '../core/graph.ts';
import { isRecord } from './json-value.ts';
import type { TextPosition } from './locate/position.ts';
import type { SectionKeys } from './locate/yaml.ts';
import { packageKeyOf, type KeyStyle } from './pnpm-dep-path.ts';

export const REGENERATE_HINT = 'regenerate it with: pnpm install --lockfile-only';

export type YamlMap = Readonly<Record<string, unknown>>;

/**
 * Where a mapping sits, for error messages (`packages["a@1.0.0"]`); the top level of a v5/v6
 * single project has no section. Labels are built only when an error is thrown: building one
 * per entry up front cost more than reading the entries.
 */
export interface Place {
  readonly section: string;
  readonly key: string;
}

/**
 * Where the keys of the lockfile are (locate/yaml.ts's index). A section's keys may be
 * indexed only when first asked for: v9 snapshots are looked up only for errors and for the
 * rare snapshot without a package.
 */
export interface KeyPositions {
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  section(name: string): SectionKeys | undefined;
}

/**
 * An importer or a package entry, before it becomes a node. It is itself the Place of its
 * `fields` (an object per entry less: every one lives until the graph is built).
 */
export interface LockfileEntry extends Place {
  readonly id: string;
  /** Its position, which becomes its node's location (the peer variants of a v9 package share their package's). */
  readonly at: SourceLocation;
  /** The mapping with the dependency fields: importer, v5/v6 package entry, v9 snapshot. */
  readonly fields: YamlMap;
  /** The mapping with resolution, name, version and peers (v9: the `packages` entry). */
  readonly info: YamlMap;
  /** Where `info` sits when that is not where `fields` does (v9: the `packages` entry); see `infoPlaceOf`. */
  readonly infoPlace: Place | undefined;
  /** The folder `link:` references in it are relative to. */
  readonly folder: string;
}

const TOP_LEVEL: Place = { section: '', key: '' };
const TOP_LEVEL_FIELDS = ['specifiers', 'dependencies', 'optionalDependencies', 'devDependencies'];
/** What an absent or null mapping reads as; shared, so callers can tell it by identity. */
export const EMPTY: YamlMap = Object.freeze({});

export function infoPlaceOf(entry: LockfileEntry): Place {
  return entry.infoPlace ?? entry;
}

/** `packages["a@1.0.0"].resolution.integrity`: a place and the fields below it. */
export function labelOf(place: Place, ...fields: readonly (string | undefined)[]): string {
  const parts = place.section === '' ? [] : [`${place.section}[${JSON.stringify(place.key)}]`];
  for (const field of fields) if (field !== undefined) parts.push(field);
  return parts.join('.');
}

/** Error reporting and type checks for one lockfile. */
export class EntryReader {
  private readonly file: string;
  private readonly positions: KeyPositions;

  constructor(file: string, positions: KeyPositions) {
    this.file = file;
    this.positions = positions;
  }

  fail(at: TextPosition, message: string): never {
    throw new LockfileParseError(`${this.file}:${at.line}:${at.column}: ${message}`, { hints: [REGENERATE_HINT] });
  }

  /** Position of a key of a top-level section, else of the section, else the first line. */
  locate(section: string, key?: string): SourceLocation {
    const keys = key === undefined ? undefined : this.positions.section(section);
    const line = keys?.lines.get(key!);
    if (line !== undefined) return { file: this.file, line, column: keys!.column };
    return this.at(this.positions.topLevel.get(section));
  }

  /** A position of this lockfile as a location; the first line when there is none. */
  at(position: TextPosition | undefined): SourceLocation {
    return { file: this.file, line: position?.line ?? 1, column: position?.column ?? 1 };
  }

  /** A mapping, or an empty one for an absent or null value (`dependencies:` with nothing under it). */
  mapping(value: unknown, at: TextPosition, place: Place, field?: string): YamlMap {
    if (value === undefined || value === null) return EMPTY;
    return isRecord(value) ? value : this.fail(at, `${labelOf(place, field)} must be a mapping, found ${describe(value)}`);
  }

  /** A string field of the mapping at `place.parent`, or undefined when absent. */
  string(map: YamlMap, field: string, at: TextPosition, place: Place, parent?: string): string | undefined {
    const value = map[field];
    if (value === undefined || typeof value === 'string') return value;
    return this.fail(at, `${labelOf(place, parent, field)} must be a string, found ${describe(value)}`);
  }

  importers(document: YamlMap): LockfileEntry[] {
    if (document['importers'] === undefined) {
      // A single project before lockfile v9: its fields sit at the top level, and its entry
      // starts at the first of them.
      const at = TOP_LEVEL_FIELDS.map((field) => this.positions.topLevel.get(field))
        .filter((position) => position !== undefined)
        .sort((a, b) => a.line - b.line)[0];
      return [{ id: '.', section: '', key: '', at: this.at(at), fields: document, info: EMPTY, infoPlace: undefined, folder: '.' }];
    }
    const importers = this.mapping(document['importers'], this.locate('importers'), TOP_LEVEL, '"importers"');
    return Object.keys(importers).map((id) => {
      const at = this.locate('importers', id);
      return { id, section: 'importers', key: id, at, fields: this.mapping(importers[id], at, { section: 'importers', key: id }), info: EMPTY, infoPlace: undefined, folder: id };
    });
  }

  packages(document: YamlMap, style: KeyStyle): LockfileEntry[] {
    const packages = this.mapping(document['packages'], this.locate('packages'), TOP_LEVEL, '"packages"');
    if (style !== 'v9') {
      return Object.keys(packages).map((id) => {
        const at = this.locate('packages', id);
        const value = packages[id];
        // The place is built only for the error: this runs once per entry.
        const entry = isRecord(value) ? value : this.mapping(value, at, { section: 'packages', key: id });
        return { id, section: 'packages', key: id, at, fields: entry, info: entry, infoPlace: undefined, folder: '.' };
      });
    }
    const snapshots = this.mapping(document['snapshots'], this.locate('snapshots'), TOP_LEVEL, '"snapshots"');
    const entries: LockfileEntry[] = [];
    /** The first entry made of each `packages` entry: its peer variants share its position and place. */
    const described = new Map<string, LockfileEntry>();
    const snapshotKeys = Object.keys(snapshots);
    // An index loop: for…of runs the iterator protocol per key, slow before the JIT steps in.
    for (let k = 0; k < snapshotKeys.length; k++) {
      const id = snapshotKeys[k]!;
      const packageKey = packageKeyOf(id);
      const variantOf = described.get(packageKey);
      if (variantOf === undefined && !Object.hasOwn(packages, packageKey)) {
        const at = this.locate('snapshots', id);
        const fields = this.mapping(snapshots[id], at, { section: 'snapshots', key: id });
        entries.push({ id, section: 'snapshots', key: id, at, fields, info: EMPTY, infoPlace: undefined, folder: '.' });
        continue;
      }
      // The snapshot's own position is looked up only for an error: the key is long and hashing it costs.
      const snapshot = snapshots[id];
      const fields = isRecord(snapshot) ? snapshot : this.mapping(snapshot, this.locate('snapshots', id), { section: 'snapshots', key: id });
      if (variantOf !== undefined) {
        entries.push({ id, section: 'snapshots', key: id, at: variantOf.at, fields, info: variantOf.info, infoPlace: variantOf.infoPlace, folder: '.' });
        continue;
      }
      // The location is the `packages` entry: its resolution is what integrity findings are about.
      const at = this.locate('packages', packageKey);
      const infoPlace = { section: 'packages', key: packageKey };
      const info = this.mapping(packages[packageKey], at, infoPlace);
      const entry: LockfileEntry = { id, section: 'snapshots', key: id, at, fields, info, infoPlace, folder: '.' };
      described.set(packageKey, entry);
      entries.push(entry);
    }
    // A package without a snapshot is still in the lockfile: pnpm writes none, a hand edit might.
    // Every described key is a key of `packages`, so equal counts mean there is none.
    const packageKeys = Object.keys(packages);
    if (described.size === packageKeys.length) return entries;
    for (const id of packageKeys) {
      if (described.has(id) || Object.hasOwn(snapshots, id)) continue;
      const at = this.locate('packages', id);
      const info = this.mapping(packages[id], at, { section: 'packages', key: id });
      entries.push({ id, section: 'packages', key: id, at, fields: EMPTY, info, infoPlace: undefined, folder: '.' });
    }
    return entries;
  }

  /**
   * A dependency's reference (`1.0.0`, `link:../b`, `string-width@4.2.3`) and its specifier:
   * v6/v9 importers write `{specifier, version}`, v5 importers keep specifiers apart.
   */
  dependency(value: unknown, v5Specifier: unknown, at: TextPosition, place: Place, field: string, name: string): { reference: string; specifier: string | undefined } {
    if (typeof value === 'string') return { reference: value, specifier: typeof v5Specifier === 'string' ? v5Specifier : undefined };
    if (isRecord(value) && typeof value['version'] === 'string') {
      const specifier = value['specifier'];
      if (specifier === undefined || typeof specifier === 'string') return { reference: value['version'], specifier };
      return this.fail(at, `${labelOf(place, field, name, 'specifier')} must be a string, found ${describe(specifier)}`);
    }
    return this.fail(at, `${labelOf(place, field, name)} must be a version string or a {specifier, version} mapping, found ${describe(value)}`);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (isRecord(value)) return 'a mapping';
  return `a ${typeof value}`;
}
