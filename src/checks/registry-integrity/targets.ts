/**
 * Which lockfile entries the registry checks ask about, and the batched lookup they share
 * (registry-integrity, signatures): one `versions()` call per package name, all names in
 * parallel (the client bounds concurrency), the first failure cancelling the rest so an
 * unreachable registry fails in seconds rather than after every package's retries.
 */
import type { CheckContext } from '../../core/check.ts';
import type { PackageNode } from '../../core/graph.ts';
import { type RegistryNodesByName, registryNodesByName } from '../../core/registry-names.ts';
import type { PrivateNameReason } from '../../core/services.ts';
import type { FactsRequest, RegistryFacts, VersionLookup } from '../../registry/facts-types.ts';

export interface RegistryTargets {
  /** Registry entries to ask about, by package name, in lockfile order. */
  readonly byName: ReadonlyMap<string, readonly PackageNode[]>;
  /** Entries with a private name whose registry is the public one: never asked about there. */
  readonly withheld: number;
  /** The same entries by why their name is private. */
  readonly withheldBy?: ReadonlyMap<PrivateNameReason, number> | undefined;
  /** Entries whose name is not a package name a registry URL can be built from (`..`, extra slashes). */
  readonly unaskable?: number | undefined;
}

/** The targets of a lockfile, with the registries that serve them. */
export interface LockfileTargets extends RegistryTargets {
  /**
   * Each registry `byName`'s names resolve to (`facts.registryFor`), in the order of its first
   * name, with its number of entries: what a check can decide per registry (no signing keys,
   * nothing cached) without a question per name.
   */
  readonly registries: ReadonlyMap<string, number>;
}

/**
 * `registryTargets`, computed once per lockfile for both registry checks: the privacy question is
 * asked per name, and asking it twice over 2,000 names is measurable on a warm run.
 */
export function sharedRegistryTargets(context: CheckContext, facts: RegistryFacts): Promise<LockfileTargets> {
  return context.services.shared(`registry-targets\n${context.services.lockfileDir}\n${context.graph.lockfile.path}`, () => registryTargets(context, facts));
}

/**
 * Entries installed from a registry, with a version. Git, tarball, directory and link sources
 * have no registry record to compare with; a bundled package ships inside its parent's tarball.
 * Names in the order of their first such entry (the order lookups, notes and reasons follow).
 */
async function registryTargets(context: CheckContext, facts: RegistryFacts): Promise<LockfileTargets> {
  const index = registryNodesByName(context.graph);
  const privateNames = (): Promise<(name: string) => PrivateNameReason | undefined> => context.services.privateNames();
  const { targets, inOrder } = await collectTargets(index.keys(), index, facts, privateNames);
  // The index orders names by their first registry entry; when that entry is not a target (no
  // version, bundled) but a later one is, the order of first targets may differ: follow it.
  return inOrder ? targets : (await collectTargets(inTargetOrder(context.graph.packages, index), index, facts, privateNames)).targets;
}

async function collectTargets(
  names: Iterable<string>,
  index: RegistryNodesByName,
  facts: RegistryFacts,
  privateNames: () => Promise<(name: string) => PrivateNameReason | undefined>,
): Promise<{ targets: LockfileTargets; inOrder: boolean }> {
  const byName = new Map<string, readonly PackageNode[]>();
  const withheldBy = new Map<PrivateNameReason, number>();
  const registries = new Map<string, number>();
  let withheld = 0;
  let unaskable = 0;
  let inOrder = true;
  let classify: ((name: string) => PrivateNameReason | undefined) | undefined;
  for (const name of names) {
    const all = index.get(name) as readonly PackageNode[];
    const nodes = targetsAmong(all);
    if (nodes === undefined) continue;
    if (nodes[0] !== all[0]) inOrder = false;
    if (!isPackageName(name)) {
      unaskable += nodes.length;
      continue;
    }
    const registry = facts.registryFor(name);
    // Privacy matters only for names the public registry would be asked about, so other
    // registries never build the classifier (awaited once: an await per name costs more).
    const why = facts.isPublicRegistry(registry) ? (classify ??= await privateNames())(name) : undefined;
    if (why === undefined) {
      byName.set(name, nodes);
      registries.set(registry, (registries.get(registry) ?? 0) + nodes.length);
    } else {
      withheld += nodes.length;
      withheldBy.set(why, (withheldBy.get(why) ?? 0) + nodes.length);
    }
  }
  return { targets: { byName, withheld, withheldBy, unaskable, registries }, inOrder };
}

/** The entries of one name that have a registry record: the list itself when all do (the usual case), undefined when none does. */
function targetsAmong(nodes: readonly PackageNode[]): readonly PackageNode[] | undefined {
  for (let i = 0; i < nodes.length; i++) {
    if (!isTarget(nodes[i] as PackageNode)) {
      const targets = nodes.filter(isTarget);
      return targets.length === 0 ? undefined : targets;
    }
  }
  return nodes;
}

function isTarget(node: PackageNode): boolean {
  return node.version !== '' && !node.flags.bundled;
}

/** The names with a target, in the order of their first target in the lockfile. */
function inTargetOrder(packages: readonly PackageNode[], index: RegistryNodesByName): string[] {
  const names = new Set<string>();
  for (const node of packages) if (node.source.type === 'registry' && isTarget(node) && index.has(node.name)) names.add(node.name);
  return [...names];
}

/**
 * The names the registry client accepts (its `escapePackageName`, not imported to keep the HTTP
 * stack off start-up): `name` or `@scope/name`, no empty, `.` or `..` segment. A lockfile can hold
 * anything, and a name that could address another endpoint is never sent.
 */
function isPackageName(name: string): boolean {
  if (!name.startsWith('@')) return !name.includes('/') && isSegment(name);
  const slash = name.indexOf('/');
  return slash > 0 && !name.includes('/', slash + 1) && isSegment(name.slice(1, slash)) && isSegment(name.slice(slash + 1));
}

function isSegment(part: string): boolean {
  return part !== '' && part !== '.' && part !== '..';
}

const WITHHELD_REASONS: Readonly<Record<PrivateNameReason, string>> = {
  'private-scope': 'in privateScopes',
  'internal-package': 'in internalPackages',
  'scope-registry': 'scope mapped to another registry',
  workspace: 'a workspace name',
  'resolved-elsewhere': 'resolved from a non-default registry',
};

/** Notes for the entries `registryTargets` left out. */
export function targetNotes(targets: RegistryTargets): string[] {
  const notes: string[] = [];
  const { withheld, unaskable = 0 } = targets;
  if (withheld > 0) {
    const reasons = [...(targets.withheldBy ?? [])].map(([reason, count]) => `${count} ${WITHHELD_REASONS[reason]}`).join(', ');
    notes.push(
      `${withheld} ${withheld === 1 ? 'package was' : 'packages were'} not looked up: private names are never sent to the public registry${reasons === '' ? '' : ` (${reasons})`}; map their scope to the registry that serves them in .npmrc to check them`,
    );
  }
  if (unaskable > 0) {
    notes.push(`${unaskable} registry ${unaskable === 1 ? 'entry has a name that is' : 'entries have names that are'} not valid package names: not looked up`);
  }
  return notes;
}

/**
 * The targets left to look up once the registries whose cache knows nothing are set aside
 * (`facts.knowsNothingOn`: offline, an empty cache file), and how many entries those hold: every
 * lookup of theirs would answer `not-cached`, so a first offline run counts them instead of
 * asking per package. `registries` narrows the question to those a check would ask (signatures:
 * the ones with signing keys); any other registry's names are left out of the result.
 */
export async function withoutUncachedRegistries(
  facts: RegistryFacts,
  targets: LockfileTargets,
  registries: Iterable<string> = targets.registries.keys(),
): Promise<{ readonly targets: RegistryTargets; readonly notCached: number }> {
  const asked = new Set<string>();
  let notCached = 0;
  for (const registry of registries) {
    if (await facts.knowsNothingOn(registry)) notCached += targets.registries.get(registry) ?? 0;
    else asked.add(registry);
  }
  // Usually every registry is asked (online, a warm cache) or none is (a first offline run).
  if (asked.size === targets.registries.size) return { targets, notCached };
  const byName = new Map<string, readonly PackageNode[]>();
  if (asked.size > 0) for (const [name, nodes] of targets.byName) if (asked.has(facts.registryFor(name))) byName.set(name, nodes);
  return { targets: { byName, withheld: 0 }, notCached };
}

/**
 * Names looked up at once: above any client's concurrency (64 by default) so its connections
 * never wait for work, well below a big lockfile's 2,000 names.
 */
const LOOKUP_WORKERS = 128;

const NOT_CACHED: VersionLookup = Object.freeze({ status: 'not-cached' });

/**
 * Looks every target up and hands each answer to `judge` as it arrives (two arguments, not an
 * object per package: a first offline run answers every package of the lockfile at once).
 * Throws the first failure (a SourceUnavailableError makes the audit incomplete) once the other
 * lookups have stopped.
 */
export async function lookUpTargets(
  context: CheckContext,
  facts: RegistryFacts,
  targets: RegistryTargets,
  request: Omit<FactsRequest, 'signal'>,
  judge: (node: PackageNode, lookup: VersionLookup) => void,
): Promise<void> {
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  const factsRequest = { ...request, signal };
  let failure: unknown;
  const names = targets.byName.entries();
  // A fixed number of workers, each taking the next name: enough to keep the client's connections
  // busy, where a lookup per name at once held thousands of waiting requests in memory (and the
  // garbage collector busy) before the first one was even sent.
  const worker = async (): Promise<void> => {
    for (let next = names.next(); !next.done && failure === undefined; next = names.next()) {
      // Indexing, not destructuring: an array pattern runs the iterator protocol.
      const name = next.value[0];
      const nodes = next.value[1];
      try {
        if (facts.knowsNothingOf(name)) {
          // Offline, a name the cache does not hold: nothing to build per version.
          for (let index = 0; index < nodes.length; index++) judge(nodes[index] as PackageNode, NOT_CACHED);
          continue;
        }
        const versions = nodes.map((node) => node.version);
        // Cached answers need no promise: a warm run gives thousands of them.
        const answers = facts.knownVersions(name, versions, factsRequest) ?? (await facts.versions(name, versions, factsRequest));
        if (failure !== undefined) return;
        // An indexed loop: an iterator per name shows in cold profiles (two checks × every name).
        for (let index = 0; index < nodes.length; index++) {
          const node = nodes[index];
          const lookup = node === undefined ? undefined : answers.get(node.version);
          if (node !== undefined && lookup) judge(node, lookup);
        }
      } catch (error) {
        // Later failures are the cancellation of the first, or the same outage again.
        if (failure === undefined) {
          failure = error;
          controller.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOOKUP_WORKERS, targets.byName.size) }, worker));
  if (failure !== undefined) {
    if (context.signal.aborted) throw context.signal.reason;
    // SourceUnavailableError makes the audit incomplete; anything else is recorded as a crash.
    throw failure instanceof Error ? failure : new TypeError('registry lookup failed with a non-error value');
  }
}

/** The registry as shown in messages: host and path, no credentials or query. */
export function registryLabel(registry: string): string {
  try {
    const url = new URL(registry);
    return `${url.host}${url.pathname}`.replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}
