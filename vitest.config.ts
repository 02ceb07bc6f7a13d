import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // @apollo/subgraph loads graphql's CommonJS build; test files would otherwise get the ESM build and
    // a schema built by one fails in the other ("from another module or realm"). One graphql for all.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The suites start real servers on loopback; two workers match the two cores of our machines.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
