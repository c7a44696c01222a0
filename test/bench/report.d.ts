// Types for report.js, which stays plain JavaScript so `npm run bench` needs no build.
export interface BenchRow {
  readonly lockfile: string;
  readonly tool: string;
  readonly label: string;
  readonly status: 'ok' | 'unavailable' | 'failed';
  /** A plain reference parse, which audit is compared with. */
  readonly reference?: boolean | undefined;
  readonly reason?: string | undefined;
  readonly note?: string | undefined;
  readonly exitCodes?: readonly number[] | undefined;
  readonly samplesMs?: readonly number[] | undefined;
  readonly medianMs?: number | undefined;
  readonly p90Ms?: number | undefined;
  readonly cpuSamplesMs?: readonly number[] | undefined;
  /** Median user + system time, where the platform reports it (cpu.js). */
  readonly cpuMedianMs?: number | undefined;
}

export interface BenchLockfileSummary {
  readonly name: string;
  readonly dir: string;
  readonly format: string;
  readonly formatLabel: string;
  readonly lockfileVersion: number | string;
  readonly entries: number;
}

export interface BenchRatios {
  readonly lockfile: string;
  readonly format: string;
  readonly formatLabel: string;
  readonly lockfileVersion: number | string;
  readonly entries: number;
  readonly auditMs: number | undefined;
  /** Label and median of the fastest reference parse of this lockfile. */
  readonly reference: string | undefined;
  readonly referenceMs: number | undefined;
  readonly auditVsReference: number | undefined;
  readonly auditCpuMs: number | undefined;
  readonly auditVsReferenceCpu: number | undefined;
  readonly lsVsReference: number | undefined;
  /** Issue #3's bound on auditVsReference for this format, if it sets one. */
  readonly goal: number | undefined;
  readonly goalMet: boolean | undefined;
  readonly snykVsAudit: number | undefined;
  readonly lockfileLintVsAudit: number | undefined;
  readonly loadVirtualVsAudit: number | undefined;
  readonly auditMsPer1kEntries: number | undefined;
  readonly auditNetMsPer1kEntries: number | undefined;
  readonly auditNetCpuMsPer1kEntries: number | undefined;
}

export interface BenchLinearity {
  /** Format and version: one parser, so only the size differs. */
  readonly family: string;
  readonly small: string;
  readonly smallEntries: number;
  readonly large: string;
  readonly largeEntries: number;
  readonly factor: number | undefined;
  readonly cpuFactor: number | undefined;
  /** Audit time per further 1,000 entries between the two lockfiles. */
  readonly marginalMsPer1kEntries: number;
  /** Audit time the line through both points gives for zero entries. */
  readonly fixedMs: number;
  /** The same line by CPU time, where rows carry it. */
  readonly cpuMarginalMsPer1kEntries: number | undefined;
  readonly cpuFixedMs: number | undefined;
}

export interface BenchReportInput {
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpus: number;
    readonly loadAverage: { readonly start: number; readonly end: number };
    readonly extraCaCerts: boolean;
    /** Whether rows carry CPU time. */
    readonly cpuTime?: boolean | undefined;
    /** The default registry pkgguard's rows ran with, or 'as-is' (--registry-as-is). */
    readonly pkgguardRegistry?: string | undefined;
  };
  readonly runs: number;
  readonly lockfiles: readonly BenchLockfileSummary[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly rows: readonly BenchRow[];
  readonly tools: readonly { readonly id: string; readonly label: string; readonly failurePrefix?: string | undefined }[];
  readonly ratios: readonly BenchRatios[];
  readonly linearity: readonly BenchLinearity[];
}

export const AUDIT_GOALS: Readonly<Record<string, number>>;

export function rowProblem(row: BenchRow, failurePrefix: string): string | undefined;
export function computeRatios(lockfiles: readonly BenchLockfileSummary[], rows: readonly BenchRow[]): BenchRatios[];
export function computeLinearity(ratios: readonly BenchRatios[]): BenchLinearity[];
export function formatReport(input: BenchReportInput): string;
