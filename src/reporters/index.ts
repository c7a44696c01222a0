/**
 * The built-in reporters, keyed by their --format value (knip's reporter registry, osv-scanner's
 * single switch). The CLI validates --format against REPORTER_IDS and lists the descriptions.
 */
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/did-you-mean.ts';
import type { Reporter } from '../core/reporter.ts';

/**
 * Loaded on demand: a JSON run should not pay for chalk or the SARIF rule builder at start-up.
 * Values are module loaders, so the list of ids is known without loading anything.
 */
export const REPORTERS = {
  json: async () => (await import('./json.ts')).default,
  sarif: async () => (await import('./sarif.ts')).default,
  text: async () => (await import('./text.ts')).default,
} as const satisfies Readonly<Record<string, () => Promise<Reporter>>>;

export type ReporterId = keyof typeof REPORTERS;

/** Sorted, for --help and error messages. */
export const REPORTER_IDS = Object.keys(REPORTERS).sort() as readonly ReporterId[];

export function isReporterId(id: string): id is ReporterId {
  return Object.hasOwn(REPORTERS, id);
}

/** Throws UsageError (exit 2) naming the valid formats for an unknown id. */
export async function getReporter(id: string): Promise<Reporter> {
  if (isReporterId(id)) return await REPORTERS[id]();
  const suggestion = didYouMean(id, REPORTER_IDS);
  throw new UsageError(`unknown format "${id}": must be one of ${REPORTER_IDS.join(', ')}`, {
    hints: suggestion ? [`did you mean "${suggestion}"?`] : [],
  });
}
