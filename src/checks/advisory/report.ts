/**
 * The reporting loop both advisory checks share: each copy of an affected package, once per
 * advisory of the kind the check owns (malware for `malicious`, the rest for `advisory`).
 */
import type { AdvisoryMatch } from '../../advisories/index.ts';
import type { CheckContext } from '../../core/check.ts';
import type { FixHint } from '../../core/finding.ts';
import type { PackageNode } from '../../core/graph.ts';
import type { Severity } from '../../core/severity.ts';
import { describeMatch } from './describe.ts';
import type { RangeTest } from './fix.ts';
import { affectedPackages } from './lookup.ts';
import { loadRangeTest } from './range-test.ts';

export interface MatchReporting<RuleKey extends string> {
  readonly rule: RuleKey;
  /** Which advisories the check owns. */
  readonly malicious: boolean;
  readonly severityOf: (match: AdvisoryMatch) => Severity;
  readonly fixOf: (node: PackageNode, match: AdvisoryMatch, satisfies: RangeTest) => FixHint;
}

export async function reportMatches<RuleKey extends string>(context: CheckContext<RuleKey, unknown>, reporting: MatchReporting<RuleKey>): Promise<void> {
  const owned = (match: AdvisoryMatch): boolean => match.advisory.malicious === reporting.malicious;
  const affected = (await affectedPackages(context)).filter(({ matches }) => matches.some(owned));
  if (affected.length === 0) return;
  const satisfies = await loadRangeTest();
  for (const { node, matches } of affected) {
    for (const match of matches.filter(owned)) {
      const { dynamicRule, data, references } = describeMatch(context.graph, node, match, reporting.severityOf(match));
      context.report({ node, rule: reporting.rule, dynamicRule, data, references, fix: reporting.fixOf(node, match, satisfies) });
    }
  }
}
