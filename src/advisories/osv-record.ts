/**
 * OSV records (https://ossf.github.io/osv-schema/) as they arrive from the API, an export zip or
 * a directory: untrusted JSON. `parseOsvRecord` keeps what pkgguard uses and checks its types,
 * so the rest of the layer works on known shapes; a record that is not an OSV record at all
 * (no id, no modified) is `undefined`.
 */

export type OsvEvent =
  | { readonly introduced: string }
  | { readonly fixed: string }
  | { readonly last_affected: string }
  | { readonly limit: string };

export interface OsvRange {
  /** SEMVER and ECOSYSTEM are evaluated; GIT ranges name commits and never match a version. */
  readonly type: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvAffected {
  readonly ecosystem: string;
  readonly name: string;
  readonly ranges: readonly OsvRange[];
  readonly versions: readonly string[];
  /** CWE ids from `affected[].database_specific.cwes` (malicious-packages records). */
  readonly cwes: readonly string[];
}

export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly published?: string | undefined;
  readonly withdrawn?: string | undefined;
  readonly aliases: readonly string[];
  readonly summary?: string | undefined;
  readonly details?: string | undefined;
  readonly severity: readonly OsvSeverity[];
  readonly affected: readonly OsvAffected[];
  readonly references: readonly string[];
  /** `database_specific.severity` as published (GitHub: "HIGH"; some records: "moderate"). */
  readonly databaseSeverity?: string | undefined;
  /** `database_specific.cwe_ids` (GitHub advisories). */
  readonly cwes: readonly string[];
  /**
   * CVSS base scores by vector, computed when the offline index was built, so lookups in it
   * never load the calculator. Not part of OSV.
   */
  readonly scores?: Readonly<Record<string, number>> | undefined;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function parseEvent(value: Json): OsvEvent | undefined {
  for (const kind of EVENT_KINDS) {
    const version = text(value[kind]);
    if (version !== undefined) return { [kind]: version } as OsvEvent;
  }
  return undefined;
}

function parseAffected(value: Json): OsvAffected | undefined {
  const pkg = value['package'];
  if (!isObject(pkg)) return undefined;
  const ecosystem = text(pkg['ecosystem']);
  const name = text(pkg['name']);
  if (ecosystem === undefined || name === undefined) return undefined;
  const ranges = objects(value['ranges']).map((range) => ({
    type: text(range['type']) ?? '',
    events: objects(range['events'])
      .map(parseEvent)
      .filter((event): event is OsvEvent => event !== undefined),
  }));
  const databaseSpecific = isObject(value['database_specific']) ? value['database_specific'] : {};
  const cwes = objects(databaseSpecific['cwes'])
    .map((cwe) => text(cwe['cweId']))
    .filter((id): id is string => id !== undefined);
  return { ecosystem, name, ranges, versions: texts(value['versions']), cwes };
}

/**
 * `fallbackId`: for files of an offline database, the id their name gives (OSV names files
 * `<id>.json`); some older malicious-package records were published without an `id` field.
 */
export function parseOsvRecord(value: unknown, fallbackId?: string): OsvRecord | undefined {
  if (!isObject(value)) return undefined;
  const id = text(value['id']) ?? fallbackId;
  const modified = text(value['modified']);
  if (id === undefined || modified === undefined) return undefined;
  const databaseSpecific = isObject(value['database_specific']) ? value['database_specific'] : {};
  return {
    id,
    modified,
    published: text(value['published']),
    withdrawn: text(value['withdrawn']),
    aliases: texts(value['aliases']),
    summary: text(value['summary']),
    details: text(value['details']),
    severity: objects(value['severity']).flatMap((entry) => {
      const type = text(entry['type']);
      const score = text(entry['score']);
      return type !== undefined && score !== undefined ? [{ type, score }] : [];
    }),
    affected: objects(value['affected'])
      .map(parseAffected)
      .filter((entry): entry is OsvAffected => entry !== undefined),
    references: objects(value['references'])
      .map((reference) => text(reference['url']))
      .filter((url): url is string => url !== undefined),
    databaseSeverity: text(databaseSpecific['severity']),
    cwes: texts(databaseSpecific['cwe_ids']),
  };
}

/** The npm packages a record is about (exact names, ecosystem "npm" only), without duplicates. */
export function npmPackagesOf(record: OsvRecord): string[] {
  return [...new Set(record.affected.filter((entry) => entry.ecosystem === 'npm').map((entry) => entry.name))];
}
