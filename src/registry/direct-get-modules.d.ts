/**
 * The slices of npm's HTTP stack that the direct GET path (direct-get.ts) calls. Neither module
 * ships types; these declarations cover exactly what is used.
 */

declare module '@npmcli/agent' {
  import type { Agent } from 'node:http';

  /** npm's agent: keep-alive pool, proxies (http, https, socks, noProxy), CA, client certificates, timeouts. */
  export interface NpmAgent extends Agent {
    /** agent-base computes this from a stack trace on every read unless it is set. */
    protocol: string;
  }

  /** The agent npm uses for `url`, cached by its options (make-fetch-happen calls exactly this). */
  export function getAgent(url: string | URL, options: Readonly<Record<string, unknown>>): NpmAgent;
}

declare module 'npm-registry-fetch/lib/auth.js' {
  /** The credentials npm-registry-fetch sends with a request, chosen by the longest nerf-dart prefix. */
  export interface RegistryAuth {
    readonly token: string | null;
    /** base64 `user:password`, for Basic auth. */
    readonly auth: string | null;
    /** Client certificate and key read from `//host/:certfile` / `:keyfile`. */
    readonly cert: string | null;
    readonly key: string | null;
  }

  export function getAuth(uri: string, options: Readonly<Record<string, unknown>>): RegistryAuth;
  export default getAuth;
}
