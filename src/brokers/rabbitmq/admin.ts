/** RabbitMQ administration: readiness probe and per-run queues. */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { sleep, withTimeout } from '../../deadline.ts';
import type { BrokerInfo } from '../container/started-broker.ts';

export type QueueType = 'classic' | 'quorum';

export function amqpUrl(info: Pick<BrokerInfo, 'amqpUrl'>): string {
  if (!info.amqpUrl) throw new TypeError('not a RabbitMQ broker: no amqpUrl');
  return info.amqpUrl;
}

/** Opens and closes a connection and a channel; throws if the broker cannot serve them. */
export async function probeRabbitmq(info: BrokerInfo, timeoutMs: number): Promise<void> {
  const connection = await withTimeout(
    amqp.connect(amqpUrl(info), { timeout: Math.min(timeoutMs, 3_000) }),
    Math.min(timeoutMs, 5_000),
    'AMQP connect timed out',
  );
  // A broker still booting closes connections with 541 INTERNAL_ERROR; that is a failed probe, not a crash.
  connection.on('error', () => undefined);
  try {
    const channel = await withTimeout(connection.createChannel(), 5_000, 'AMQP channel open timed out');
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

type Connection = Awaited<ReturnType<typeof amqp.connect>>;

/**
 * The connection a queue was provisioned over, kept open for the run when asked (`share`): the
 * run's producer and drain count open their channels on it, and disposing deletes the queue
 * over it, instead of a connection each (an AMQP connection costs several round trips).
 */
const runConnections = new Map<string, Connection>();

/** The open connection `queue` was provisioned over (with `share`), if it is still open. */
export function sharedConnection(queue: string): Connection | undefined {
  return runConnections.get(queue);
}

/** How the kit declares its queues: durable, of `type`. Redeclaring with the same options is a no-op. */
export function queueDeclareOptions(type: QueueType): amqp.Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': type } };
}

/** Whether the broker has queue `name` (false on 404 NOT_FOUND; throws if it cannot be asked). */
export async function queueExists(info: BrokerInfo, name: string, timeoutMs = 10_000): Promise<boolean> {
  const connection = await withTimeout(
    amqp.connect(amqpUrl(info), { timeout: timeoutMs }),
    timeoutMs,
    'AMQP connect timed out',
  );
  connection.on('error', () => undefined);
  try {
    const channel = await withTimeout(connection.createChannel(), timeoutMs, 'AMQP channel open timed out');
    channel.on('error', () => undefined);
    return await withTimeout(
      channel.checkQueue(name).then(
        () => true,
        (error: unknown) => {
          if ((error as { code?: unknown }).code === 404) return false;
          throw error;
        },
      ),
      timeoutMs,
      'queue check timed out',
    );
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface RabbitmqQueue extends AsyncDisposable {
  readonly name: string;
  readonly type: QueueType;
}

/**
 * How long a new quorum queue needs before it survives a SIGKILL of the broker. RabbitMQ's
 * Raft library (ra) keeps its registry of queue members in a dets table saved 500 ms after
 * its last change (`dets:info(ra_directory_reverse, auto_save)` on 3.10 and 4.0); a kill
 * before that loses the registration, and on restart the queue "was not found on this node.
 * Starting member as a new one" and never confirms a publish again. Measured on 4.0: killed
 * right after the declare, 0 of 4 queues came back (also 0 of 4 after one confirmed publish);
 * after 1.5 s, 6 of 6; after 2 s, 4 of 4.
 */
export const QUORUM_KILL_SAFE_MS = 1_500;

/**
 * Declares a fresh durable queue of `type`; disposing deletes it. `killSafe`: also wait until a
 * SIGKILL of the broker would find Ra's registry saved (QUORUM_KILL_SAFE_MS): the new queue's
 * entry if it is a quorum queue, and the removal of any quorum queue deleted just before.
 */
export async function provisionQueue(
  info: BrokerInfo,
  options: { type?: QueueType; name?: string; killSafe?: boolean; share?: boolean } = {},
): Promise<RabbitmqQueue> {
  const type = options.type ?? 'classic';
  if (type !== 'classic' && type !== 'quorum') {
    throw new RangeError(`provisionQueue: type must be "classic" or "quorum", got "${String(type)}"`);
  }
  const name = options.name ?? `ackcheck-${randomUUID()}`;
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue(name, queueDeclareOptions(type));
    await channel.close();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  if (options.share) {
    runConnections.set(name, connection);
    // A broker fault closes it: the run's clients open their own from then on.
    connection.on('close', () => {
      if (runConnections.get(name) === connection) runConnections.delete(name);
    });
  } else await connection.close();
  // Any queue type: RabbitMQ 4.0 can also lose a classic queue declared shortly before a
  // SIGKILL (lost in 2 of 5 kills ~80 ms after the declare and 1 of 3 at 500 ms; 0 of 9 at 1 s
  // or more; README "Limitations"). The wait makes that rarer; a run whose queue is lost anyway
  // fails as BROKER_LOST_TARGET rather than with findings (src/harness/run-scenario.ts).
  if (options.killSafe) await sleep(QUORUM_KILL_SAFE_MS);
  return {
    name,
    type,
    async [Symbol.asyncDispose]() {
      const shared = runConnections.get(name);
      runConnections.delete(name);
      try {
        const c = shared ?? (await amqp.connect(amqpUrl(info)));
        c.on('error', () => undefined);
        try {
          const ch = await c.createChannel();
          await ch.deleteQueue(name);
          await ch.close();
        } finally {
          await c.close();
        }
      } catch {
        // The run is over; a queue that cannot be deleted now goes with the container.
        await shared?.close().catch(() => undefined);
      }
    },
  };
}
