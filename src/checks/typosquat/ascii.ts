/**
 * Text out of the ASCII bytes of the data files (src/data/typosquat-data.ts reads them as bytes):
 * a search decodes only what it needs, a record or a region, instead of a whole section. ASCII,
 * so a byte is its character's code and UTF-8 decodes it as itself.
 */

/** Up to this many bytes, one `String.fromCharCode` call; beyond, a TextDecoder (measured cold: 7 µs a call, but 40 kB in 0.15 ms where the other takes 2.4 ms). */
const SHORT = 256;

let decoder: InstanceType<typeof TextDecoder> | undefined;

/** The text of `bytes[from, to)`. */
export function asciiText(bytes: Uint8Array, from: number, to: number): string {
  const part = bytes.subarray(from, to);
  // An array-like of codes, spread by the engine: no intermediate array.
  if (part.length <= SHORT) return String.fromCharCode.apply(undefined, part as unknown as number[]);
  return (decoder ??= new TextDecoder()).decode(part);
}
