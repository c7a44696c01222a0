/**
 * node:crypto, loaded on first use. Loading it costs ~6 ms (OpenSSL's bindings and a dozen of
 * Node's internal modules), and an offline audit without findings never needs it: modules on
 * every audit's path (fingerprints, signature checks) ask for it only when they hash or verify.
 * test/e2e/startup.test.ts checks that such an audit loads none.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

let crypto: typeof Crypto | undefined;

export function nodeCrypto(): typeof Crypto {
  return (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto);
}
