// Types for yarn-from-bun.js, which stays plain JavaScript so `npm run bench` needs no build.
export const YARN_FIXTURE_REGISTRY: string;
export function parseBunLock(text: string): { lockfileVersion?: number; workspaces?: Record<string, unknown>; packages?: Record<string, unknown[]> };
export function yarnLockfilesFromBun(bunText: string): { readonly classic: string; readonly berry: string };
