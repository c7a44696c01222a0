// Types for measure.js, which stays plain JavaScript so `npm run bench` needs no build.
export interface MeasuredRow {
  readonly lockfile: string;
  readonly tool: string;
  readonly label: string;
  readonly status: 'ok' | 'failed' | 'unavailable';
  readonly reason?: string;
  readonly note?: string;
  readonly exitCodes?: number[];
  readonly samplesMs?: number[];
  readonly medianMs?: number;
}

export interface BenchTool {
  readonly id: string;
  readonly label: string;
  readonly reference?: boolean;
  readonly okExitCodes: readonly number[];
  command(lockfile: { readonly name: string }): { file: string; args: string[]; env?: Record<string, string> } | { unavailable: string };
  summarize?(stdout: string): string;
}

export function measureTools(
  tools: readonly BenchTool[],
  lockfile: { readonly name: string },
  options: { runs: number; cwd: string; timeoutMs: number; cpuClock?: () => number; onWarmUp?: (tool: BenchTool) => void },
): MeasuredRow[];
