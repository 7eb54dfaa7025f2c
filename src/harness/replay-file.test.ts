import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model/scenario.ts';
import { certify } from './certify.ts';
import { type ReplayFile, readReplayFile, writeReplayFile } from './replay-file.ts';
import { replaySettings } from './replay.ts';
import { defaultCheckOrder, resolveRunSettings } from './run-settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'ackcheck-replay-file-'));
const scenario: Scenario = {
  broker: 'kafka',
  semantics: 'at-least-once',
  messages: [{ id: 'm1', key: 'k1', payload: { n: 1 } }],
  producerDuplicates: [],
  consumers: 1,
  kafka: { partitions: 2 },
  faults: [],
};
const saved: ReplayFile = {
  ackcheck: 1,
  processor: '/p/processor.ts',
  runtime: { builtin: 'kafka', semantics: 'at-least-once' },
  broker: 'kafka-4.4',
  seed: 42,
  path: '3:1:0',
  scenario,
  verdict: { valid: false, findings: [], stats: {} as ReplayFile['verdict']['stats'], errors: [] },
  run: { drainTimeoutMs: 12_345, processTimeoutMs: 2_500, checkOrder: false, failOnStuckConsumer: true },
  generation: {
    faults: ['consumer-kill'],
    maxFaults: 1,
    minFaults: 0,
    maxMessages: 6,
    minMessages: 1,
    maxConsumers: 1,
    runs: 10,
    kafka: { partitions: 2 },
  },
};

describe('replay file', () => {
  it('round-trips every setting that shaped the run, and replay() runs with them', () => {
    const file = join(dir, 'full.json');
    writeReplayFile(file, saved);
    const read = readReplayFile(file);
    expect(read).toEqual(saved);
    // The stored settings win over today's defaults (Kafka at-least-once would check order).
    expect(replaySettings(read)).toEqual({
      drainTimeoutMs: 12_345,
      processTimeoutMs: 2_500,
      checkOrder: false,
      failOnStuckConsumer: true,
    });
  });

  it('replays a file written before the settings were stored with the defaults for its scenario', () => {
    const file = join(dir, 'old.json');
    const { run: _run, generation: _generation, ...old } = saved;
    writeReplayFile(file, old);
    expect(replaySettings(readReplayFile(file))).toEqual(resolveRunSettings({}, 'kafka', 'at-least-once'));
  });

  it('rejects what is not a replay file, naming the file', () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, '{"hello": 1}');
    expect(() => readReplayFile(file)).toThrow(/other\.json is not an ackcheck scenario file/);
    expect(() => readReplayFile(join(dir, 'missing.json'))).toThrow(/cannot read scenario file/);
  });
});

describe('run settings', () => {
  it('checks per-key order by default only where the broker and semantics promise it', () => {
    expect(defaultCheckOrder('kafka', 'at-least-once')).toBe(true);
    expect(defaultCheckOrder('kafka', 'at-most-once')).toBe(false);
    expect(defaultCheckOrder('rabbitmq', 'at-least-once')).toBe(false);
    expect(resolveRunSettings({ checkOrder: true }, 'rabbitmq', 'at-least-once').checkOrder).toBe(true);
    expect(resolveRunSettings({}, 'rabbitmq', 'at-most-once')).toEqual({
      drainTimeoutMs: 60_000,
      processTimeoutMs: 10_000,
      checkOrder: false,
      failOnStuckConsumer: false,
    });
  });
});

describe('certify options', () => {
  const base = { processor: '/nowhere/processor.ts', semantics: 'at-least-once' } as const;
  it('rejects an unknown broker name before anything starts', async () => {
    await expect(certify({ ...base, broker: 'activemq' as 'kafka' })).rejects.toThrow(
      /certify: broker: unknown broker "activemq"/,
    );
  });
  it('rejects minMessages 0: every run carries a message', async () => {
    await expect(certify({ ...base, broker: 'kafka', minMessages: 0 })).rejects.toThrow(
      /certify: minMessages must be a positive integer/,
    );
  });
});
