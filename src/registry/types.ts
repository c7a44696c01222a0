/**
 * What checks get to talk to registries: a client that knows the user's configuration, caches,
 * retries and limits concurrency, and that answers "no such package" with `undefined` instead of
 * an error (for dependency confusion, a 404 is the finding).
 *
 * Packument types describe the registry's documented shape. Only the top level (`name`,
 * `versions`) is validated by the client; nested values come from the network, so checks still
 * test their types before trusting them.
 */
import type { RegistryConfig } from './registry-config.ts';

export interface PackumentSignature {
  readonly keyid: string;
  readonly sig: string;
}

export interface PackumentDist {
  readonly integrity?: string | undefined;
  readonly shasum?: string | undefined;
  readonly tarball?: string | undefined;
  readonly fileCount?: number | undefined;
  readonly unpackedSize?: number | undefined;
  /** ECDSA signatures over `${name}@${version}:${integrity}`, verified with `/-/npm/v1/keys`. */
  readonly signatures?: readonly PackumentSignature[] | undefined;
  /** Present when the version was published with provenance. */
  readonly attestations?: { readonly url: string; readonly provenance?: { readonly predicateType: string } | undefined } | undefined;
}

export interface PackumentVersion {
  readonly name: string;
  readonly version: string;
  readonly dist?: PackumentDist | undefined;
  readonly deprecated?: string | undefined;
  readonly hasInstallScript?: boolean | undefined;
  readonly dependencies?: Readonly<Record<string, string>> | undefined;
  readonly optionalDependencies?: Readonly<Record<string, string>> | undefined;
  readonly peerDependencies?: Readonly<Record<string, string>> | undefined;
  /** Full packuments only: who published this version. */
  readonly _npmUser?: { readonly name: string; readonly email?: string | undefined } | undefined;
}

export interface Packument {
  readonly name: string;
  readonly 'dist-tags': Readonly<Record<string, string>>;
  readonly versions: Readonly<Record<string, PackumentVersion>>;
  /** Abbreviated metadata: last change of the document. */
  readonly modified?: string | undefined;
  /** Full packuments only: `created`, `modified` and one publish time per version. */
  readonly time?: Readonly<Record<string, string>> | undefined;
  readonly maintainers?: readonly { readonly name: string; readonly email?: string | undefined }[] | undefined;
}

export interface PackumentRequest {
  /**
   * The full document (`time`, `maintainers`, `_npmUser`, README...) instead of the abbreviated
   * install metadata (`application/vnd.npm.install-v1+json`), which is far smaller.
   */
  readonly full?: boolean | undefined;
  /**
   * false: neither read nor write pkgguard's HTTP cache, for callers that keep what they need in a
   * cache of their own (the registry facts): writing each document to the HTTP cache costs
   * several milliseconds of CPU per package, which a 2,000-package lockfile feels. Default true.
   */
  readonly httpCache?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface JsonRequest {
  /** Registry the path is resolved against; default: the configured default registry. */
  readonly registry?: string | undefined;
  readonly method?: 'GET' | 'POST' | undefined;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Gzip the request body (`content-encoding: gzip`), as the bulk advisory endpoint expects. */
  readonly gzip?: boolean | undefined;
  readonly accept?: string | undefined;
  /** false: bypass the HTTP cache, as for PackumentRequest. */
  readonly httpCache?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface RegistryClient {
  readonly config: RegistryConfig;
  /** True when only cached responses may be used. */
  readonly offline: boolean;
  /**
   * The packument of `name` from the registry that serves it, or `undefined` when the registry
   * says 404. Throws SourceUnavailableError for any other failure (after retries), for invalid
   * JSON or a document that is not this package's packument, and for a cache miss offline.
   * Throws TypeError for a string that is not a package name (it could address another endpoint).
   */
  packument(name: string, options?: PackumentRequest): Promise<Packument | undefined>;
  /**
   * Any other JSON endpoint (`/-/npm/v1/keys`, `/-/npm/v1/security/advisories/bulk`), by path on a
   * registry or by absolute URL. `undefined` for 404; other failures as for `packument`.
   */
  json(pathOrUrl: string, options?: JsonRequest): Promise<unknown>;
}
