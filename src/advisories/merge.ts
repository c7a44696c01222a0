/**
 * Merging advisories of several sources: two advisories are the same when they share an id or
 * an alias (GHSA-x ↔ CVE-y ↔ MAL-z). The first source's record (in `advisories.sources` order)
 * is the base; later ones add aliases, references, CWEs and their source id, and fill fields the
 * base lacks. Matches of one package merge the same way; `fixedIn` is the lowest known.
 */
import semver from 'semver';
import type { Advisory, AdvisoryMatch } from './types.ts';

function idsOf(advisory: Advisory): string[] {
  return [advisory.id, ...advisory.aliases];
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

export function mergeAdvisory(base: Advisory, other: Advisory): Advisory {
  return {
    ...base,
    aliases: union(base.aliases, idsOf(other))
      .filter((alias) => alias !== base.id)
      .sort(),
    summary: base.summary ?? other.summary,
    details: base.details ?? other.details,
    cvss: base.cvss ?? other.cvss,
    malicious: base.malicious || other.malicious,
    published: base.published ?? other.published,
    modified: base.modified !== '' ? base.modified : other.modified,
    references: union(base.references, other.references),
    cwes: union(base.cwes, other.cwes).sort(),
    sources: union(base.sources, other.sources),
  };
}

function lowerFix(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return semver.lt(b, a) ? b : a;
}

/** Matches of one package from several sources, merged by id/alias, sorted by id. */
export function mergeMatches(matches: readonly AdvisoryMatch[]): AdvisoryMatch[] {
  const merged: { advisory: Advisory; fixedIn: string | undefined; ids: Set<string> }[] = [];
  for (const match of matches) {
    const ids = idsOf(match.advisory);
    const same = merged.find((entry) => ids.some((id) => entry.ids.has(id)));
    if (same) {
      same.advisory = mergeAdvisory(same.advisory, match.advisory);
      same.fixedIn = lowerFix(same.fixedIn, match.fixedIn);
      for (const id of ids) same.ids.add(id);
    } else {
      merged.push({ advisory: match.advisory, fixedIn: match.fixedIn, ids: new Set(ids) });
    }
  }
  return merged
    .map(({ advisory, fixedIn }) => ({ advisory, fixedIn }))
    .sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : a.advisory.id > b.advisory.id ? 1 : 0));
}
