/**
 * The kafkajs runtime against a fake kafkajs consumer: what it does when kafkajs's
 * commitOffsets resolves without committing (its runner stopped mid-batch, as during a broker
 * restart). No broker: the fake plays kafkajs's documented behaviour (runner.js commitOffsets
 * returns early once `running` is false).
 */
import { describe, expect, it, vi } from 'vitest';
import type { Delivery, RuntimeContext } from '../../runtime/runtime.ts';
import { encodeMessage } from '../../runtime/runtime.ts';

interface FakeBatchArgs {
  batch: {
    partition: number;
    messages: Array<{ offset: string; value: Buffer; headers: Record<string, Buffer> }>;
  };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

/** What the fake consumer does on each commitOffsets call: `stop` stops its runner first, then resolves without committing, as kafkajs does. */
let onCommit: (state: { running: boolean }) => void = () => undefined;
const committed: string[] = [];

vi.mock('./client.ts', () => ({
  kafkaClient: () => ({
    consumer: () => {
      const state = { running: true };
      return {
        events: { CRASH: 'consumer.crash' },
        on: () => undefined,
        connect: async () => undefined,
        subscribe: async () => undefined,
        disconnect: async () => undefined,
        commitOffsets: async ([o]: Array<{ offset: string }>) => {
          onCommit(state);
          if (!state.running) return; // kafkajs: "consumer not running, exiting"
          committed.push(o!.offset);
        },
        run: async ({ eachBatch }: { eachBatch: (args: FakeBatchArgs) => Promise<void> }) => {
          const messages = [0, 1, 2].map((n) => ({
            offset: String(n),
            value: encodeMessage({ id: `m${n + 1}`, key: 'k', payload: { n } } as never),
            headers: {},
          }));
          await eachBatch({
            batch: { partition: 0, messages },
            resolveOffset: () => undefined,
            heartbeat: async () => undefined,
            isRunning: () => state.running,
            isStale: () => false,
          }).catch(() => undefined);
        },
      };
    },
  }),
}));

const { kafkaRuntime } = await import('./runtime.ts');

function context() {
  const processed: string[] = [];
  const acknowledged: string[] = [];
  const ctx: RuntimeContext = {
    broker: { bootstrapServers: ['fake:9092'] } as never,
    target: { kind: 'kafka', topic: 't', groupId: 'g' },
    worker: 'w1',
    delivered: () => undefined,
    process: async (d: Delivery) => void processed.push(d.message.id),
    acknowledged: (d: Delivery) => void acknowledged.push(d.message.id),
    log: () => undefined,
    fail: () => undefined,
  };
  return { ctx, processed, acknowledged };
}

describe('kafkaRuntime (kafkajs) when commitOffsets resolves without committing', () => {
  it('at-most-once does not process a message whose commit kafkajs skipped (its runner had stopped)', async () => {
    committed.length = 0;
    // The second commit meets a stopped runner: kafkajs resolves it without sending anything.
    let calls = 0;
    onCommit = (state) => {
      if (++calls === 2) state.running = false;
    };
    const { ctx, processed, acknowledged } = context();
    await kafkaRuntime({ semantics: 'at-most-once' }).start(ctx);
    expect(committed).toEqual(['1']);
    expect(processed).toEqual(['m1']); // m2 was not committed: processing it would make it a duplicate when it comes again
    expect(acknowledged).toEqual(['m1']);
  });

  it('at-least-once does not report acknowledged what a skipped commit should have covered', async () => {
    committed.length = 0;
    onCommit = (state) => {
      state.running = false;
    };
    const { ctx, processed, acknowledged } = context();
    await kafkaRuntime({ semantics: 'at-least-once' }).start(ctx);
    expect(processed).toEqual(['m1', 'm2', 'm3']);
    expect(committed).toEqual([]);
    expect(acknowledged).toEqual([]);
  });

  it('a commit that happened is acknowledged (the fake does commit while its runner runs)', async () => {
    committed.length = 0;
    onCommit = () => undefined;
    const { ctx, processed, acknowledged } = context();
    await kafkaRuntime({ semantics: 'at-most-once' }).start(ctx);
    expect(committed).toEqual(['1', '2', '3']);
    expect(processed).toEqual(['m1', 'm2', 'm3']);
    expect(acknowledged).toEqual(['m1', 'm2', 'm3']);
  });
});
