import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) copies. Node loads the CJS one for everybody, but
    // Vite would hand our sources the ESM one while CJS dependencies (@apollo/subgraph) keep the
    // other: two GraphQLError classes and broken instanceof checks. Use Node's choice in tests too.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts). The router
    // interop tests have their own package (test/interop), installed and run by .ci/run.
    exclude: ['test/browser/**', 'test/interop/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests start real servers on loopback ports; keep the worker count to the machine's 2 cores.
    maxWorkers: 2,
    env: {
      // @apollo/gateway otherwise phones home with usage metrics and probes cloud metadata
      // addresses; tests talk to loopback only.
      APOLLO_TELEMETRY_DISABLED: 'true',
    },
  },
});
