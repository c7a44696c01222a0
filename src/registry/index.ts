/** The registry layer: the user's registry configuration and the client network checks use. */
export { HTTP_CACHE_SUBDIR, resolveCacheDir, type CacheDirEnvironment } from './cache-dir.ts';
export { createRegistryClient, escapePackageName, type RegistryClientOptions } from './client.ts';
export { loadRegistryConfig, npmDefaultRegistry, registryConfigSourceFor, type LoadRegistryConfigOptions } from './npm-config.ts';
export { isPrivateName, type PrivateNamePolicy } from './privacy.ts';
export {
  isDefaultRegistry,
  nerfDart,
  normalizeRegistryUrl,
  redactRegistryConfig,
  redactUrl,
  registryFor,
  scopeOf,
  type FetchOptionValue,
  type RegistryConfig,
  type RegistryConfigSource,
} from './registry-config.ts';
export type * from './types.ts';
