// Preloaded with `node --import` by test/e2e/exit-codes.test.ts: adds a check that declares it
// needs the network, so the e2e tests can see --offline list it as skipped. Running it would be
// a bug under --offline, so it crashes loudly if it ever runs.
import { bundleModule } from './bundle.js';

const { builtInChecks } = bundleModule('checks/index.js');

builtInChecks.push({
  meta: {
    id: 'e2e-network',
    description: 'Test check that needs the network',
    rationale: 'Exists only in end-to-end tests.',
    defaultSeverity: 'high',
    requiresNetwork: true,
    docs: 'https://example.com/pkgguard#e2e-network',
    tags: ['test'],
    rules: { never: { description: 'Never reported', message: '{{name}} never reported' } },
  },
  run() {
    throw new Error('e2e-network ran although --offline was given');
  },
});
