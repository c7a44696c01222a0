// Summary statistics for benchmark samples. Pure functions, so test/bench/stats.test.ts can pin
// them down exactly; the harness itself only measures.

/** Median; the mean of the two middle values for an even count. */
export function median(samples) {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Nearest-rank percentile: always one of the samples, so a p90 of 10 runs is the second
 * slowest run rather than an interpolation between runs that never happened.
 */
export function percentile(samples, p) {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** a / b, or undefined when either side is missing, so a failed tool shows "n/a", not NaN. */
export function ratio(a, b) {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}

/** Milliseconds per 1,000 lockfile entries. */
export function perThousandEntries(ms, entries) {
  if (ms === undefined || entries <= 0) return undefined;
  return (ms / entries) * 1000;
}
