/**
 * Runs in parallel on a real broker (certify/parallel.ts): with concurrency on, a correct
 * processor passes every run under consumer faults (the runs share the broker, each with its
 * own queue, group, namespace and proxy path), and a broken one is caught, shrunk one run at a
 * time, and its counterexample replays (the plan matching fast-check's draws, seed and path
 * included, is unit-tested in certify/parallel.test.ts). Bounded: RabbitMQ, a few runs of up
 * to 5 messages, short time limits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokers } from '../vitest/index.ts';
import { certify } from './certify.ts';
import { replay } from './replay.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/processors/${p}`, import.meta.url));
const rabbit = brokers('rabbitmq').at(-1);
const reportDir = () => mkdtempSync(join(tmpdir(), 'ackcheck-parallel-'));

describe.runIf(rabbit)('runs in parallel', () => {
  const broker = rabbit as NonNullable<typeof rabbit>;
  const base = {
    broker,
    semantics: 'at-least-once' as const,
    maxMessages: 5,
    concurrency: 3,
    timeLimit: 120_000,
  };

  it('a correct processor passes every run under consumer and network faults, runs at once', async () => {
    const durations: number[] = [];
    const result = await certify({
      ...base,
      processor: fixture('sqlite-upsert.ts'),
      runs: 6,
      seed: 11,
      faults: ['consumer-kill', 'processor-throw', 'consumer-restart', 'network-cut'],
      reportDir: reportDir(),
      onProgress: (e) => {
        if (e.type === 'run') durations.push(e.durationMs);
      },
    });
    expect(result.status, result.reason).toBe('pass');
    expect(result.runs).toBe(6);
    expect(durations).toHaveLength(6);
  }, 180_000);

  it('a broken processor is caught, shrunk one run at a time, and replays', async () => {
    const faults = ['consumer-kill'] as const;
    const result = await certify({
      ...base,
      processor: fixture('sqlite-increment.ts'),
      runs: 10,
      seed: 3,
      faults,
      minFaults: 1,
      shrinkTimeLimit: 20_000,
      reportDir: reportDir(),
    });
    expect(result.status, result.reason).toBe('fail');
    const counterexample = result.counterexample as NonNullable<typeof result.counterexample>;

    // The replay file reruns the smallest failing scenario.
    const again = await replay(counterexample.file, { broker });
    expect(again.scenario).toEqual(counterexample.scenario);
    expect(result.shrinkSteps).toBeGreaterThan(0); // shrunk (verdict cuts included), one run at a time
  }, 240_000);
});
