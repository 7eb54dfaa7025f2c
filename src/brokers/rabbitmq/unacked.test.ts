import { describe, expect, it } from 'vitest';
import type { BrokerInfo } from '../container/started-broker.ts';
import { type CountWays, parseListQueues, unackedCounter } from './unacked.ts';

const container = { id: 'rabbitmq-4.0', containerName: 'ackcheck-rabbitmq-4.0-x' } as BrokerInfo;
const external = { id: 'rabbitmq-4.0', external: true, amqpUrl: 'amqp://u:p@mq:5672' } as BrokerInfo;

function ways(overrides: Partial<CountWays>): CountWays & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    rabbitmqctl: async (name, queue) => (calls.push(`ctl ${name} ${queue}`), 0),
    management: async (_info, queue) => (calls.push(`api ${queue}`), 0),
    ...overrides,
  };
}

describe('unacknowledged counts', () => {
  it('parses rabbitmqctl list_queues output', () => {
    const out = 'other-queue\t4\nackcheck-q1\t2\n';
    expect(parseListQueues(out, 'ackcheck-q1')).toBe(2);
    expect(parseListQueues(out, 'ackcheck-q9')).toBeUndefined();
    expect(parseListQueues('', 'ackcheck-q1')).toBeUndefined();
  });

  it('asks rabbitmqctl in the container, the management API on an external broker', async () => {
    const w = ways({ rabbitmqctl: async () => 3 });
    expect(await unackedCounter(container, () => undefined, w)('q1')).toBe(3);
    const v = ways({ management: async () => 1 });
    expect(await unackedCounter(external, () => undefined, v)('q1')).toBe(1);
  });

  it('a queue the broker does not list holds nothing', async () => {
    const w = ways({ rabbitmqctl: async () => undefined });
    expect(await unackedCounter(container, () => undefined, w)('gone')).toBe(0);
  });

  it('falls back once, with one notice saying what may happen, when the broker cannot be asked', async () => {
    const notices: string[] = [];
    let calls = 0;
    const w = ways({
      management: async () => {
        calls += 1;
        throw new Error('connect ECONNREFUSED mq:15672');
      },
    });
    const count = unackedCounter(external, (m) => notices.push(m), w);
    expect(await count('q1')).toBeUndefined();
    expect(await count('q1')).toBeUndefined();
    expect(calls).toBe(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /management API on port 15672: connect ECONNREFUSED.*may be reported lost.*rabbitmq_management/,
    );
  });
});
