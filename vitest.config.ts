import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic, no Docker, parallel) and `brokers` (real brokers in
// containers, started once by the global setup and shared by all files, run one file at a
// time because broker faults act on the shared containers).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Some unit tests spawn the CLI as a child process: generous on a loaded machine.
          testTimeout: 30_000,
          include: ['src/**/*.test.ts', 'suites/**/*.test.ts', 'fixtures/**/*.test.ts', 'docs/**/*.test.ts'],
          exclude: ['**/*.broker.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'brokers',
          include: ['src/**/*.broker.test.ts', 'suites/**/*.broker.test.ts', 'fixtures/**/*.broker.test.ts'],
          globalSetup: ['src/vitest/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
