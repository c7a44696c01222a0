// Types for lockfiles.js, which stays plain JavaScript so `npm run bench` needs no build.
export type BenchFormat = 'npm' | 'yarn-classic' | 'yarn-berry' | 'pnpm' | 'bun';

export interface BenchLockfileSpec {
  readonly name: string;
  /** Relative to the repository root. */
  readonly dir: string;
  /** Default npm. */
  readonly format?: BenchFormat;
  /** Written by materializeLarge() before a run. */
  readonly generated?: boolean;
}

export interface LoadedBenchLockfile extends BenchLockfileSpec {
  readonly missing?: undefined;
  readonly format: BenchFormat;
  /** How the report names format and version, e.g. "yarn Berry v8", "pnpm-lock 9.0". */
  readonly formatLabel: string;
  readonly absoluteDir: string;
  readonly lockfilePath: string;
  readonly lockfileVersion: number | string;
  readonly entries: number;
}

export interface MissingBenchLockfile extends BenchLockfileSpec {
  readonly missing: string;
}

export const GENERATED_DIR: string;
export const BENCH_LOCKFILES: readonly BenchLockfileSpec[];
export const BENCH_FORMATS: Readonly<
  Record<BenchFormat, { readonly file: string; readonly label: string; read(text: string): { lockfileVersion: number | string; entries: number } }>
>;
export function countEntries(lock: unknown): number;
export function loadBenchLockfile(repoRoot: string, spec: BenchLockfileSpec): LoadedBenchLockfile | MissingBenchLockfile;
