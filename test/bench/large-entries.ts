// Entries in the generated large lockfiles, as fixtures/bench/README.md states them (counted
// the way test/bench/lockfiles.js does); the bench tests check them.
export const BUN_LARGE_ENTRIES = 7_758;
export const PNPM_LARGE_ENTRIES = 5_724;
/** yarn-large and berry-large are converted from bun-large: one entry per resolved package. */
export const YARN_LARGE_ENTRIES = 5_608;
