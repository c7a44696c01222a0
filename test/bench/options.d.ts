// Types for options.js, which stays plain JavaScript so `npm run bench` needs no build.
export const USAGE: string;

export interface BenchOptions {
  readonly runs: number;
  readonly only: string[];
  readonly json: string | undefined;
  readonly pkgguard: string | undefined;
  readonly timeoutMs: number;
  /** --registry-as-is: pkgguard's rows keep this machine's npm configuration. */
  readonly registryAsIs: boolean;
  readonly help: boolean;
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions;
export function isSelected(only: readonly string[], lockfileName: string, toolId: string): boolean;
