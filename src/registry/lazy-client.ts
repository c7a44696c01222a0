/**
 * A registry client whose HTTP machinery (client.ts and what it loads) is loaded by its first
 * request. Why: an offline audit asks a client for its configuration only (where names resolve,
 * which registry is public) and never sends a request; loading the real client for that cost
 * milliseconds of every run. Online, the first request loads it, as it did before.
 */
import type * as ClientModule from './client.ts';
import type { RegistryClientOptions } from './client.ts';
import type { JsonRequest, Packument, PackumentRequest, RegistryClient } from './types.ts';

function loadClient(): Promise<typeof ClientModule> {
  return import('./client.ts');
}

export function lazyRegistryClient(options: RegistryClientOptions): RegistryClient {
  let real: Promise<RegistryClient> | undefined;
  const client = (): Promise<RegistryClient> => (real ??= loadClient().then(({ createRegistryClient }) => createRegistryClient(options)));
  return {
    config: options.config,
    offline: options.offline ?? false,
    async packument(name: string, request?: PackumentRequest): Promise<Packument | undefined> {
      return (await client()).packument(name, request);
    },
    async json(pathOrUrl: string, request?: JsonRequest): Promise<unknown> {
      return (await client()).json(pathOrUrl, request);
    },
  };
}
