import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Says loudly which real services are missing (and fails under CI), instead of a skip mid-log.
    globalSetup: ['tests/support/services-notice.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Several suites start real HTTP servers and a browser; two cores do not like more forks.
    maxWorkers: 2,
  },
});
