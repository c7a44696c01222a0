/**
 * A hash multimap from keys to small integers, packed into two strings so that a generated
 * module can embed it and opening it costs nothing but parsing two string literals: no loop
 * over the data runs before the first look-up, and a look-up reads a few characters.
 *
 * Model: keys are hashed (with a `kind` that keeps different kinds of key apart) into a
 * power-of-two number of buckets; each bucket holds items, an item being the value plus 8 more
 * bits of the key's hash (a fingerprint). The keys themselves are not stored: a reader verifies
 * each value it is given against what the value points at, and the fingerprint makes a stray
 * value (another key in the same bucket) a 1-in-256 event, so verifying is rarely wasted work.
 *
 * Layout, every character a base64 digit (no escaping in any string literal): `starts` holds,
 * for each bucket and one past the last, the index of its first item, `startChars` digits each;
 * `items` holds the items, `itemChars` digits each, buckets in order, values ascending within a
 * bucket. Either may come as the digits' ASCII bytes instead: the embedded table is read from
 * its file as bytes, since decoding its 400 kB into strings was a third of loading the data and
 * a look-up reads only a few digits.
 */

export interface PackedTable<Digits extends string | Uint8Array = string | Uint8Array> {
  /** A power of two. */
  readonly buckets: number;
  readonly startChars: number;
  readonly starts: Digits;
  /** Base64 digits per item (at most 5): 8 fingerprint bits, the rest (6 × itemChars − 8) the value. */
  readonly itemChars: number;
  readonly items: Digits;
}

/** One key (already hashed with `hashKey`) filed under one value. */
export interface TableItem {
  readonly hash: number;
  readonly value: number;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT_VALUE = new Uint8Array(128);
for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUE[DIGITS.charCodeAt(i)] = i;

const FINGERPRINT_BITS = 8;
/** 8 + 22 bits: values below four million, and every item a 30-bit integer that bit operations keep exact. */
const MAX_ITEM_CHARS = 5;

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

/** Packs the items (values at most `maxValue`); the same (hash, value) pair filed twice is stored once. */
export function packTable(items: readonly TableItem[], maxValue: number): PackedTable<string> {
  // At least two digits, so that an item always has room for its fingerprint.
  const itemChars = Math.max(2, digitsFor(maxValue * 2 ** FINGERPRINT_BITS));
  if (itemChars > MAX_ITEM_CHARS) throw new RangeError(`packTable: values up to ${maxValue} do not fit ${MAX_ITEM_CHARS} digits`);
  const valueBits = 6 * itemChars - FINGERPRINT_BITS;
  // Four to eight items per bucket: a scan is a few dozen character reads, and `starts` stays
  // small next to `items` (which is what loading pays for).
  let buckets = 1;
  while (buckets * 8 <= items.length) buckets *= 2;
  const byBucket: number[][] = Array.from({ length: buckets }, () => []);
  for (const { hash, value } of items) {
    const item = ((hash >>> (32 - FINGERPRINT_BITS)) << valueBits) | value;
    const bucket = byBucket[hash & (buckets - 1)] as number[];
    if (!bucket.includes(item)) bucket.push(item);
  }
  const mask = (1 << valueBits) - 1;
  const encoded: string[] = [];
  const starts: number[] = [0];
  for (const bucket of byBucket) {
    bucket.sort((a, b) => (a & mask) - (b & mask) || a - b);
    for (const item of bucket) encoded.push(encodeDigits(item, itemChars));
    starts.push(encoded.length);
  }
  const startChars = digitsFor(encoded.length);
  return {
    buckets,
    startChars,
    starts: starts.map((start) => encodeDigits(start, startChars)).join(''),
    itemChars,
    items: encoded.join(''),
  };
}

/** Base64 digits needed to write every integer from 0 to `max`. */
function digitsFor(max: number): number {
  let digits = 1;
  while (64 ** digits <= max) digits++;
  return digits;
}

function encodeDigits(value: number, width: number): string {
  let out = '';
  for (let i = width - 1; i >= 0; i--) out += DIGITS[Math.floor(value / 64 ** i) % 64];
  return out;
}

/**
 * Reads a packed table. A look-up is a loop the caller writes, with no callback to allocate:
 *
 *     for (let i = table.first(hash), end = table.end(hash); i < end; i++) {
 *       const value = table.valueAt(i, hash); // -1: another key's item
 *     }
 */
export class TableReader {
  readonly #buckets: number;
  readonly #startChars: number;
  readonly #starts: Uint8Array;
  readonly #itemChars: number;
  readonly #items: Uint8Array;
  readonly #valueBits: number;
  readonly #mask: number;

  constructor(table: PackedTable) {
    this.#buckets = table.buckets;
    this.#startChars = table.startChars;
    this.#starts = asBytes(table.starts);
    this.#itemChars = table.itemChars;
    this.#items = asBytes(table.items);
    this.#valueBits = 6 * table.itemChars - FINGERPRINT_BITS;
    this.#mask = (1 << this.#valueBits) - 1;
  }

  /** Index of the first item in the bucket of `hash`. */
  first(hash: number): number {
    return readDigits(this.#starts, (hash & (this.#buckets - 1)) * this.#startChars, this.#startChars);
  }

  /** One past the last item in the bucket of `hash`. */
  end(hash: number): number {
    return readDigits(this.#starts, ((hash & (this.#buckets - 1)) + 1) * this.#startChars, this.#startChars);
  }

  /** The value of item `index`, or -1 when its fingerprint shows it belongs to another key. */
  valueAt(index: number, hash: number): number {
    const at = index * this.#itemChars;
    const fingerprint = hash >>> (32 - FINGERPRINT_BITS);
    // The first digit is the fingerprint's top six bits: most strays are told apart by it alone.
    if (DIGIT_VALUE[this.#items[at] as number] !== fingerprint >>> (FINGERPRINT_BITS - 6)) return -1;
    const item = readDigits(this.#items, at, this.#itemChars);
    return item >>> this.#valueBits === fingerprint ? item & this.#mask : -1;
  }
}

function readDigits(digits: Uint8Array, at: number, width: number): number {
  let value = 0;
  for (let i = at; i < at + width; i++) value = (value << 6) | (DIGIT_VALUE[digits[i] as number] as number);
  return value;
}

/** One reading path for both forms: base64 digits are ASCII, so their UTF-8 bytes are their codes. */
function asBytes(digits: string | Uint8Array): Uint8Array {
  return typeof digits === 'string' ? new TextEncoder().encode(digits) : digits;
}
