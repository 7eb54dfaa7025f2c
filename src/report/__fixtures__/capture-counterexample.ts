/**
 * Captures one real counterexample for the report tests: certify() of the broken
 * sqlite-increment fixture, at-least-once, on Kafka 4.4 under consumer crashes, and writes
 * the CertifyResult (scenario, real history with faults, verdict, states) as JSON next to
 * this file. Paths are stored relative to the repository so the file is stable to commit.
 *
 *   node src/report/__fixtures__/capture-counterexample.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certify } from '../../harness/certify.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const out = fileURLToPath(new URL('./kafka-increment.result.json', import.meta.url));

const result = await certify({
  processor: join(root, 'fixtures/processors/sqlite-increment.ts'),
  broker: 'kafka-4.4',
  semantics: 'at-least-once',
  faults: ['consumer-kill'],
  runs: 20,
  maxMessages: 10,
  seed: 7,
  // A short shrink budget keeps the counterexample mid-sized (several messages, workers and a
  // crash): shrunk to the end it becomes one message published twice, with no fault left.
  shrinkTimeLimit: 1,
  reportDir: mkdtempSync(join(tmpdir(), 'ackcheck-capture-')),
});
if (result.ok || !result.counterexample) {
  console.error(`expected a counterexample, got: ${JSON.stringify(result, null, 2)}`);
  process.exit(1);
}
if (!result.counterexample.outcome.history.some((e) => e.type === 'fault-start')) {
  console.error(
    `expected a counterexample with faults, got: ${JSON.stringify(result.counterexample.scenario)}`,
  );
  process.exit(1);
}
const stable = {
  ...result,
  processor: relative(root, result.processor),
  counterexample: {
    ...result.counterexample,
    file: join('.ackcheck', result.counterexample.file.split('/').at(-1) ?? 'counterexample.json'),
  },
};
writeFileSync(out, `${JSON.stringify(stable, null, 2)}\n`);
console.log(
  `wrote ${out}: ${result.counterexample.scenario.messages.length} messages, ${result.counterexample.outcome.history.length} events`,
);
