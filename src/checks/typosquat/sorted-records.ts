/**
 * Look-ups in a generated list of records kept as one string: `key[ value],key[ value],...`,
 * sorted by key (UTF-16 code-unit order, a key before every longer key it starts). A binary
 * search over character positions finds a key without any index: each step jumps to the
 * record around the middle of the remaining range. Loading is parsing one string literal.
 */

const RECORD = 44; // ','
const VALUE = 32; // ' '

/** Sorts and joins records for `findRecord`; keys must not contain ',' or ' '. */
export function joinRecords(records: readonly (readonly [key: string, value?: string | undefined])[]): string {
  return [...records]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => (value === undefined ? key : `${key} ${value}`))
    .join(',');
}

/**
 * The value of `key` ('' for a record without one), or undefined when the list has no such key.
 */
export function findRecord(text: string, key: string): string | undefined {
  let low = 0; // Start of the first record that may still hold the key.
  let high = text.length; // End of the range: a ',' or the end of the text.
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = text.lastIndexOf(',', middle - 1) + 1;
    const record = start < low ? low : start;
    const order = compareKey(text, record, key);
    if (order === 0) return valueAt(text, record + key.length);
    if (order < 0) {
      const next = text.indexOf(',', record);
      if (next < 0) return undefined;
      low = next + 1;
    } else {
      high = record - 1;
    }
  }
  return undefined;
}

/** Negative when the record's key at `at` sorts before `key`; the key ends at ' ', ',' or the text's end. */
function compareKey(text: string, at: number, key: string): number {
  for (let i = 0; ; i++) {
    const code = at + i < text.length ? text.charCodeAt(at + i) : RECORD;
    const own = code === RECORD || code === VALUE ? -1 : code;
    const wanted = i < key.length ? key.charCodeAt(i) : -1;
    if (own !== wanted) return own - wanted;
    if (own === -1) return 0;
  }
}

function valueAt(text: string, end: number): string {
  if (text.charCodeAt(end) !== VALUE) return '';
  const next = text.indexOf(',', end);
  return text.slice(end + 1, next < 0 ? undefined : next);
}
