// Types for lockfiles.js, which stays plain JavaScript so `npm run bench` needs no build.
export interface BenchLockfileSpec {
  readonly name: string;
  /** Relative to the repository root. */
  readonly dir: string;
}

export interface LoadedBenchLockfile extends BenchLockfileSpec {
  readonly missing?: undefined;
  readonly absoluteDir: string;
  readonly lockfilePath: string;
  readonly lockfileVersion: number;
  readonly entries: number;
}

export interface MissingBenchLockfile extends BenchLockfileSpec {
  readonly missing: string;
}

export const BENCH_LOCKFILES: readonly BenchLockfileSpec[];
export function countEntries(lock: unknown): number;
export function loadBenchLockfile(repoRoot: string, spec: BenchLockfileSpec): LoadedBenchLockfile | MissingBenchLockfile;
