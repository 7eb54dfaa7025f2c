// A user's project in miniature: the ackcheck global setup and one test file per processor.
// Run by src/vitest/certify-processor.broker.test.ts as a child `vitest run`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['*.sample.ts'],
    globalSetup: [fileURLToPath(new URL('../../global-setup.ts', import.meta.url))],
    fileParallelism: false,
  },
});
