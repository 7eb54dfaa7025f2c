/**
 * An amqplib consumer for one RabbitMQ client configuration (`noAck`, nack or reject, with or
 * without requeue on a processor error). The `rabbitmq-queue-types` suite certifies each one
 * to find out what it delivers.
 */
import { amqpDelivery, type AmqpSession, openAmqpSession } from '../../src/brokers/rabbitmq/runtime.ts';
import type { Runtime } from '../../src/runtime/runtime.ts';
import { sleep } from '../../src/deadline.ts';
import type { Semantics } from '../../src/model/scenario.ts';

export interface AmqplibConfig {
  /** Shown in reports. */
  readonly name: string;
  /** The semantics the configuration is claimed to deliver. Default at-least-once. */
  readonly semantics?: Semantics;
  /** Consume with `noAck: true` (the broker forgets a message as it sends it). */
  readonly noAck?: boolean;
  /** On a processor error: `nack` or `reject` the message, with or without requeue. */
  readonly onError?: { readonly method: 'nack' | 'reject'; readonly requeue: boolean };
  /** Pause before the nack/reject of a failed message, in ms. Default 200. */
  readonly retryBackoffMs?: number;
}

export function amqplibConfigRuntime(config: AmqplibConfig): Runtime {
  const onError = config.onError ?? { method: 'nack', requeue: true };
  let session: AmqpSession | undefined;
  return {
    name: config.name,
    broker: 'rabbitmq',
    semantics: config.semantics ?? 'at-least-once',
    async start(ctx) {
      if (ctx.target.kind !== 'rabbitmq') throw new Error(`${config.name} needs a RabbitMQ target`);
      const { queue, prefetch } = ctx.target;
      session = await openAmqpSession(ctx); // retries while the broker may be restarting
      const ch = session.channel;
      await ch.prefetch(prefetch);
      if (config.noAck) {
        await ch.consume(
          queue,
          async (msg) => {
            if (!msg) return;
            const d = amqpDelivery(msg);
            ctx.delivered(d);
            ctx.acknowledged(d); // with noAck, delivered is acknowledged
            await ctx.process(d).catch(() => undefined);
          },
          { noAck: true },
        );
        return;
      }
      await ch.consume(queue, async (msg) => {
        if (!msg) return;
        const d = amqpDelivery(msg);
        ctx.delivered(d);
        try {
          await ctx.process(d);
        } catch {
          await sleep(config.retryBackoffMs ?? 200);
          if (onError.method === 'nack') ch.nack(msg, false, onError.requeue);
          else ch.reject(msg, onError.requeue);
          return;
        }
        ch.ack(msg);
        ctx.acknowledged(d);
      });
    },
    async stop() {
      await session?.close();
    },
  };
}
