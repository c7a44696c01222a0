// Entries in fixtures/bench/npm-large/package-lock.json, as fixtures/bench/README.md states them.
export const NPM_LARGE_ENTRIES = 12_200;
