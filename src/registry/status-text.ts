/**
 * "404 Not Found": HTTP reason phrases from node:http's table, loaded on first use. A static
 * import would load node:http (with net and the parser bindings, ≈ 9 ms) on every audit, also
 * offline ones that never describe a response; by the time one is described, the request has
 * loaded node:http anyway.
 */
import type { STATUS_CODES } from 'node:http';
import { createRequire } from 'node:module';

let reasons: typeof STATUS_CODES | undefined;

export function statusText(status: number): string | undefined {
  reasons ??= (createRequire(import.meta.url)('node:http') as { STATUS_CODES: typeof STATUS_CODES }).STATUS_CODES;
  return reasons[status];
}
