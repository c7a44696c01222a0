// Types for stats.js, which stays plain JavaScript so `npm run bench` needs no build.
export function median(samples: readonly number[]): number | undefined;
export function percentile(samples: readonly number[], p: number): number | undefined;
export function ratio(a: number | undefined, b: number | undefined): number | undefined;
export function perThousandEntries(ms: number | undefined, entries: number): number | undefined;
