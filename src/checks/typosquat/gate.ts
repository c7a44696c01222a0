/**
 * The popularity gate: a look-alike is reported only when its target is far more popular than
 * the candidate. Legitimate look-alike pairs are both popular (react/preact, chalk/chai,
 * colors/color); squats are obscure next to their target.
 */
import type { Lookalike } from './matcher.ts';
import type { StepKind } from './names.ts';

/**
 * How many times more monthly downloads the target needs than the candidate.
 *
 * Derived from the data by `npm run bench:typosquat` ("gate derivation"): the 90th percentile of
 * the target/candidate download ratio among look-alike pairs in which both names are protected,
 * i.e. legitimate pairs, to one significant digit (48.6 → 50 for the 2026-11-22 snapshot). So
 * popularity alone lets through one legitimate pair in ten; the lexical rules stop the rest.
 * The incidents whose counts are known sit far above it (crossenv: 5,683).
 */
export const POPULARITY_RATIO = 50;

/**
 * Rewrites that also describe how legitimate packages are named: a package that moved into a
 * scope leaves its old unscoped name behind (`readdir-enhanced`), plurals and trimmed affixes
 * are ordinary naming. A name with such a link to a popular one is flagged only when nobody
 * uses it (its downloads are below the known floor): squats are new and unused, the old names
 * are not.
 */
export const WEAK_EVIDENCE: ReadonlySet<StepKind> = new Set<StepKind>(['scope-dropped', 'affix-removed', 'plural', 'singular']);

/**
 * `candidateDownloads` undefined means "below `unknownCeiling`": names under the known floor are
 * not in the data, so the floor is the most the candidate can have, and the gate uses it. A
 * target at least `POPULARITY_RATIO` times the floor therefore always passes for such names.
 */
export function passesPopularityGate(
  lookalike: Lookalike,
  candidateDownloads: number | undefined,
  unknownCeiling: number,
): boolean {
  if (candidateDownloads !== undefined && lookalike.steps.some((step) => WEAK_EVIDENCE.has(step.kind))) return false;
  return lookalike.target.downloads >= POPULARITY_RATIO * (candidateDownloads ?? unknownCeiling);
}
