/**
 * ackcheck's RabbitMQ runtimes (amqplib). At-least-once: manual acks after processing; a
 * processor error nacks with requeue after a backoff, so the broker redelivers. At-most-once:
 * `noAck` consumption, so the broker forgets a message as it sends it (an explicit ack before
 * processing would not do: basic.ack has no reply, a lost ack means a redelivery).
 */
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { sleep } from '../../deadline.ts';
import {
  decodeMessage,
  type Delivery,
  HEADERS,
  orderFor,
  type Runtime,
  type RuntimeOptions,
} from '../runtime.ts';
import { amqpUrl } from './admin.ts';

function toDelivery(msg: ConsumeMessage): Delivery {
  return {
    message: decodeMessage(msg.content),
    copy: Number(msg.properties.headers?.[HEADERS.copy] ?? 0),
    redelivered: msg.fields.redelivered,
    deliveryTag: msg.fields.deliveryTag,
  };
}

export function rabbitmqRuntime(options: RuntimeOptions): Runtime {
  const order = orderFor(options);
  const backoff = options.retryBackoffMs ?? 200;
  let connection: ChannelModel | undefined;
  let channel: Channel | undefined;
  return {
    name: `rabbitmq-${options.semantics}${options.order ? ` (${order})` : ''}`,
    broker: 'rabbitmq',
    semantics: options.semantics,
    async start(ctx) {
      if (ctx.target.kind !== 'rabbitmq') throw new Error('rabbitmqRuntime needs a RabbitMQ target');
      const { queue, prefetch } = ctx.target;
      // A lost connection ends the runtime (ctx.fail): the harness starts a replacement worker.
      // The broker may be restarting when this worker starts: keep trying for a minute.
      const deadline = Date.now() + 60_000;
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
      // The broker closes a channel whose delivery outlived the consumer timeout: its consumer
      // is gone, so end the runtime like a lost connection.
      ch.on('close', () => ctx.fail(new Error('AMQP channel closed')));
      await ch.prefetch(prefetch);
      if (order === 'process-then-ack') {
        await ch.consume(queue, async (msg) => {
          if (!msg) return;
          const d = toDelivery(msg);
          ctx.delivered(d);
          try {
            await ctx.process(d);
          } catch {
            await sleep(backoff);
            ch.nack(msg, false, true);
            return;
          }
          ch.ack(msg);
          ctx.acknowledged(d);
        });
      } else {
        await ch.consume(
          queue,
          async (msg) => {
            if (!msg) return;
            const d = toDelivery(msg);
            ctx.delivered(d);
            ctx.acknowledged(d); // noAck: delivered is acknowledged
            await ctx.process(d).catch(() => undefined);
          },
          { noAck: true },
        );
      }
    },
    async stop() {
      connection?.removeAllListeners('close');
      channel?.removeAllListeners('close');
      await channel?.close().catch(() => undefined);
      await connection?.close().catch(() => undefined);
    },
  };
}
