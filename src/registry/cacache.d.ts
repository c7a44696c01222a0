/**
 * The slice of cacache (npm's content-addressable cache) that tarballs.ts reads: index entries by
 * key, content by digest. cacache ships no types; these cover exactly what is called.
 */
declare module 'cacache' {
  import type { Readable } from 'node:stream';

  export interface CacheEntry {
    readonly key: string;
    /** SRI of the stored content, as cacache computed it when the entry was written. */
    readonly integrity: string;
    readonly path: string;
    readonly size: number;
    readonly time: number;
  }

  export interface Cacache {
    /** Stores `data` under `key` (tests build npm caches with it, as make-fetch-happen does). */
    put(cache: string, key: string, data: Buffer, options?: { readonly algorithms?: readonly string[] | undefined }): Promise<string>;
    readonly get: {
      /** The newest index entry for `key`, or null. */
      info(cache: string, key: string): Promise<CacheEntry | null>;
      /** Whether content for `integrity` is stored (any of its digests); false when not. */
      hasContent(cache: string, integrity: string): Promise<{ readonly sri: unknown; readonly size: number } | false>;
      readonly stream: {
        /** The content stored under `integrity`, verified against it while read. */
        byDigest(cache: string, integrity: string): Readable;
      };
    };
  }

  const cacache: Cacache;
  export default cacache;
}
