/**
 * Damerau–Levenshtein distance (the optimal-string-alignment variant: an adjacent swap costs
 * one, as a typing slip does) with an early exit, and a description of a single edit.
 */
import { isHomoglyphPair, type Step } from './names.ts';

/**
 * Distance between `a` and `b` (or the part of `b` from `from` to `to`, so that a caller
 * scanning packed records slices nothing), or `limit + 1` as soon as it is known to exceed `limit`.
 */
export function boundedDistance(a: string, b: string, limit: number, from = 0, to = b.length): number {
  const bLength = to - from;
  if (Math.abs(a.length - bLength) > limit) return limit + 1;
  if (bLength === b.length && a === b) return 0;
  const width = bLength + 1;
  // Three rolling rows (the swap rule looks two rows back), in one reused buffer: this runs
  // for every popular scope of a similar length when a name sits in an unknown scope.
  if (rows.length < 3 * width) rows = new Int32Array(6 * width);
  let twoBack = 0;
  let previous = width;
  let current = 2 * width;
  for (let j = 0; j < width; j++) rows[previous + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows[current] = i;
    let rowMinimum = i;
    const own = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const other = b.charCodeAt(from + j - 1);
      let value = Math.min(
        (rows[previous + j] as number) + 1,
        (rows[current + j - 1] as number) + 1,
        (rows[previous + j - 1] as number) + (own === other ? 0 : 1),
      );
      if (i > 1 && j > 1 && own === b.charCodeAt(from + j - 2) && a.charCodeAt(i - 2) === other) {
        value = Math.min(value, (rows[twoBack + j - 2] as number) + 1);
      }
      rows[current + j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    const oldest = twoBack;
    twoBack = previous;
    previous = current;
    current = oldest;
  }
  const distance = rows[previous + bLength] as number;
  return distance > limit ? limit + 1 : distance;
}

let rows = new Int32Array(96);

/**
 * The letters of `text` counted into 128 buckets (by character code modulo 128), for
 * `mayBeWithin`: built once per query, then compared with many records.
 */
export function letterCounts(text: string, counts = new Int32Array(128)): Int32Array {
  // A caller searching many names passes one array to refill: a fresh typed array per search
  // (its memory outside the heap, allocated and tracked by V8) showed in cold profiles.
  counts.fill(0);
  for (let i = 0; i < text.length; i++) (counts[text.charCodeAt(i) & 127] as number)++;
  return counts;
}

/**
 * False when `b` (or its part from `from` to `to`) is certainly more than `limit` edits from the
 * text whose `letterCounts` are `counts` and whose length is `length`; true when it may not be.
 * An edit changes at most one letter on each side of the comparison (a swap none), so letters
 * of either word that the other lacks are at most the distance; buckets shared by two letters
 * only lower that count, so the test never rejects a word within `limit`. Linear and cheap next
 * to `boundedDistance`, which then runs only for the few words that pass: a name in an unknown
 * scope is compared with thousands of popular scopes of a similar length.
 */
export function mayBeWithin(counts: Int32Array, length: number, limit: number, b: string, from = 0, to = b.length): boolean {
  scratch.set(counts);
  let unmatched = 0;
  for (let i = from; i < to; i++) {
    const bucket = b.charCodeAt(i) & 127;
    if ((scratch[bucket] as number) > 0) (scratch[bucket] as number)--;
    else if (++unmatched > limit) return false;
  }
  return length - (to - from - unmatched) <= limit;
}

const scratch = new Int32Array(128);

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
  if (sameTails(a, i + 1, b, i + 1)) return true;
  return a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameTails(a, i + 2, b, i + 2);
}

/** `longer` is `shorter` with one character added. */
function isOneInsertion(longer: string, shorter: string): boolean {
  if (longer.length !== shorter.length + 1) return false;
  let i = 0;
  while (i < shorter.length && longer.charCodeAt(i) === shorter.charCodeAt(i)) i++;
  return sameTails(longer, i + 1, shorter, i);
}

/** `a.slice(from) === b.slice(bFrom)`, without the slices. */
function sameTails(a: string, from: number, b: string, bFrom: number): boolean {
  if (a.length - from !== b.length - bFrom) return false;
  for (let i = from, j = bFrom; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
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
