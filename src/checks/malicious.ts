/**
 * @file Flags releases known to be malicious: OSV `MAL-*` records and GitHub advisories of type
 * malware (event-stream's flatmap-stream, the hijacked ua-parser-js releases, protestware).
 *
 * Threat: installing such a release runs the attacker's code on developer machines and CI, with
 * their credentials. It is a separate check from `advisory` so that a pipeline can fail on
 * malware alone (`--checks malicious` or a severity override) while vulnerabilities are
 * triaged; the lookup is shared, so running both costs one.
 */
import { defineCheck } from '../core/check.ts';
import { upgradeFix } from './advisory/fix.ts';
import { reportMatches } from './advisory/report.ts';

/** Whatever the release could reach is exposed: removing it is not the end of the cleanup. */
const COMPROMISED = 'treat every machine that installed it as compromised and rotate the credentials it could read';

export default defineCheck({
  meta: {
    id: 'malicious',
    description: 'Flag releases known to be malicious (OSV MAL records, GitHub malware advisories)',
    rationale:
      'Some releases are malware: typosquats, hijacked maintainer accounts (ua-parser-js 0.7.29), injected ' +
      'dependencies (flatmap-stream under event-stream), protestware (node-ipc). Installing one runs the ' +
      'attacker\'s code with the installing user\'s credentials. Every registry package of the lockfile is ' +
      'matched against OSV\'s malicious-package records and GitHub\'s malware advisories, from the same lookup ' +
      'as the advisory check; each match is critical.',
    defaultSeverity: 'critical',
    requiresNetwork: true,
    runsOffline: true,
    docs: 'https://github.com/pkgguard/pkgguard#malicious',
    tags: ['malware', 'supply-chain'],
    rules: {
      malware: {
        description: 'A locked release is known to be malicious',
        message: '{{name}}@{{version}} is a known malicious release: {{advisoryId}} ({{summary}}); {{remedy}}',
        severity: 'critical',
      },
    },
  },
  async run(context) {
    await reportMatches(context, {
      rule: 'malware',
      malicious: true,
      // Whatever the advisory's own rating, running an attacker's code is critical.
      severityOf: () => 'critical',
      fixOf: (node, match, satisfies) => {
        if (match.fixedIn === undefined) return { description: `Remove ${node.name} and whatever depends on it, then ${COMPROMISED}` };
        const upgrade = upgradeFix(context.graph, node, match.fixedIn, satisfies);
        return { ...upgrade, description: `${upgrade.description}; then ${COMPROMISED}` };
      },
    });
  },
});
