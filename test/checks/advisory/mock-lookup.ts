/**
 * The body of the `vi.mock` both check test files put on src/advisories/index.ts: everything real
 * but `lookupAdvisories`, which records the request and answers with the test's fake. Only types
 * are imported here, so the mock factory can load this file without loading the mocked module.
 */
import type * as AdvisoriesModule from '../../../src/advisories/index.ts';
import type { FakeLookup } from './fake-lookup.ts';

export function withFakeLookup(original: typeof AdvisoriesModule, fake: { readonly current: FakeLookup | undefined }): typeof AdvisoriesModule {
  return {
    ...original,
    lookupAdvisories: (request) => {
      fake.current!.requests.push(request);
      return fake.current!.answer(request);
    },
  };
}
