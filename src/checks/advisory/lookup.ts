/**
 * The one advisory lookup behind both the `advisory` and the `malicious` check. Model: per
 * lockfile, the registry releases that may be sent to public services are collected; releases
 * another lockfile (or the other check) already asked about are answered from a per-audit memo,
 * the rest go to the advisory layer in one request (which batches them, ≤ 1,000 per OSV
 * query). The lockfile's result is itself shared, so the second check of a lockfile costs no
 * lookup, and its notes (what was withheld, what could not be checked) are emitted once.
 */
import {
  advisoryKey,
  assertAdvisorySourceAvailable,
  lookupAdvisories,
  NoAdvisorySourceError,
  type AdvisoryMatch,
  type AdvisoryQuery,
} from '../../advisories/index.ts';
import type { CheckContext } from '../../core/check.ts';
import type { PackageNode, PackageSource } from '../../core/graph.ts';
import type { PrivateNameReason } from '../../core/services.ts';

export const OFFLINE_WITHOUT_DATABASE = 'offline and no advisory database; run pkgguard db update or pass --advisory-db';

export interface AffectedPackage {
  readonly node: PackageNode;
  /** Sorted by advisory id (the layer's order). */
  readonly matches: readonly AdvisoryMatch[];
}

interface Note {
  readonly text: string;
  /** `lockfile` notes are said once per lockfile; `audit` notes (a stale database) once per audit. */
  readonly scope: 'lockfile' | 'audit';
}

interface LockfileAdvisories {
  readonly affected: readonly AffectedPackage[];
  readonly notes: readonly Note[];
}

/** Memo of every release asked about in this audit: `name@version` → its matches. */
type ReleaseMemo = Map<string, Promise<readonly AdvisoryMatch[]>>;

const REASON_LABELS: Readonly<Record<PrivateNameReason, string>> = {
  'private-scope': 'in privateScopes',
  'internal-package': 'in internalPackages',
  'scope-registry': 'scope mapped to a non-default registry',
  workspace: 'workspace package',
  'resolved-elsewhere': 'resolved from a non-default registry',
};

/**
 * The lockfile's packages with advisories, computed once per lockfile for both checks. Skips the
 * calling check (`context.skip`) when no advisory source can answer at all, e.g. offline without
 * a database; any other unavailable source propagates (the audit becomes incomplete).
 */
export async function affectedPackages(context: CheckContext<string, unknown>): Promise<readonly AffectedPackage[]> {
  const { services, graph } = context;
  let result: LockfileAdvisories;
  try {
    result = await services.shared(`advisories\nlockfile\n${graph.lockfile.path}`, () => lookUpLockfile(context));
  } catch (error) {
    if (error instanceof NoAdvisorySourceError) context.skip(context.offline ? OFFLINE_WITHOUT_DATABASE : error.message);
    throw error;
  }
  // Checks run one after the other, so whichever advisory check comes first says them.
  const said = await services.shared('advisories\nnotes-said', () => Promise.resolve(new Set<string>()));
  for (const note of result.notes) {
    const key = note.scope === 'audit' ? note.text : `${graph.lockfile.path}\n${note.text}`;
    if (said.has(key)) continue;
    said.add(key);
    context.note(note.text);
  }
  return result.affected;
}

async function lookUpLockfile(context: CheckContext<string, unknown>): Promise<LockfileAdvisories> {
  const { services, graph } = context;
  // Offline without a database nobody can answer: say so before asking about every package's privacy.
  assertAdvisorySourceAvailable({ services, offline: context.offline });
  const withheld = new Map<PrivateNameReason, Set<string>>();
  const unversioned = new Map<PackageSource['type'], number>();
  const reasonByName = new Map<string, PrivateNameReason | undefined>();
  let classify: ((name: string) => PrivateNameReason | undefined) | undefined;
  const candidates: PackageNode[] = [];
  const queries = new Map<string, AdvisoryQuery>();
  for (const node of graph.packages) {
    // Old npm's placeholders for optional packages skipped on this platform: nothing installed.
    if (node.version === '') continue;
    if (node.source.type !== 'registry') {
      unversioned.set(node.source.type, (unversioned.get(node.source.type) ?? 0) + 1);
      continue;
    }
    if (!reasonByName.has(node.name)) reasonByName.set(node.name, (classify ??= await services.privateNames())(node.name));
    const key = advisoryKey(node.name, node.version);
    const reason = reasonByName.get(node.name);
    if (reason !== undefined) {
      const releases = withheld.get(reason) ?? new Set<string>();
      releases.add(key);
      withheld.set(reason, releases);
      continue;
    }
    candidates.push(node);
    queries.set(key, { name: node.name, version: node.version });
  }

  const memo = await services.shared('advisories\nreleases', () => Promise.resolve<ReleaseMemo>(new Map()));
  const missing = [...queries].filter(([key]) => !memo.has(key));
  const lookup =
    missing.length === 0
      ? undefined
      : lookupAdvisories({
          packages: missing.map(([, query]) => query),
          services,
          offline: context.offline,
          signal: context.signal,
          log: context.log,
        });
  for (const [key] of missing) memo.set(key, lookup!.then((found) => found.matches.get(key) ?? []));
  // Awaited together, so a failed lookup rejects once here and no entry is left unhandled.
  const matchesByKey = new Map<string, readonly AdvisoryMatch[]>();
  await Promise.all(
    [...queries.keys()].map(async (key) => {
      matchesByKey.set(key, await memo.get(key)!);
    }),
  );
  const notes: Note[] = lookup ? (await lookup).notes.map((text) => ({ text, scope: 'audit' as const })) : [];
  const affected: AffectedPackage[] = [];
  for (const node of candidates) {
    const matches = matchesByKey.get(advisoryKey(node.name, node.version)) ?? [];
    if (matches.length > 0) affected.push({ node, matches });
  }
  if (withheld.size > 0) notes.push({ text: withheldNote(withheld), scope: 'lockfile' });
  if (unversioned.size > 0) notes.push({ text: unversionedNote(unversioned), scope: 'lockfile' });
  return { affected, notes };
}

function countsOf(entries: Iterable<[string, number]>): string {
  return [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, count]) => `${count} ${label}`)
    .join(', ');
}

function withheldNote(withheld: ReadonlyMap<PrivateNameReason, ReadonlySet<string>>): string {
  const total = [...withheld.values()].reduce((sum, releases) => sum + releases.size, 0);
  const byReason = countsOf([...withheld].map(([reason, releases]) => [REASON_LABELS[reason], releases.size]));
  return (
    `${total} private ${total === 1 ? 'release was' : 'releases were'} not looked up in advisory databases ` +
    `(private names are never sent to public services, and public advisories do not describe them): ${byReason}`
  );
}

function unversionedNote(counts: ReadonlyMap<PackageSource['type'], number>): string {
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return (
    `${total} ${total === 1 ? 'package' : 'packages'} from git, tarball or local sources ${total === 1 ? 'was' : 'were'} not checked ` +
    `for advisories, which name registry releases: ${countsOf(counts)}`
  );
}
