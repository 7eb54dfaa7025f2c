/**
 * The Kafka clients beside kafkajs (Confluent's librdkafka client, @platformatic/kafka) on a
 * real Kafka: ackcheck's runtimes on each keep their promise under every default fault kind
 * (one small run per kind: no false alarms), and each client's consumers really go through
 * the network-fault proxy (librdkafka reconnects to the advertised listener, which is the
 * proxy's). The runtimes are selected as users do (`client`, i.e. `--client`); users' own
 * runtimes on the helpers are the broken fixtures'. Broken configurations of these clients are in fixtures/broken.broker.test.ts.
 *
 * ACKCHECK_FIXTURES_QUICK=1 keeps every consumer fault kind but one broker and one network
 * kind per client, rotated so that both clients together still cover every kind.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explain } from '../../../../fixtures/explain.ts';
import { certify, DEFAULT_FAULT_KINDS } from '../../../harness/certify.ts';
import { runScenario } from '../../../harness/run-scenario.ts';
import type { Fault, FaultKind } from '../../../model/fault.ts';
import type { NetworkEffect } from '../../../model/history.ts';
import type { RuntimeSpec } from '../../../model/results.ts';
import type { Scenario, Semantics } from '../../../model/scenario.ts';
import { brokers } from '../../../vitest/index.ts';
import { StartedBroker } from '../../container/started-broker.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../../../fixtures/${path}`, import.meta.url));
const UPSERT = fixture('processors/sqlite-upsert.ts');
const CLIENTS = ['confluent', 'platformatic'] as const;
/** ackcheck's built-in runtime on `client` (what `--client` selects). */
const builtin = (client: string, semantics: Semantics): RuntimeSpec => ({
  builtin: 'kafka',
  semantics,
  client,
});
const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-clients-'));
const info = brokers('kafka').at(-1);
const QUICK = process.env.ACKCHECK_FIXTURES_QUICK === '1';

function kindsFor(n: number): FaultKind[] {
  const all = DEFAULT_FAULT_KINDS.kafka;
  if (!QUICK) return [...all];
  const rotated = (prefix: string) => all.filter((k) => k.startsWith(prefix))[n % 2];
  const keep = [rotated('broker-'), rotated('network-')];
  return all.filter((k) => !(k.startsWith('broker-') || k.startsWith('network-')) || keep.includes(k));
}

describe.skipIf(!info)('Kafka clients beside kafkajs', () => {
  const broker = info as NonNullable<typeof info>;
  const cells = CLIENTS.flatMap((client, n) => kindsFor(n).map((kind) => [client, kind] as const));

  it.each(cells)('%s at-least-once keeps its promise under %s', async (client, kind) => {
    const result = await certify({
      processor: UPSERT,
      client,
      broker,
      semantics: 'at-least-once',
      faults: [kind],
      minFaults: 1,
      runs: 1,
      maxMessages: 5,
      seed: 300 + DEFAULT_FAULT_KINDS.kafka.indexOf(kind),
      reportDir,
    });
    expect(result.ok, explain(result)).toBe(true);
    expect(result.runs, explain(result)).toBe(1);
    expect(result.runtime).toBe(`kafka-at-least-once/${client}`);
  });

  it.each(CLIENTS)('%s at-most-once keeps its promise under crashes and throws', async (client) => {
    const result = await certify({
      processor: UPSERT,
      client,
      broker,
      semantics: 'at-most-once',
      faults: ['consumer-kill', 'processor-throw'],
      runs: 3,
      maxMessages: 5,
      seed: 5,
      reportDir,
    });
    expect(result.ok, explain(result)).toBe(true);
  });

  it.each(CLIENTS)("%s's consumers connect through the network-fault proxy", async (client) => {
    // A blackhole while the worker holds m1 processed but not committed: the proxy must have
    // the client's connections and hold its traffic; the run still keeps at-least-once.
    const at = { type: 'phase', messageId: 'm1', phase: 'after-process', attempt: 1 } as const;
    const faults: Fault[] = [
      { trigger: at, kind: 'network-blackhole', params: { holdMs: 1_500 } },
      { trigger: at, kind: 'consumer-stall', params: { holdMs: 300 } },
    ];
    const scenario: Scenario = {
      broker: 'kafka',
      semantics: 'at-least-once',
      messages: [1, 2, 3].map((n) => ({ id: `m${n}`, key: `k${n % 2}`, payload: { n } })),
      producerDuplicates: [],
      consumers: 1,
      kafka: { partitions: 1 },
      faults,
    };
    const outcome = await runScenario(scenario, {
      broker: new StartedBroker(broker, false),
      processorModule: UPSERT,
      runtime: builtin(client, 'at-least-once'),
      workDir: reportDir,
    });
    const findings = outcome.verdict.findings.map((f) => `${f.code}: ${f.detail}`).join(' | ');
    expect(outcome.verdict.valid, findings).toBe(true);
    let effect: NetworkEffect | undefined;
    for (const e of outcome.history) if (e.type === 'fault-heal' && e.network) effect = e.network;
    expect(effect?.connections, JSON.stringify(effect)).toBeGreaterThan(0);
    expect(effect?.held, JSON.stringify(effect)).toBeGreaterThan(0);
  });

  it("confluent: a blackhole past the session timeout costs the group membership (librdkafka's heartbeats go through the proxy too)", async () => {
    // m1 processed, its commit held by a 3 s blackhole (session timeout 2 s): had librdkafka's
    // coordinator connection (heartbeats) bypassed the proxy, the member would survive and the
    // commit succeed; through the proxy the broker evicts it, the commit fails, m1 comes again.
    const at = { type: 'phase', messageId: 'm1', phase: 'after-process', attempt: 1 } as const;
    const stall: Fault = { trigger: at, kind: 'consumer-stall', params: { holdMs: 300 } };
    const blackhole: Fault = { trigger: at, kind: 'network-blackhole', params: { holdMs: 3_000 } };
    const run = (faults: Fault[]) =>
      runScenario(
        {
          broker: 'kafka',
          semantics: 'at-least-once',
          messages: [1, 2].map((n) => ({ id: `m${n}`, key: `k${n}`, payload: { n } })),
          producerDuplicates: [],
          consumers: 1,
          kafka: { partitions: 1 },
          faults,
        },
        {
          broker: new StartedBroker(broker, false),
          processorModule: UPSERT,
          runtime: builtin('confluent', 'at-least-once'),
          workDir: reportDir,
        },
      );
    const deliveriesOfM1 = (o: Awaited<ReturnType<typeof run>>) =>
      o.history.filter((e) => e.type === 'deliver' && e.id === 'm1').length;
    const explainRun = (o: Awaited<ReturnType<typeof run>>) =>
      o.verdict.findings.map((f) => `${f.code}: ${f.detail}`).join(' | ') || 'no findings';

    const control = await run([stall]); // the same stall without the blackhole: m1 once
    expect(control.verdict.valid, explainRun(control)).toBe(true);
    expect(deliveriesOfM1(control), explainRun(control)).toBe(1);

    const faulty = await run([blackhole, stall]);
    expect(faulty.verdict.valid, explainRun(faulty)).toBe(true);
    expect(deliveriesOfM1(faulty), explainRun(faulty)).toBeGreaterThan(1);
  });
});
