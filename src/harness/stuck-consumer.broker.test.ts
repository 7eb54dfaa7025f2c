/**
 * A consumer that silently stops (fixtures/runtimes/rabbitmq-stops-consuming.ts) is replaced
 * by the harness so the run drains, and reported as `stuck-consumer`: reported only by
 * default, a violation with failOnStuckConsumer. One short run each, no faults.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROCESSORS } from '../../fixtures/catalog.ts';
import { explain, violations } from '../../fixtures/explain.ts';
import { brokers } from '../vitest/index.ts';
import { certify } from './certify.ts';

const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-stuck-'));
const runtime = fileURLToPath(
  new URL('../../fixtures/runtimes/rabbitmq-stops-consuming.ts', import.meta.url),
);
const info = brokers('rabbitmq').at(-1);

describe.skipIf(!info)('stuck consumers', () => {
  const options = () => ({
    processor: PROCESSORS.upsert,
    runtime,
    broker: info!,
    semantics: 'at-least-once' as const,
    faults: [],
    runs: 1,
    minMessages: 5,
    maxMessages: 5,
    maxConsumers: 1,
    rabbitmq: { queueType: 'classic' as const, prefetch: 1 },
    shrinkTimeLimit: 0,
    seed: 3,
    reportDir,
  });

  it('are reported (not a violation) with the messages pending and the replacement events', async () => {
    const result = await certify(options());
    expect(result.ok, explain(result)).toBe(true);
    const stuck = result.reported?.find((r) => r.finding.code === 'stuck-consumer');
    expect(stuck?.finding.messageIds.length, explain(result)).toBeGreaterThan(0);
    expect(stuck?.finding.events.some((e) => e.type === 'fault-start' && e.fault === -1)).toBe(true);
  });

  it('fail the run with failOnStuckConsumer', async () => {
    const result = await certify({ ...options(), failOnStuckConsumer: true });
    expect(result.ok, explain(result)).toBe(false);
    expect(violations(result), explain(result)).toEqual(['stuck-consumer']);
  });
});
