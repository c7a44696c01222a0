/**
 * @file Flags packages with a published security advisory (OSV, the registry's bulk advisory
 * endpoint, or an offline OSV database), one finding per copy and advisory, with the version
 * that fixes it and the dependency paths that pull it in.
 *
 * Threat: a known vulnerability is the cheapest one to exploit: the advisory tells attackers
 * what to send. Malware advisories (MAL-*, GitHub "malware") belong to the `malicious` check,
 * so users can fail on malware separately while they triage vulnerabilities.
 */
import { defineCheck } from '../core/check.ts';
import { upgradeFix } from './advisory/fix.ts';
import { reportMatches } from './advisory/report.ts';

export default defineCheck({
  meta: {
    id: 'advisory',
    description: 'Flag packages with a known vulnerability (OSV, the registry\'s advisories, an offline database)',
    rationale:
      'A release with a published advisory is vulnerable in a way attackers can read up on. Every registry ' +
      'package of the lockfile is matched against OSV (or the registry\'s bulk advisory endpoint, or an offline ' +
      'OSV database) with OSV\'s exact version semantics, and each affected copy is reported under the ' +
      'advisory\'s own id with its severity, aliases, the lowest fixed version above the locked one and the ' +
      'dependency paths that pull it in. Private package names are never sent to public services.',
    defaultSeverity: 'moderate',
    requiresNetwork: true,
    runsOffline: true,
    docs: 'https://github.com/pkgguard/pkgguard#advisory',
    tags: ['vulnerability', 'supply-chain'],
    rules: {
      vulnerable: {
        description: 'A locked release is affected by a published security advisory',
        message: '{{name}}@{{version}} is affected by {{advisoryId}} ({{summary}}); {{remedy}}',
      },
    },
  },
  async run(context) {
    await reportMatches(context, {
      rule: 'vulnerable',
      malicious: false,
      severityOf: (match) => match.advisory.severity,
      fixOf: (node, match, satisfies) =>
        match.fixedIn === undefined
          ? {
              description: `No fixed version of ${node.name} is published: remove or replace it, or ignore this finding with a reason if the vulnerable code is unreachable`,
            }
          : upgradeFix(context.graph, node, match.fixedIn, satisfies),
    });
  },
});
