/**
 * The slices of npm's own libraries that src/registry uses. Neither package ships types and
 * the DefinitelyTyped ones describe npm-registry-fetch v8, so these declarations cover exactly
 * what we call and nothing more.
 */

declare module 'npm-registry-fetch' {
  import type { Readable } from 'node:stream';

  export interface RegistryFetchHeaders {
    get(name: string): string | null;
  }

  export interface RegistryFetchResponse {
    readonly status: number;
    readonly statusText: string;
    readonly url: string;
    readonly headers: RegistryFetchHeaders;
    text(): Promise<string>;
    /** The body as a stream (a Minipass), for responses too large to hold (tarballs). */
    readonly body: Readable;
  }

  /** npm's flat options: `registry`, `@scope:registry`, `//host/:_authToken`, `ca`, `cache`, ... */
  export type RegistryFetchOptions = Readonly<Record<string, unknown>>;

  /** Resolves for 2xx/3xx; rejects with an HttpErrorBase (`statusCode`, `headers`) for >= 400. */
  export default function registryFetch(uri: string, options?: RegistryFetchOptions): Promise<RegistryFetchResponse>;
}

declare module '@npmcli/config' {
  export interface ConfigLayer {
    /** Own keys are this layer's settings; inherited ones come from lower layers. */
    readonly data: Readonly<Record<string, unknown>>;
    /** File path, "environment", "command line options", or a note when not loaded. */
    readonly source: string | null;
    /** Set when the layer's file could not be read (ENOENT for a missing file). */
    readonly loadError?: unknown;
  }

  export interface ConfigOptions {
    readonly definitions: unknown;
    readonly shorthands: unknown;
    readonly flatten: unknown;
    readonly nerfDarts?: readonly string[] | undefined;
    readonly npmPath: string;
    readonly env: Record<string, string | undefined>;
    readonly argv: readonly string[];
    readonly platform: string;
    readonly execPath: string;
    readonly cwd: string;
    readonly warn?: boolean | undefined;
  }

  export default class Config {
    constructor(options: ConfigOptions);
    load(): Promise<void>;
    get(key: string, where?: string): unknown;
    /** The layer ('default', 'builtin', 'global', 'user', 'project', 'env', 'cli') that sets `key`. */
    find(key: string): string | null;
    /** Layers from lowest to highest priority. */
    readonly data: ReadonlyMap<string, ConfigLayer>;
    readonly localPrefix: string;
  }
}

declare module '@npmcli/config/lib/definitions/index.js' {
  export interface NpmConfigDefinition {
    readonly default: unknown;
  }

  const npmConfigDefinitions: {
    readonly definitions: Readonly<Record<string, NpmConfigDefinition>>;
    readonly shorthands: Readonly<Record<string, readonly string[]>>;
    readonly nerfDarts: readonly string[];
    /** Copies settings into npm's flat options (camelCase, cafile read, scoped/nerf-dart keys kept). */
    readonly flatten: (layer: Readonly<Record<string, unknown>>, flat: Record<string, unknown>) => Record<string, unknown>;
  };
  export default npmConfigDefinitions;
}

declare module 'ini' {
  /** npm's npmrc parser: `key=value` lines, `key[]=` arrays, `[section]` objects. */
  export function parse(text: string): Record<string, unknown>;
  const ini: { parse: typeof parse };
  export default ini;
}

declare module 'npm-registry-fetch/lib/default-opts.js' {
  /** npm-registry-fetch's defaults; `registry` is npm's built-in default registry. */
  const defaults: { readonly registry: string };
  export default defaults;
}
