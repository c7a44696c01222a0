import { SourceUnavailableError } from '../core/errors.ts';

/**
 * Offline (or with `db` listed as a source) and no offline database: nothing can answer. Checks
 * may turn it into `context.skip(error.message)` instead of an incomplete audit.
 */
export class NoAdvisorySourceError extends SourceUnavailableError {}

/** Key of `AdvisoryLookupResult.matches`. */
export function advisoryKey(name: string, version: string): string {
  return `${name}@${version}`;
}
