/**
 * Captures one real counterexample for the report tests: certify() of the broken
 * sqlite-increment fixture, at-least-once, on Kafka 4.4 under consumer crashes, and writes
 * the CertifyResult (scenario, real history with faults, verdict, states) as JSON next to
 * this file. Paths are stored relative to the repository so the file is stable to commit.
 *
 *   node src/report/__fixtures__/capture-counterexample.ts [out.json]
 *
 * Needs Docker and the Kafka 4.4 image; takes about a minute. The tests read the committed
 * file, so a new capture means updating the figures they check (ids, times, totals).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { certify } from '../../harness/certify.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const out = resolve(
  process.argv[2] ?? fileURLToPath(new URL('./kafka-increment.result.json', import.meta.url)),
);

const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-capture-'));
const result = await certify({
  processor: join(root, 'fixtures/processors/sqlite-increment.ts'),
  broker: 'kafka-4.4',
  semantics: 'at-least-once',
  faults: ['consumer-kill'],
  runs: 20,
  maxMessages: 10,
  // Seed 23 draws first a scenario with no producer duplicate and two crashes, one in the
  // middle of processing m6 (after its write), so the first run fails. No shrinking: shrunk to
  // the end, the counterexample becomes one message published twice, with no fault left.
  seed: 23,
  shrinkTimeLimit: 1,
  reportDir,
}).finally(() => rmSync(reportDir, { recursive: true, force: true }));
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
// Formatted as the repository formats JSON, so that `npm run lint` passes on the file.
const text = await prettier.format(JSON.stringify(stable), {
  ...(await prettier.resolveConfig(out)),
  filepath: out,
});
writeFileSync(out, text);
console.log(
  `wrote ${out}: ${result.counterexample.scenario.messages.length} messages, ${result.counterexample.outcome.history.length} events`,
);
