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
  type RuntimeContext,
  type RuntimeOptions,
} from '../../runtime/runtime.ts';
import { amqpUrl } from './admin.ts';

/** A message of ackcheck's producer as a `Delivery` (for `ctx.delivered` and friends). For runtimes of your own too. */
export function amqpDelivery(msg: ConsumeMessage): Delivery {
  return {
    message: decodeMessage(msg.content),
    copy: Number(msg.properties.headers?.[HEADERS.copy] ?? 0),
    redelivered: msg.fields.redelivered,
    deliveryTag: msg.fields.deliveryTag,
  };
}

/** A connection and a channel opened for a runtime. `close()` ends both without failing the worker. */
export interface AmqpSession {
  readonly connection: ChannelModel;
  readonly channel: Channel;
  close(): Promise<void>;
}

/**
 * Opens a connection and a channel the way ackcheck's runtimes do, for runtimes of your own:
 * retries for a minute (the broker may be restarting when a worker starts), and ends the
 * worker through `ctx.fail` when the connection is lost or the broker closes the channel (a
 * delivery that outlived the consumer timeout), so that the harness starts a replacement.
 */
export async function openAmqpSession(ctx: RuntimeContext): Promise<AmqpSession> {
  const deadline = Date.now() + 60_000;
  let connection: ChannelModel;
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
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  channel.on('close', () => ctx.fail(new Error('AMQP channel closed')));
  return {
    connection,
    channel,
    async close() {
      connection.removeAllListeners('close');
      channel.removeAllListeners('close');
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

export function rabbitmqRuntime(options: RuntimeOptions): Runtime {
  const order = orderFor(options);
  const backoff = options.retryBackoffMs ?? 200;
  let session: AmqpSession | undefined;
  return {
    name: `rabbitmq-${options.semantics}${options.order ? ` (${order})` : ''}`,
    broker: 'rabbitmq',
    semantics: options.semantics,
    async start(ctx) {
      if (ctx.target.kind !== 'rabbitmq') throw new Error('rabbitmqRuntime needs a RabbitMQ target');
      const { queue, prefetch } = ctx.target;
      session = await openAmqpSession(ctx);
      const ch = session.channel;
      await ch.prefetch(prefetch);
      if (order === 'process-then-ack') {
        await ch.consume(queue, async (msg) => {
          if (!msg) return;
          const d = amqpDelivery(msg);
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
            const d = amqpDelivery(msg);
            ctx.delivered(d);
            ctx.acknowledged(d); // noAck: delivered is acknowledged
            await ctx.process(d).catch(() => undefined);
          },
          { noAck: true },
        );
      }
    },
    async stop() {
      await session?.close();
    },
  };
}
