/**
 * An amqplib consumer for one RabbitMQ client configuration (`noAck`, nack or reject, with or
 * without requeue on a processor error). The `rabbitmq-queue-types` suite certifies each one
 * to find out what it delivers.
 */
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { amqpUrl } from '../../src/brokers/rabbitmq/admin.ts';
import { decodeMessage, type Delivery, HEADERS, type Runtime } from '../../src/brokers/runtime.ts';
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

const CONNECT_DEADLINE_MS = 60_000;

function toDelivery(msg: ConsumeMessage): Delivery {
  return {
    message: decodeMessage(msg.content),
    copy: Number(msg.properties.headers?.[HEADERS.copy] ?? 0),
    redelivered: msg.fields.redelivered,
    deliveryTag: msg.fields.deliveryTag,
  };
}

export function amqplibConfigRuntime(config: AmqplibConfig): Runtime {
  const onError = config.onError ?? { method: 'nack', requeue: true };
  let connection: ChannelModel | undefined;
  let channel: Channel | undefined;
  return {
    name: config.name,
    broker: 'rabbitmq',
    semantics: config.semantics ?? 'at-least-once',
    async start(ctx) {
      if (ctx.target.kind !== 'rabbitmq') throw new Error(`${config.name} needs a RabbitMQ target`);
      const { queue, prefetch } = ctx.target;
      const deadline = Date.now() + CONNECT_DEADLINE_MS; // the broker may be restarting
      for (;;) {
        try {
          connection = await amqp.connect(`${amqpUrl(ctx.broker)}?heartbeat=5`);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(250);
        }
      }
      connection.on('error', () => undefined);
      connection.on('close', () => ctx.fail(new Error('AMQP connection closed')));
      const ch = await connection.createChannel();
      channel = ch;
      ch.on('error', () => undefined);
      await ch.prefetch(prefetch);
      if (config.noAck) {
        await ch.consume(
          queue,
          async (msg) => {
            if (!msg) return;
            const d = toDelivery(msg);
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
        const d = toDelivery(msg);
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
      connection?.removeAllListeners('close');
      await channel?.close().catch(() => undefined);
      await connection?.close().catch(() => undefined);
    },
  };
}
