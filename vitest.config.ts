import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn the built CLI; the machine has two cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
