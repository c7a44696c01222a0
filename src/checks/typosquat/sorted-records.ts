/**
 * Look-ups in a generated list of records kept as one string: `key[ value],key[ value],...`,
 * sorted by key (UTF-16 code-unit order, a key before every longer key it starts). A binary
 * search over character positions finds a key without any index: each step jumps to the
 * record around the middle of the remaining range. Loading is parsing one string literal.
 *
 * The list may also come as its ASCII bytes (as read from a data file): searched the same way
 * where it lies, since a search reads a few dozen of its characters and decoding all of them
 * into a string first cost more than the search (fresh memory is slow to touch in a short run).
 */

import { asciiText } from './ascii.ts';

const RECORD = 44; // ','
const VALUE = 32; // ' '

/** Sorted records as text, or as the text's ASCII bytes (a byte is then its character's code). */
export type SortedRecords = string | Uint8Array;

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
export function findRecord(records: SortedRecords, key: string): string | undefined {
  let low = 0; // Start of the first record that may still hold the key.
  let high = records.length; // End of the range: a ',' or the end of the records.
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = lastRecordEnd(records, middle - 1) + 1;
    const record = start < low ? low : start;
    const order = compareKey(records, record, key);
    if (order === 0) return valueAt(records, record + key.length);
    if (order < 0) {
      const next = nextRecordEnd(records, record);
      if (next < 0) return undefined;
      low = next + 1;
    } else {
      high = record - 1;
    }
  }
  return undefined;
}

/** Negative when the record's key at `at` sorts before `key`; the key ends at ' ', ',' or the records' end. */
function compareKey(records: SortedRecords, at: number, key: string): number {
  for (let i = 0; ; i++) {
    const code = at + i < records.length ? (codeAt(records, at + i) as number) : RECORD;
    const own = code === RECORD || code === VALUE ? -1 : code;
    const wanted = i < key.length ? key.charCodeAt(i) : -1;
    if (own !== wanted) return own - wanted;
    if (own === -1) return 0;
  }
}

function valueAt(records: SortedRecords, end: number): string {
  if (codeAt(records, end) !== VALUE) return '';
  const next = nextRecordEnd(records, end);
  const to = next < 0 ? records.length : next;
  return typeof records === 'string' ? records.slice(end + 1, to) : asciiText(records, end + 1, to);
}

/** The code at `at`; NaN past the end in text, undefined in bytes (neither is a separator). */
function codeAt(records: SortedRecords, at: number): number | undefined {
  return typeof records === 'string' ? records.charCodeAt(at) : records[at];
}

/** Position of the last ',' at or before `at`, or -1; before the start, position 0 is the one looked at (as in a string). */
function lastRecordEnd(records: SortedRecords, at: number): number {
  // A typed array would read a negative position from its end.
  const from = at < 0 ? 0 : at;
  return typeof records === 'string' ? records.lastIndexOf(',', from) : records.lastIndexOf(RECORD, from);
}

/** Position of the first ',' at or after `at`, or -1. */
function nextRecordEnd(records: SortedRecords, at: number): number {
  return typeof records === 'string' ? records.indexOf(',', at) : records.indexOf(RECORD, at);
}
