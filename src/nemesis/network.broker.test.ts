/**
 * Network faults on real brokers: the consumers' traffic runs through the proxy and a broken
 * processor is caught because of the network fault (the same scenario without it passes).
 * That a correct processor passes under each network fault is fixtures/fixtures.broker.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BrokerInfo, StartedBroker } from '../brokers/container/started-broker.ts';
import { type RunOutcome, runScenario } from '../harness/run-scenario.ts';
import type { Fault, FaultKind } from '../model/fault.ts';
import type { HistoryEvent, NetworkEffect } from '../model/history.ts';
import type { Message } from '../model/message.ts';
import type { Scenario } from '../model/scenario.ts';
import { brokers } from '../vitest/index.ts';

const fixture = (path: string) =>
  fileURLToPath(new URL(`../../fixtures/processors/${path}`, import.meta.url));
const INCREMENT = fixture('sqlite-increment.ts');
const workDir = mkdtempSync(join(tmpdir(), 'ackcheck-network-'));

const targets = [brokers('kafka').at(-1), brokers('rabbitmq').at(-1)].flatMap((b) => (b ? [b] : []));

const messages = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i + 1}`, key: `k${(i % 2) + 1}`, payload: { n: i + 1 } }));

function scenario(info: BrokerInfo, count: number, faults: Fault[]): Scenario {
  return {
    broker: info.kind,
    semantics: 'at-least-once',
    messages: messages(count),
    producerDuplicates: [],
    consumers: 1,
    ...(info.kind === 'kafka'
      ? { kafka: { partitions: 1 } }
      : { rabbitmq: { prefetch: 1, queueType: 'classic' as const } }),
    faults,
  };
}

const run = (info: BrokerInfo, s: Scenario, processorModule: string): Promise<RunOutcome> =>
  runScenario(s, {
    broker: new StartedBroker(info, false),
    processorModule,
    runtime: { builtin: info.kind, semantics: 'at-least-once' },
    workDir,
  });

/** What each network fault did, from the harness's fault-heal events. */
function effects(history: readonly HistoryEvent[]): Map<FaultKind, NetworkEffect> {
  const found = new Map<FaultKind, NetworkEffect>();
  for (const e of history) if (e.type === 'fault-heal' && e.network) found.set(e.kind, e.network);
  return found;
}

const explain = (o: RunOutcome) =>
  o.verdict.findings.map((f) => `${f.code}: ${f.detail}`).join(' | ') || 'no findings';

describe.each(targets.map((b) => [b.id, b] as const))('%s', (_id, info) => {
  it('a non-idempotent increment is caught because of the network fault, not without it', async () => {
    // The worker holds m1 processed but not acknowledged (a short stall at after-process)
    // while the harness applies the network fault. Kafka: a blackhole longer than the 2 s
    // session timeout, so the commit of m1 is rejected; RabbitMQ: a cut, so the connection
    // (and the unacknowledged m1) is lost. Either way m1 is delivered and counted again.
    // RabbitMQ's consumer timeout is left out of the worker's view so that the stall
    // stays at 500 ms and cannot cause a redelivery by itself.
    const { consumerTimeout: _ignored, ...quiet } = info;
    const at = { type: 'phase', messageId: 'm1', phase: 'after-process', attempt: 1 } as const;
    const stall: Fault = { trigger: at, kind: 'consumer-stall', params: { holdMs: 500 } };
    const network: Fault =
      info.kind === 'kafka'
        ? { trigger: at, kind: 'network-blackhole', params: { holdMs: 3_000 } }
        : { trigger: at, kind: 'network-cut', params: { holdMs: 1_000 } };

    const control = await run(quiet, scenario(info, 3, [stall]), INCREMENT);
    expect(control.verdict.valid, explain(control)).toBe(true);

    const faulty = await run(quiet, scenario(info, 3, [network, stall]), INCREMENT);
    expect(faulty.verdict.valid).toBe(false);
    expect(faulty.verdict.findings.filter((f) => f.violation).map((f) => f.code)).toContain('final-state');
    const m1 = faulty.history.filter((e) => e.type === 'deliver' && e.id === 'm1');
    expect(m1.length).toBeGreaterThan(1);
    const effect = effects(faulty.history).get(network.kind);
    if (info.kind === 'kafka') expect(effect?.held).toBeGreaterThan(0);
    else expect(effect?.reset).toBeGreaterThan(0);
  });
});
