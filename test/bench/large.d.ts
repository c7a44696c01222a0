// Types for large.js, which stays plain JavaScript so `npm run bench` needs no build.
export const LARGE_FIXTURE_DIR: string;
export function materializeLarge(
  repoRoot: string,
  wanted: readonly { readonly name: string; readonly dir: string }[],
): { name: string; reason: string }[];
