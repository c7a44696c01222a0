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
import { isRecord } from './json-value.ts';
import type { TextPosition } from './locate/position.ts';
import type { YamlKeyIndex } from './locate/yaml.ts';
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

/** An importer or a package entry, before it becomes a node. */
export interface LockfileEntry {
  readonly id: string;
  readonly at: TextPosition;
  /** The mapping with the dependency fields: importer, v5/v6 package entry, v9 snapshot. */
  readonly fields: YamlMap;
  readonly fieldsPlace: Place;
  /** The mapping with resolution, name, version and peers (v9: the `packages` entry). */
  readonly info: YamlMap;
  readonly infoPlace: Place;
  /** The folder `link:` references in it are relative to. */
  readonly folder: string;
}

const FIRST_LINE: TextPosition = { line: 1, column: 1 };
const TOP_LEVEL: Place = { section: '', key: '' };
const TOP_LEVEL_FIELDS = ['specifiers', 'dependencies', 'optionalDependencies', 'devDependencies'];
/** What an absent or null mapping reads as; shared, so callers can tell it by identity. */
export const EMPTY: YamlMap = Object.freeze({});

/** `packages["a@1.0.0"].resolution.integrity`: a place and the fields below it. */
export function labelOf(place: Place, ...fields: readonly (string | undefined)[]): string {
  const parts = place.section === '' ? [] : [`${place.section}[${JSON.stringify(place.key)}]`];
  for (const field of fields) if (field !== undefined) parts.push(field);
  return parts.join('.');
}

/** Error reporting and type checks for one lockfile. */
export class EntryReader {
  private readonly file: string;
  private readonly positions: YamlKeyIndex;

  constructor(file: string, positions: YamlKeyIndex) {
    this.file = file;
    this.positions = positions;
  }

  fail(at: TextPosition, message: string): never {
    throw new LockfileParseError(`${this.file}:${at.line}:${at.column}: ${message}`, { hints: [REGENERATE_HINT] });
  }

  /** Position of a key of a top-level section, else of the section, else the first line. */
  locate(section: string, key?: string): TextPosition {
    const inSection = key === undefined ? undefined : this.positions.sections.get(section)?.get(key);
    return inSection ?? this.positions.topLevel.get(section) ?? FIRST_LINE;
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
      return [{ id: '.', at: at ?? FIRST_LINE, fields: document, fieldsPlace: TOP_LEVEL, info: EMPTY, infoPlace: TOP_LEVEL, folder: '.' }];
    }
    const importers = this.mapping(document['importers'], this.locate('importers'), TOP_LEVEL, '"importers"');
    return Object.keys(importers).map((id) => {
      const at = this.locate('importers', id);
      const place = { section: 'importers', key: id };
      return { id, at, fields: this.mapping(importers[id], at, place), fieldsPlace: place, info: EMPTY, infoPlace: place, folder: id };
    });
  }

  packages(document: YamlMap, style: KeyStyle): LockfileEntry[] {
    const packages = this.mapping(document['packages'], this.locate('packages'), TOP_LEVEL, '"packages"');
    if (style !== 'v9') {
      return Object.keys(packages).map((id) => {
        const at = this.locate('packages', id);
        const place = { section: 'packages', key: id };
        const entry = this.mapping(packages[id], at, place);
        return { id, at, fields: entry, fieldsPlace: place, info: entry, infoPlace: place, folder: '.' };
      });
    }
    const snapshots = this.mapping(document['snapshots'], this.locate('snapshots'), TOP_LEVEL, '"snapshots"');
    const entries: LockfileEntry[] = [];
    const described = new Set<string>();
    for (const id of Object.keys(snapshots)) {
      const snapshotPlace = { section: 'snapshots', key: id };
      const packageKey = packageKeyOf(id);
      if (!Object.hasOwn(packages, packageKey)) {
        const at = this.locate('snapshots', id);
        const fields = this.mapping(snapshots[id], at, snapshotPlace);
        entries.push({ id, at, fields, fieldsPlace: snapshotPlace, info: EMPTY, infoPlace: snapshotPlace, folder: '.' });
        continue;
      }
      described.add(packageKey);
      // The location is the `packages` entry: its resolution is what integrity findings are about.
      const at = this.locate('packages', packageKey);
      const infoPlace = { section: 'packages', key: packageKey };
      // The snapshot's own position is looked up only for an error: the key is long and hashing it costs.
      const snapshot = snapshots[id];
      const fields = isRecord(snapshot) ? snapshot : this.mapping(snapshot, this.locate('snapshots', id), snapshotPlace);
      entries.push({ id, at, fields, fieldsPlace: snapshotPlace, info: this.mapping(packages[packageKey], at, infoPlace), infoPlace, folder: '.' });
    }
    // A package without a snapshot is still in the lockfile: pnpm writes none, a hand edit might.
    for (const id of Object.keys(packages)) {
      if (described.has(id) || Object.hasOwn(snapshots, id)) continue;
      const at = this.locate('packages', id);
      const place = { section: 'packages', key: id };
      entries.push({ id, at, fields: EMPTY, fieldsPlace: place, info: this.mapping(packages[id], at, place), infoPlace: place, folder: '.' });
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
