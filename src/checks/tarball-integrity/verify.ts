/**
 * Runs the verifications of tarball-integrity: one download (or one npm-cache lookup) per distinct
 * URL and algorithm, every entry that shares it judged against the one digest, all of them in
 * parallel (the tarball source bounds concurrency), and the first failure cancelling the rest so an
 * unreachable registry fails in seconds rather than after every tarball's retries.
 */
import type { CheckContext } from '../../core/check.ts';
import type { CachedTarball, RemoteTarball, TarballSource } from '../../registry/tarball-types.ts';
import type { LocalTarget, RemoteTarget } from './targets.ts';

/** What one verification found, for every entry of its group. */
export type Verdict =
  | { readonly kind: 'served'; readonly target: RemoteTarget; readonly result: RemoteTarball }
  | { readonly kind: 'cached'; readonly target: RemoteTarget; readonly result: CachedTarball }
  | { readonly kind: 'local'; readonly target: LocalTarget; readonly digest: string | undefined };

/** Entries that share a download: same URL, same algorithm. */
function groupBy<T extends RemoteTarget | LocalTarget>(targets: readonly T[], keyOf: (target: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const target of targets) {
    const key = keyOf(target);
    const group = groups.get(key);
    if (group) group.push(target);
    else groups.set(key, [target]);
  }
  return [...groups.values()];
}

export async function verifyAll(
  context: CheckContext,
  source: TarballSource,
  remote: readonly RemoteTarget[],
  local: readonly LocalTarget[],
  judge: (verdict: Verdict) => void,
): Promise<void> {
  const controller = new AbortController();
  const signal = AbortSignal.any([context.signal, controller.signal]);
  let failure: unknown;
  const run = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      // Later failures are the cancellation of the first, or the same outage again.
      if (failure === undefined) {
        failure = error;
        controller.abort();
      }
    }
  };
  // Offline, a hit by digest answers for the integrity it was looked up with: entries that write
  // another integrity for the same URL are looked up on their own.
  const remoteGroups = groupBy(remote, (target) => `${target.algorithm}\n${target.url}${context.offline ? `\n${target.integrity}` : ''}`);
  const localGroups = groupBy(local, (target) => `${target.algorithm}\n${target.relativePath}`);
  await Promise.all([
    ...remoteGroups.map((group) =>
      run(async () => {
        const [first] = group;
        if (first === undefined) return;
        if (context.offline) {
          const urls = first.writtenUrl === undefined ? [first.url] : [first.url, first.writtenUrl];
          const result = await source.cached({ urls, integrity: first.integrity, algorithm: first.algorithm, signal });
          if (failure === undefined) for (const target of group) judge({ kind: 'cached', target, result });
          return;
        }
        const result = await source.fetch({ url: first.url, registry: first.registry, algorithm: first.algorithm, signal });
        if (failure === undefined) for (const target of group) judge({ kind: 'served', target, result });
      }),
    ),
    ...localGroups.map((group) =>
      run(async () => {
        const [first] = group;
        if (first === undefined) return;
        const digest = await source.hashProjectFile(first.relativePath, first.algorithm);
        if (failure === undefined) for (const target of group) judge({ kind: 'local', target, digest });
      }),
    ),
  ]);
  if (failure !== undefined) {
    if (context.signal.aborted) throw context.signal.reason;
    // SourceUnavailableError makes the audit incomplete; anything else is recorded as a crash.
    throw failure instanceof Error ? failure : new TypeError('tarball verification failed with a non-error value');
  }
}

/** Whether a computed `<algorithm>-<digest>` is one of the lockfile's (space-separated) digests. */
export function matches(expected: string, actual: string): boolean {
  return expected.split(' ').includes(actual);
}
