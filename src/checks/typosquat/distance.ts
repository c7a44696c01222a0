/**
 * Damerau–Levenshtein distance (the optimal-string-alignment variant: an adjacent swap costs
 * one, as a typing slip does) with an early exit, and a description of a single edit.
 */
import { isHomoglyphPair, type Step } from './names.ts';

/** Distance between `a` and `b`, or `limit + 1` as soon as it is known to exceed `limit`. */
export function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  // Three rolling rows: the swap rule looks two rows back.
  let twoBack = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (twoBack[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  const distance = previous[b.length] ?? limit + 1;
  return distance > limit ? limit + 1 : distance;
}

/**
 * True when `a` and `b` are exactly one edit apart: one character substituted, added or
 * removed, or two neighbours swapped. Linear and allocation-free, because it runs for every
 * name in the candidate buckets.
 */
export function isOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) return isOneInsertion(b, a);
  if (a.length > b.length) return isOneInsertion(a, b);
  let i = 0;
  while (i < a.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === a.length) return false;
  if (a.slice(i + 1) === b.slice(i + 1)) return true;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** `longer` is `shorter` with one character added. */
function isOneInsertion(longer: string, shorter: string): boolean {
  if (longer.length !== shorter.length + 1) return false;
  let i = 0;
  while (i < shorter.length && longer.charCodeAt(i) === shorter.charCodeAt(i)) i++;
  return longer.slice(i + 1) === shorter.slice(i);
}

/**
 * Names the one edit that turns `target` into `candidate` (distance 1, same form), in the
 * words a reviewer would use: "`x` omitted", "`ei` swapped", "`s` repeated".
 */
export function describeEdit(candidate: string, target: string): Step {
  let i = 0;
  while (i < candidate.length && i < target.length && candidate[i] === target[i]) i++;
  const c = candidate[i] ?? '';
  const t = target[i] ?? '';
  if (candidate.length === target.length) {
    if (c === target[i + 1] && t === candidate[i + 1] && candidate.slice(i + 2) === target.slice(i + 2)) {
      return { kind: 'typo', text: `adjacent letters swapped (\`${t}${c}\` → \`${c}${t}\`)` };
    }
    if (isHomoglyphPair(c, t)) return { kind: 'homoglyph', text: `look-alike character (\`${c}\` for \`${t}\`)` };
    return { kind: 'typo', text: `character substituted (\`${c}\` for \`${t}\`)` };
  }
  if (candidate.length < target.length) {
    const repeated = target[i - 1] === t || target[i + 1] === t;
    return { kind: 'typo', text: repeated ? `doubled \`${t}\` written once` : `character \`${t}\` omitted` };
  }
  const repeated = candidate[i - 1] === c || candidate[i + 1] === c;
  return { kind: 'typo', text: repeated ? `character \`${c}\` repeated` : `character \`${c}\` added` };
}
