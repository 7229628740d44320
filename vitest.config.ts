import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // A file still running after 5 minutes is named on stderr (and every 5 minutes after): where
    // a CI run stopped at its time limit was.
    reporters: ['default', './test/support/longFileReporter.ts'],
  },
});
