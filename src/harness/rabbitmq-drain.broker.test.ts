/**
 * The RabbitMQ drain waits for unacknowledged deliveries: a correct consumer that holds its last
 * messages longer than the quiet window (fixtures/runtimes/rabbitmq-batching.ts) is waited
 * for, not reported `lost`, on a classic and on a quorum queue (whose broker-side count comes
 * from Ra's periodic tick: the workers' histories say what is held). Also measures what one
 * unacknowledged count costs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROCESSORS } from '../../fixtures/catalog.ts';
import { explain } from '../../fixtures/explain.ts';
import { provisionQueue } from '../brokers/rabbitmq/admin.ts';
import { unackedCounter } from '../brokers/rabbitmq/unacked.ts';
import type { FindingCode } from '../model/verdict.ts';
import { brokers } from '../vitest/index.ts';
import { certify } from './certify.ts';

const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-drain-'));
const runtime = fileURLToPath(new URL('../../fixtures/runtimes/rabbitmq-batching.ts', import.meta.url));
const info = brokers('rabbitmq').at(-1);

describe.skipIf(!info)('RabbitMQ drain', () => {
  it.each(['classic', 'quorum'] as const)(
    'waits for deliveries a consumer holds past the quiet window (%s queue): no lost',
    async (queueType) => {
      const findings: FindingCode[] = [];
      const notices: string[] = [];
      const result = await certify({
        processor: PROCESSORS.upsert,
        runtime,
        broker: info!,
        semantics: 'at-least-once',
        faults: [],
        runs: 2,
        minMessages: 3,
        maxMessages: 4,
        maxConsumers: 1,
        rabbitmq: { queueType },
        shrinkTimeLimit: 0,
        seed: 9,
        reportDir,
        onProgress: (e) => {
          if (e.type === 'run') findings.push(...e.findings);
          if (e.type === 'notice') notices.push(e.message);
        },
      });
      expect(result.ok, explain(result)).toBe(true);
      expect(result.runs).toBe(2);
      expect(findings, explain(result)).not.toContain('lost');
      expect(notices).toEqual([]);
    },
  );

  it('reads an unacknowledged count (cost printed)', async () => {
    await using queue = await provisionQueue(info!, { type: 'classic' });
    const count = unackedCounter(info!, (m) => {
      throw new Error(m);
    });
    const began = Date.now();
    for (let i = 0; i < 3; i++) expect(await count(queue.name)).toBe(0);
    console.log(`unacknowledged count: ${Math.round((Date.now() - began) / 3)} ms per call on ${info!.id}`);
  });
});
