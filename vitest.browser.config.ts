import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/** Browser tests: Debian's Chromium driven by playwright-core (`npm run test:browser`). */
export default defineConfig({
  // The same single graphql copy as vitest.config.ts (see there).
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
  },
});
