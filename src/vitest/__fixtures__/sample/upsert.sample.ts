import { certifyProcessor } from '../../index.ts';

certifyProcessor(new URL('../../../../fixtures/processors/sqlite-upsert.ts', import.meta.url), {
  semantics: ['at-least-once'],
  faults: ['consumer-kill'],
  runs: 1,
  maxMessages: 4,
  seed: 7,
  timeLimit: 60_000,
  shrinkTimeLimit: 20_000,
  reportDir: process.env.SAMPLE_REPORT_DIR,
});
