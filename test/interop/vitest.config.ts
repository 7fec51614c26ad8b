import { defineConfig } from 'vitest/config';

/** The interop tests: the gateway as a subgraph behind Hive Gateway (`npm test` in test/interop). */
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
  },
});
