import { certifyProcessor } from '../../index.ts';

certifyProcessor(new URL('../../../../fixtures/processors/sqlite-increment.ts', import.meta.url), {
  semantics: 'at-least-once',
  faults: ['consumer-kill'],
  runs: 6,
  maxMessages: 5,
  seed: 7,
  timeLimit: 60_000,
  shrinkTimeLimit: 5_000,
  reportDir: process.env.SAMPLE_REPORT_DIR,
});
