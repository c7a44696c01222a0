// Preloaded with `node --import` by test/e2e/exit-codes.test.ts: adds a check with a genuine bug
// (it reads a property of undefined), so the e2e tests can see exit code 70 and check that the
// other checks' findings are still reported.
import { bundleModule } from './bundle.js';

const { builtInChecks } = bundleModule('checks/index.js');

builtInChecks.push({
  meta: {
    id: 'e2e-crash',
    description: 'Test check that crashes',
    rationale: 'Exists only in end-to-end tests.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://example.com/pkgguard#e2e-crash',
    tags: ['test'],
    rules: { never: { description: 'Never reported', message: '{{name}} never reported' } },
  },
  run(context) {
    const missing = context.graph.packages[context.graph.packages.length];
    context.log.debug(`first dependency of the missing package: ${missing.dependencies[0].name}`);
  },
});
