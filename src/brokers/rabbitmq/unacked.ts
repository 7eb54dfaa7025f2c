/**
 * The unacknowledged count of a RabbitMQ queue, which AMQP's queue.declare does not report
 * (its message count is the ready messages only). The drain first goes by the workers' own
 * histories (src/harness/run/deliveries.ts: a delivery reported and not acknowledged holds
 * the run; every message done ends it), which are exact and cost nothing; this count is the
 * second opinion, asked only when the histories do not show every message done (a runtime that
 * holds deliveries without reporting them, a publish of unknown outcome, a lossy run). In
 * ackcheck's own container it comes from `rabbitmqctl list_queues` (docker exec, about 0.6 s);
 * for an external broker from the management API (port 15672) when it answers. When neither is
 * possible the reader says so once and answers `undefined`. Both report a quorum queue's count
 * from Ra's periodic tick (a fresh hold may read 0), which is why the histories come first.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BrokerInfo } from '../container/started-broker.ts';

const run = promisify(execFile);

/** Deadline for one count. */
const COUNT_TIMEOUT_MS = 10_000;
const MANAGEMENT_PORT = 15_672;

/** Unacknowledged deliveries of `queue`, or undefined when the broker cannot be asked. */
export type UnackedCounter = (queue: string) => Promise<number | undefined>;

/** Parses `rabbitmqctl list_queues -q --no-table-headers name messages_unacknowledged` output. */
export function parseListQueues(output: string, queue: string): number | undefined {
  for (const line of output.split('\n')) {
    const [name, count] = line.trim().split(/\s+/);
    if (name === queue && count !== undefined && /^\d+$/.test(count)) return Number(count);
  }
  return undefined;
}

/** How each way of counting is done; replaced by fakes in the unit tests. */
export interface CountWays {
  rabbitmqctl(container: string, queue: string): Promise<number | undefined>;
  management(info: BrokerInfo, queue: string): Promise<number | undefined>;
}

const realWays: CountWays = {
  async rabbitmqctl(container, queue) {
    const { stdout } = await run(
      'docker',
      [
        'exec',
        container,
        'rabbitmqctl',
        'list_queues',
        '-q',
        '--no-table-headers',
        'name',
        'messages_unacknowledged',
      ],
      { timeout: COUNT_TIMEOUT_MS },
    );
    return parseListQueues(stdout, queue);
  },
  async management(info, queue) {
    const url = new URL(info.amqpUrl ?? '');
    const auth = Buffer.from(
      `${decodeURIComponent(url.username || 'guest')}:${decodeURIComponent(url.password || 'guest')}`,
    );
    const vhost = encodeURIComponent(decodeURIComponent(url.pathname.slice(1)) || '/');
    const response = await fetch(
      `http://${url.hostname}:${MANAGEMENT_PORT}/api/queues/${vhost}/${encodeURIComponent(queue)}`,
      {
        headers: { authorization: `Basic ${auth.toString('base64')}` },
        signal: AbortSignal.timeout(COUNT_TIMEOUT_MS),
      },
    );
    if (!response.ok) throw new Error(`management API answered ${response.status}`);
    const body = (await response.json()) as { messages_unacknowledged?: number };
    return body.messages_unacknowledged;
  },
};

const counters = new Map<string, UnackedCounter>();

/** The counter of this broker, shared by its runs (so a broker that cannot be asked is tried once). */
export function sharedUnackedCounter(info: BrokerInfo, notice: (message: string) => void): UnackedCounter {
  const key = `${info.id} ${info.containerName} ${info.amqpUrl ?? ''}`;
  let counter = counters.get(key);
  if (!counter) {
    counter = unackedCounter(info, notice);
    counters.set(key, counter);
  }
  return counter;
}

/**
 * A counter for one broker. The first failure of its way of counting turns it off for the
 * broker (one notice, through `notice`), so a broker that cannot be asked costs one attempt.
 */
export function unackedCounter(
  info: BrokerInfo,
  notice: (message: string) => void,
  ways: CountWays = realWays,
): UnackedCounter {
  let off = false;
  return async (queue) => {
    if (off) return undefined;
    try {
      const count = info.external
        ? await ways.management(info, queue)
        : await ways.rabbitmqctl(info.containerName, queue);
      // A queue the broker does not list (deleted) holds nothing.
      return count ?? 0;
    } catch (error) {
      off = true;
      notice(
        `${info.id}: cannot read unacknowledged counts (${info.external ? `management API on port ${MANAGEMENT_PORT}` : 'rabbitmqctl in the container'}: ` +
          `${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the drain goes by ready messages and the workers' histories instead, ` +
          'so a delivery that a runtime holds without reporting it (ctx.delivered), or holds quietly for more than 8 s, may be reported lost.' +
          (info.external ? ' Enable the rabbitmq_management plugin to avoid it.' : ''),
      );
      return undefined;
    }
  };
}
