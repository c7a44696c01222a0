// Preloaded with `node --import` by test/e2e/exit-codes.test.ts: adds a check whose data source
// is missing (an offline advisory database that was never downloaded), so the e2e tests can see
// exit code 4 before any real source-backed check exists. It needs no network, so it also runs
// under --offline. It relies on `builtInChecks` being a plain (unfrozen) array at runtime.
import { bundleModule } from './bundle.js';

const { builtInChecks } = bundleModule('checks/index.js');
const { SourceUnavailableError } = bundleModule('core/errors.js');

builtInChecks.push({
  meta: {
    id: 'e2e-source-down',
    description: 'Test check whose advisory database is missing',
    rationale: 'Exists only in end-to-end tests.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://example.com/pkgguard#e2e-source-down',
    tags: ['test'],
    rules: { never: { description: 'Never reported', message: '{{name}} never reported' } },
  },
  run() {
    throw new SourceUnavailableError('offline advisory database not found at .pkgguard-cache/osv');
  },
});
