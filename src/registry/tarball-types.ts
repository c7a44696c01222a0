/**
 * What the tarball-integrity check asks of the outside world: the bytes a URL serves, what npm's
 * own cache holds for it, and the bytes of a tarball inside the project, each reduced to a digest.
 * Types only, so core can name them in CheckServices; the implementation is tarballs.ts.
 */

/** The SRI algorithms a lockfile may use (integrity/sri.ts validates them). */
export type TarballAlgorithm = 'sha512' | 'sha384' | 'sha256' | 'sha1';

export interface RemoteTarballRequest {
  /** The URL to download, exactly as it will be requested (no fragment). */
  readonly url: string;
  /**
   * The registry whose settings apply (trailing slash): npm-registry-fetch still picks credentials
   * by the URL's own nerf-dart, so a token only ever goes to the host it was configured for.
   */
  readonly registry: string;
  /** The digest to compute: the lockfile's strongest algorithm. */
  readonly algorithm: TarballAlgorithm;
  readonly signal?: AbortSignal | undefined;
}

export type RemoteTarball =
  /** `digest` is `<algorithm>-<base64>` of every byte served; `size` in bytes. */
  | { readonly kind: 'hashed'; readonly digest: string; readonly size: number }
  /** The server says the tarball does not exist (404) or is gone for good (410). */
  | { readonly kind: 'gone'; readonly status: number };

export interface CachedTarballRequest {
  /** Every URL npm may have downloaded this tarball from (make-fetch-happen keys entries by URL). */
  readonly urls: readonly string[];
  /** The lockfile's integrity (well-formed tokens only). */
  readonly integrity: string;
  readonly algorithm: TarballAlgorithm;
  readonly signal?: AbortSignal | undefined;
}

export type CachedTarball =
  /** npm's cache holds a download of `url`; `digest` is that content's, in the requested algorithm. */
  | { readonly kind: 'by-url'; readonly url: string; readonly digest: string }
  /**
   * No download of the URL, but content stored under the lockfile's own digest: npm would install
   * it, and cacache verifies it against that digest on every read, so it matches by construction.
   */
  | { readonly kind: 'by-digest' }
  | { readonly kind: 'not-cached' };

export interface TarballSource {
  /** npm's content cache (`<cache>/_cacache`) that `cached` reads, when npm's configuration names one. */
  readonly npmCache: string | undefined;
  /**
   * Streams the URL's bytes through a hash and discards them; nothing is written to any cache.
   * Retries transient failures; throws SourceUnavailableError when the server cannot answer.
   */
  fetch(request: RemoteTarballRequest): Promise<RemoteTarball>;
  /** Reads npm's cache, never the network; `not-cached` when there is no npm cache. */
  cached(request: CachedTarballRequest): Promise<CachedTarball>;
  /**
   * The digest of a file below the project directory (POSIX path relative to it), or undefined
   * when it does not exist. Throws TypeError for a path that leaves the project (lockfile data names it).
   */
  hashProjectFile(relativePath: string, algorithm: TarballAlgorithm): Promise<string | undefined>;
}
