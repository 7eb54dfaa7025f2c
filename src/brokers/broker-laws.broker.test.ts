/**
 * Laws every broker version must satisfy, applied to each broker the global setup started
 * (in the manner of fast-check's ArbitraryAssertions): messages round-trip exactly once on
 * the happy path, and after each broker fault the same client session reconnects and a
 * further batch round-trips without loss, at the same address.
 */
import { describe, expect, it } from 'vitest';
import { brokerHandle, brokers } from '../vitest/index.ts';
import type { BrokerFault } from './container/started-broker.ts';
import { type BrokerId, openRoundTripper } from './registry.ts';

const FAULTS: BrokerFault[] = ['restart', 'kill', 'pause'];

describe.each(brokers().map((b) => [b.id, b] as const))('%s', (id, info) => {
  it('round-trips 10,000 messages with confirms: none lost, none duplicated', async () => {
    await using tripper = await openRoundTripper(info);
    const result = await tripper.batch(10_000, 180_000);
    expect(result.lost).toEqual([]);
    expect(result.duplicated).toEqual([]);
    expect(result.messages).toBe(10_000);
  });

  it.each(FAULTS)('reconnects after a broker %s and round-trips a further batch', async (fault) => {
    const broker = brokerHandle(id as BrokerId);
    // RabbitMQ: a quorum queue declared moments before a SIGKILL does not come back (its Ra
    // member registration was not yet on disk; see README "Limitations"), so the kill fault
    // uses a classic durable queue; restart and pause use a quorum queue.
    const queueType = fault === 'kill' ? 'classic' : 'quorum';
    await using tripper = await openRoundTripper(
      info,
      info.kind === 'kafka' ? { partitions: 2 } : { queueType },
    );
    const before = await tripper.batch(200, 60_000);
    expect(before.lost).toEqual([]);
    // No wait before the kill: RabbitMQ 4.0 sometimes loses the classic queue declared just
    // before, and the round-tripper declares it again when it reconnects (README "Limitations").
    await broker.injectFault(fault, 1_000);
    expect(await broker.state()).toBe('running');

    const after = await tripper.batch(500, 120_000);
    expect(after.lost).toEqual([]);
    // The address did not move: a fresh client at the same address is served too.
    await using fresh = await openRoundTripper(info);
    expect((await fresh.batch(50, 60_000)).lost).toEqual([]);
  });
});
