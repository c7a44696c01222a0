/**
 * THE CONTRACT BETWEEN THE ADVISORY DATA LAYER AND THE CHECKS (`advisory`, `malicious`).
 * Keep it stable: checks are written against these types. Additions are fine; renames are not.
 *
 * The layer answers one question: which known advisories affect these exact `name@version`s?
 * It queries the configured sources (OSV API, the npm bulk advisory endpoint of the user's
 * registry, an offline OSV database), normalizes every record into an `Advisory`, merges
 * duplicates across sources (same id, or sharing an alias such as GHSA ↔ CVE), drops withdrawn
 * records, and matches versions with OSV's semantics.
 */
import type { Logger } from '../core/check.ts';
import type { CheckServices } from '../core/services.ts';
import type { Severity } from '../core/severity.ts';

/** Where an advisory was found: OSV's API, the registry's bulk endpoint, the offline database. */
export type AdvisorySourceId = 'osv' | 'npm' | 'db';
export const ADVISORY_SOURCE_IDS: readonly AdvisorySourceId[] = ['osv', 'npm', 'db'];

export interface AdvisoryQuery {
  readonly name: string;
  /** The locked version, as semver (no `npm:` alias prefix, no git/tarball specs). */
  readonly version: string;
}

export interface CvssScore {
  readonly version: '3.0' | '3.1' | '4.0';
  /** The vector as published, e.g. "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H". */
  readonly vector: string;
  /** Base score, 0.0–10.0, computed from the vector (or as published by the npm bulk endpoint). */
  readonly score: number;
}

export interface Advisory {
  /**
   * The record's own id: OSV ids as published ("GHSA-p6mc-m468-83gw", "MAL-2022-4874",
   * "CVE-…"). Advisories only known from the npm bulk endpoint use the GHSA id of their `url`
   * when it names one, else "NPM-<number>".
   */
  readonly id: string;
  /** Other ids of the same advisory (CVE-…, GHSA-…), without `id` itself, sorted. */
  readonly aliases: readonly string[];
  readonly summary?: string | undefined;
  /** Markdown, as published. */
  readonly details?: string | undefined;
  /**
   * In this order: `database_specific.severity` (GitHub's LOW/MODERATE/HIGH/CRITICAL, npm's
   * low/moderate/high/critical); else the highest CVSS base score (v4 preferred over v3) in
   * CVSS's bands (0.1–3.9 low, 4.0–6.9 moderate, 7.0–8.9 high, 9.0–10 critical; 0.0 info);
   * else `critical` for malicious packages; else `moderate` (unknown is not harmless).
   */
  readonly severity: Severity;
  /**
   * The record's CVSS vector of the newest version published (v4.0 > v3.1 > v3.0) and its score;
   * absent when there is none or the calculator cannot read it.
   */
  readonly cvss?: CvssScore | undefined;
  /** An OSV `MAL-*` record, or a GitHub advisory of type "malware" (CWE-506 with ghsa-malware origin). */
  readonly malicious: boolean;
  readonly published?: string | undefined;
  /** RFC 3339; for npm-only advisories, the time of the lookup is not known: "" (empty). */
  readonly modified: string;
  /** URLs, advisory page first when there is one. */
  readonly references: readonly string[];
  /** "CWE-1321", ... */
  readonly cwes: readonly string[];
  /** Every source that reported it, in the order of `advisories.sources`. */
  readonly sources: readonly AdvisorySourceId[];
}

export interface AdvisoryMatch {
  readonly advisory: Advisory;
  /**
   * The lowest `fixed` version above the locked one across the record's ranges for this package
   * (what to upgrade to); undefined when none is published (e.g. malware: every version).
   */
  readonly fixedIn?: string | undefined;
}

export interface AdvisoryLookupRequest {
  /** Already filtered for privacy by the caller: every name here may go to public services. */
  readonly packages: readonly AdvisoryQuery[];
  readonly services: CheckServices;
  /** --offline: only the offline database (and cached OSV records) may answer. */
  readonly offline: boolean;
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface AdvisoryLookupResult {
  /** Keyed by `advisoryKey(name, version)`; packages without advisories are absent. Matches sorted by id. */
  readonly matches: ReadonlyMap<string, readonly AdvisoryMatch[]>;
  /** For the report, one line each: "offline advisory database is 9 days old (…)", a source that fell back. */
  readonly notes: readonly string[];
  /** The sources that answered, in order (e.g. ['osv'] or ['db']). */
  readonly sources: readonly AdvisorySourceId[];
}

/** Shape of the `advisories` section of pkgguard's configuration, after validation. */
export interface AdvisorySettings {
  /** Tried in order; a source that fails falls through to the next one; all failing is a SourceUnavailableError. */
  readonly sources?: readonly AdvisorySourceId[] | undefined;
  /** Base URL of an OSV-compatible API; default OSV's public API. */
  readonly osvUrl?: string | undefined;
  /** Offline database: a directory of OSV JSON files or OSV's npm `all.zip` (relative to the project). */
  readonly db?: string | undefined;
  /** Warn when the offline database is older than this many days; default 7. */
  readonly maxDbAgeDays?: number | undefined;
  /** How long OSV's answer for a name@version is reused without asking again; default 60, 0 = never. */
  readonly cacheMinutes?: number | undefined;
}
