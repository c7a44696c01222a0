// Types for report.js, which stays plain JavaScript so `npm run bench` needs no build.
export interface BenchRow {
  readonly lockfile: string;
  readonly tool: string;
  readonly label: string;
  readonly status: 'ok' | 'unavailable' | 'failed';
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  readonly exitCodes?: readonly number[] | undefined;
  readonly samplesMs?: readonly number[] | undefined;
  readonly medianMs?: number | undefined;
  readonly p90Ms?: number | undefined;
}

export interface BenchLockfileSummary {
  readonly name: string;
  readonly dir: string;
  readonly lockfileVersion: number;
  readonly entries: number;
}

export interface BenchRatios {
  readonly lockfile: string;
  readonly lockfileVersion: number;
  readonly entries: number;
  readonly auditMs: number | undefined;
  readonly auditVsJsonParse: number | undefined;
  readonly lockfileLintVsAudit: number | undefined;
  readonly loadVirtualVsAudit: number | undefined;
  readonly auditMsPer1kEntries: number | undefined;
  readonly auditNetMsPer1kEntries: number | undefined;
}

export interface BenchLinearity {
  readonly small: string;
  readonly smallEntries: number;
  readonly large: string;
  readonly largeEntries: number;
  readonly factor: number | undefined;
  /** Audit time per further 1,000 entries between the two lockfiles. */
  readonly marginalMsPer1kEntries: number;
  /** Audit time the line through both points gives for zero entries. */
  readonly fixedMs: number;
}

export interface BenchReportInput {
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly loadAverage: { readonly start: number; readonly end: number };
    readonly extraCaCerts: boolean;
  };
  readonly runs: number;
  readonly lockfiles: readonly BenchLockfileSummary[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly rows: readonly BenchRow[];
  readonly tools: readonly { readonly id: string; readonly label: string; readonly failurePrefix?: string | undefined }[];
  readonly ratios: readonly BenchRatios[];
  readonly linearity: BenchLinearity | undefined;
}

export function rowProblem(row: BenchRow, failurePrefix: string): string | undefined;
export function computeRatios(lockfiles: readonly BenchLockfileSummary[], rows: readonly BenchRow[]): BenchRatios[];
export function computeLinearity(ratios: readonly BenchRatios[]): BenchLinearity | undefined;
export function formatReport(input: BenchReportInput): string;
