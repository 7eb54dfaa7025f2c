/**
 * RabbitMQ round trips with amqplib: a recovering connection (amqplib reconnects and reruns
 * `setup`, which reopens the confirm channel and the consumer), publisher confirms, manual acks.
 */
import amqp, { type Channel, type ConfirmChannel } from 'amqplib';
import { sleep, withTimeout } from '../../deadline.ts';
import { describeError } from '../../errors.ts';
import type { BrokerInfo } from '../container/started-broker.ts';
import {
  ConsumptionLedger,
  idOf,
  payloadOf,
  type RoundTripOptions,
  type RoundTripper,
} from '../roundtrip.ts';
import { amqpUrl, provisionQueue, queueDeclareOptions, type RabbitmqQueue } from './admin.ts';

const IN_FLIGHT = 1_000;
const HEARTBEAT_SECONDS = 5;
const CLOSE_TIMEOUT_MS = 5_000;

export async function openRabbitmqRoundTripper(
  info: BrokerInfo,
  options: RoundTripOptions,
): Promise<RoundTripper> {
  const payloadBytes = options.payloadBytes ?? 1024;
  const queue = await provisionQueue(info, { type: options.queueType ?? 'classic' });
  const ledger = new ConsumptionLedger();
  let closed = false;
  let publisher: ConfirmChannel | undefined;
  let consumerChannel: Channel | undefined;
  // A SIGKILLed broker can leave the client's socket open (the port proxy keeps it): a short
  // heartbeat notices the dead peer in seconds instead of minutes.
  const connection = await amqp.connect(`${amqpUrl(info)}?heartbeat=${HEARTBEAT_SECONDS}`, {
    // A handshake with a broker still booting must not hang a reconnect attempt for good.
    timeout: 10_000,
    recovery: {
      initialDelay: 200,
      maxDelay: 2_000,
      setup: (model: amqp.ChannelModel) =>
        setupChannels(
          model,
          queue,
          ledger,
          () => closed,
          (pub, sub) => {
            publisher = pub;
            consumerChannel = sub;
          },
        ),
    },
  });
  connection.on('error', () => undefined);
  // Why reconnecting fails, if it does: part of a batch's deadline error.
  let reconnectError: unknown;
  connection.on('connect-failed', (error: unknown) => (reconnectError = error));
  connection.on('connect', () => (reconnectError = undefined));
  let nextId = 0;

  const publishOne = (id: number) => publish(publisher, queue.name, id, payloadBytes);

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    // With deadlines: amqplib 2.3.1 never settles a close whose socket dies before the broker's
    // CloseOk (connection.js calls the close callback only on CloseOk), so a close racing a
    // broker fault would hang. (The same gap can wedge its recovery, which awaits that close
    // after a failed setup; not seen in the kill law's 20 repetitions.)
    const bounded = (p: Promise<unknown> | undefined) =>
      p && withTimeout(p, CLOSE_TIMEOUT_MS, 'close timed out').catch(() => undefined);
    await bounded(consumerChannel?.close());
    await bounded(connection.close());
    await queue[Symbol.asyncDispose]();
  }

  return {
    async batch(count, timeoutMs = 120_000) {
      const from = nextId;
      const to = from + count;
      nextId = to;
      const began = Date.now();
      const deadline = began + timeoutMs;
      const publishRetries = await publishAll(
        Array.from({ length: count }, (_, i) => from + i),
        publishOne,
        deadline,
        () => reconnectError,
      );
      const produceMs = Date.now() - began;
      await ledger.waitFor(from, to, deadline);
      return {
        messages: count,
        produceMs,
        totalMs: Date.now() - began,
        publishRetries,
        ...ledger.outcome(from, to),
      };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** (Re)opens the confirm channel and the consumer after each (re)connection. */
async function setupChannels(
  model: amqp.ChannelModel,
  queue: RabbitmqQueue,
  ledger: ConsumptionLedger,
  isClosed: () => boolean,
  use: (publisher: ConfirmChannel, consumer: Channel) => void,
): Promise<void> {
  // amqplib binds its own error listener only after setup succeeds; a broker that is still
  // recovering (quorum queues after a kill) closes the connection with 541 during setup,
  // which would otherwise be an unhandled 'error' event. Recovery then retries.
  model.on('error', () => undefined);
  // A setup that hangs would stop recovery for good; a failed one is retried.
  // amqplib recovers a closed connection only: a channel the broker closes (or a consumer
  // it cancels) while the connection stays up would leave publishes failing until the
  // deadline ("N publishes unconfirmed"), so close the connection and let recovery redo
  // the setup.
  const renew = () => {
    if (!isClosed()) model.close().catch(() => undefined);
  };
  await withTimeout(
    (async () => {
      const pub = await model.createConfirmChannel();
      pub.on('error', () => undefined);
      pub.on('close', renew);
      const sub = await model.createChannel();
      sub.on('error', () => undefined);
      sub.on('close', renew);
      await sub.prefetch(500);
      // RabbitMQ 4.0 can lose a durable queue declared shortly before a SIGKILL: the restarted
      // broker recovers no queue ("Recovering 0 queues of type rabbit_classic_queue") and
      // basic.consume fails with 404 NOT_FOUND. A setup that only consumed then failed on every
      // reconnect (amqplib kept retrying) and publishes kept hitting the closed pre-kill
      // channel until the deadline: the flaky "500 publishes unconfirmed at the deadline"
      // (README "Limitations"). So recover the topology too, as RabbitMQ's own clients do:
      // declaring an existing queue with the same options changes nothing, and a message the
      // broker lost with its queue still shows up as `lost`.
      await sub.assertQueue(queue.name, queueDeclareOptions(queue.type));
      await sub.consume(queue.name, (msg) => {
        if (!msg) return renew(); // consumer cancelled by the broker: subscribe again
        ledger.record(idOf(msg.content));
        sub.ack(msg);
      });
      use(pub, sub);
    })(),
    10_000,
    'channel setup timed out',
  );
}

/**
 * Publishes with a bounded window of unconfirmed messages; a nack or a closed channel leaves
 * the outcome unknown, so the message is published again. Resolves to the number of retries.
 */
async function publishAll(
  ids: number[],
  publishOne: (id: number) => Promise<void>,
  deadline: number,
  reconnectError: () => unknown,
): Promise<number> {
  let publishRetries = 0;
  let pending = ids;
  while (pending.length > 0) {
    const failed: number[] = [];
    let lastError: unknown;
    for (let i = 0; i < pending.length; i += IN_FLIGHT) {
      const window = pending.slice(i, i + IN_FLIGHT);
      const results = await Promise.allSettled(window.map((id) => publishOne(id)));
      results.forEach((r, j) => {
        if (r.status === 'rejected') {
          failed.push(window[j] as number);
          lastError = r.reason;
        }
      });
    }
    if (failed.length > 0) {
      publishRetries += failed.length;
      // Say why: the last rejection (a closed channel, a nack) and, if reconnecting fails, its
      // error (the kill flake's was a 404 on the consume, seen only with added logging).
      if (Date.now() > deadline) {
        const reconnect = reconnectError();
        throw new Error(
          `${failed.length} publishes unconfirmed at the deadline (last: ${describeError(lastError)})` +
            (reconnect === undefined ? '' : `; reconnecting fails: ${describeError(reconnect)}`),
        );
      }
      await sleep(250);
    }
    pending = failed;
  }
  return publishRetries;
}

function publish(
  channel: ConfirmChannel | undefined,
  queue: string,
  id: number,
  bytes: number,
): Promise<void> {
  if (!channel) return Promise.reject(new Error('no channel yet'));
  return new Promise<void>((resolve, reject) => {
    try {
      channel.sendToQueue(queue, payloadOf(id, bytes), { persistent: true, messageId: String(id) }, (err) =>
        err ? reject(err) : resolve(),
      );
    } catch (error) {
      reject(error);
    }
  });
}
