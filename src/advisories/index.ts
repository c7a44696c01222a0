/**
 * Public entry of the advisory data layer, the contract with the `advisory` and `malicious`
 * checks (see types.ts). The implementation is loaded on the first lookup, so audits that run
 * no advisory check never pay for it.
 */
import type * as LookupModule from './lookup.ts';
// Static: small (no lookup machinery, no semver), and every offline audit asks it before skipping.
import { assertSourceAvailable } from './sources.ts';
import type { AdvisoryLookupRequest, AdvisoryLookupResult } from './types.ts';

export type {
  Advisory,
  AdvisoryLookupRequest,
  AdvisoryLookupResult,
  AdvisoryMatch,
  AdvisoryQuery,
  AdvisorySettings,
  AdvisorySourceId,
  CvssScore,
} from './types.ts';

export { advisoryKey, NoAdvisorySourceError } from './errors.ts';

/**
 * The advisories affecting each queried package, from the configured sources, merged and
 * de-duplicated. Throws SourceUnavailableError when no source could answer (NoAdvisorySourceError
 * when there was none to ask); ConfigError for an unusable `advisories` setting or database path.
 * Callers that need one lookup for several checks share it with `services.shared`.
 */
export async function lookupAdvisories(request: AdvisoryLookupRequest): Promise<AdvisoryLookupResult> {
  const { lookup } = await loadLookup();
  return lookup(request);
}

/**
 * Throws NoAdvisorySourceError (or ConfigError for a missing configured database) when a lookup
 * could not ask anybody, e.g. offline without a database, so callers can skip early instead of
 * preparing a lookup that is bound to fail. Synchronous: one stat at most.
 */
export function assertAdvisorySourceAvailable(request: Pick<AdvisoryLookupRequest, 'services' | 'offline'>): void {
  assertSourceAvailable(request);
}

function loadLookup(): Promise<typeof LookupModule> {
  return import('./lookup.ts');
}
