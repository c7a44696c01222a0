/**
 * A hash multimap from keys to small integers (ranks), packed into two strings so that a
 * generated module can embed it and loading it costs nothing but parsing two string literals.
 *
 * Model: keys are hashed (with a `kind` that keeps different kinds of key apart) into a
 * power-of-two number of buckets; each bucket holds items, an item being the rank plus 8 more
 * bits of the key's hash (a fingerprint). The keys themselves are not stored: a reader verifies
 * each rank it is given against the entry the rank names, and the fingerprint makes a stray
 * rank (another key in the same bucket) a 1-in-256 event, so verifying is rarely wasted work.
 *
 * Layout: `counts` says how many items each bucket holds, in bucket order: one digit, or for 63
 * and more (a pigeonhole key shared by many names) the digit 63 and three more digits. `items`
 * has `itemChars` characters per item, buckets in order, ranks ascending within a bucket. Every
 * character is a base64 digit, which needs no escaping in any string literal.
 */

export interface PackedTable {
  /** A power of two. */
  readonly buckets: number;
  /** Base64 digits per item (at most 5): 8 fingerprint bits, the rest (6 × itemChars − 8) the rank. */
  readonly itemChars: number;
  readonly counts: string;
  readonly items: string;
}

/** One key (already hashed with `hashKey`) filed under one rank. */
export interface TableItem {
  readonly hash: number;
  readonly rank: number;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT_VALUE = new Uint8Array(128);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

/** A count digit meaning "the count follows in three digits". */
const LONG_COUNT = DIGITS.length - 1;
const FINGERPRINT_BITS = 8;
/** 8 + 22 bits: four million ranks, and every value a small integer. */
const MAX_ITEM_CHARS = 5;

const rankMask = (rankBits: number): number => (1 << rankBits) - 1;

/**
 * FNV-1a over the UTF-16 code units of `text[start, end)`, seeded with `kind`, then murmur3's
 * finaliser: buckets are taken from the low bits, where plain FNV is weakest. Works on a range
 * so a caller can look up a name's first letters without slicing them off.
 */
export function hashKey(kind: number, text: string, start = 0, end = text.length): number {
  let hash = Math.imul(0x811c9dc5 ^ kind, 0x01000193);
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Packs the items; the same (hash, rank) pair filed twice is stored once. */
export function packTable(items: readonly TableItem[], rankCount: number): PackedTable {
  let itemChars = 2;
  while (2 ** (6 * itemChars - FINGERPRINT_BITS) < rankCount) itemChars++;
  // Readers decode an item with 32-bit integer arithmetic.
  if (itemChars > MAX_ITEM_CHARS) throw new RangeError(`packTable: ${rankCount} ranks do not fit ${MAX_ITEM_CHARS} digits`);
  // About four items per bucket: a scan of four items is a few dozen character reads, and the
  // counts (read once, on first use) stay small next to the items.
  let buckets = 1;
  while (buckets * 4 < items.length) buckets *= 2;
  const byBucket: number[][] = Array.from({ length: buckets }, () => []);
  const rankBits = 6 * itemChars - FINGERPRINT_BITS;
  for (const { hash, rank } of items) {
    const value = ((hash >>> (32 - FINGERPRINT_BITS)) << rankBits) | rank;
    const bucket = byBucket[hash & (buckets - 1)] as number[];
    if (!bucket.includes(value)) bucket.push(value);
  }
  let counts = '';
  const encoded: string[] = [];
  for (const bucket of byBucket) {
    if (bucket.length >= 64 ** 3) throw new RangeError(`packTable: ${bucket.length} items share one key`);
    counts += bucket.length < LONG_COUNT ? DIGITS[bucket.length] : DIGITS[LONG_COUNT] + encodeDigits(bucket.length, 3);
    bucket.sort((a, b) => (a & rankMask(rankBits)) - (b & rankMask(rankBits)) || a - b);
    for (const value of bucket) encoded.push(encodeDigits(value, itemChars));
  }
  return { buckets, itemChars, counts, items: encoded.join('') };
}

function encodeDigits(value: number, width: number): string {
  let out = '';
  for (let i = width - 1; i >= 0; i--) out += DIGITS[Math.floor(value / 2 ** (6 * i)) % 64];
  return out;
}

export interface TableReader {
  /** Calls `visit` with every rank filed under a key with this hash (and, rarely, a stray one). */
  visit(hash: number, visit: (rank: number) => void): void;
}

export function openTable(table: PackedTable): TableReader {
  const { buckets, itemChars, counts, items } = table;
  const rankBits = 6 * itemChars - FINGERPRINT_BITS;
  const mask = rankMask(rankBits);
  let starts: Uint32Array | undefined;
  return {
    visit(hash, visit) {
      // Bucket starts are a running sum of the counts: a single pass on first use.
      starts ??= bucketStarts(counts, buckets);
      const bucket = hash & (buckets - 1);
      const fingerprint = hash >>> (32 - FINGERPRINT_BITS);
      const end = (starts[bucket + 1] as number) * itemChars;
      for (let at = (starts[bucket] as number) * itemChars; at < end; at += itemChars) {
        let value = 0;
        for (let i = 0; i < itemChars; i++) value = (value << 6) | (DIGIT_VALUE[items.charCodeAt(at + i)] as number);
        if (value >>> rankBits === fingerprint) visit(value & mask);
      }
    },
  };
}

function bucketStarts(counts: string, buckets: number): Uint32Array {
  const starts = new Uint32Array(buckets + 1);
  let at = 0;
  for (let i = 0; i < buckets; i++) {
    let count = DIGIT_VALUE[counts.charCodeAt(at++)] as number;
    if (count === LONG_COUNT) {
      count = 0;
      for (const end = at + 3; at < end; at++) count = (count << 6) | (DIGIT_VALUE[counts.charCodeAt(at)] as number);
    }
    starts[i + 1] = (starts[i] as number) + count;
  }
  return starts;
}
