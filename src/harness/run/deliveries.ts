/**
 * What the workers' histories say about the deliveries of a run, for the drain (./drain.ts):
 * which deliveries a live worker still holds, and whether every published message has been
 * delivered, processed and acknowledged. The harness reads these files on every drain poll
 * anyway, so this costs no broker round trip, and it is exact where the broker's own count is
 * not: RabbitMQ's queue count leaves unacknowledged deliveries out, and `rabbitmqctl` reports a
 * quorum queue's unacknowledged count from Ra's periodic tick (a fresh hold reads 0 there).
 *
 * One broker message is delivered to at most one consumer at a time, so the latest delivery of
 * a message (id and copy) across all workers is the one that matters: an earlier one was
 * settled (acknowledged, nacked, or its consumer died) before the broker delivered it again.
 */
import type { HistoryEventInput } from '../../model/history.ts';

/** The latest delivery of one message copy, as its worker's history tells it. */
interface Latest {
  time: number;
  live: boolean;
  acked: boolean;
  ended: boolean;
  failed: boolean;
}

/** One worker's history file, read on this poll. */
export interface WorkerHistory {
  readonly events: readonly HistoryEventInput[];
  /** The worker is running (a dead worker's deliveries go back to the broker). */
  readonly live: boolean;
}

/** A publish of the run's producer (from its history). */
export interface Published {
  readonly id: string;
  readonly copy: number;
  readonly outcome: 'ok' | 'fail' | 'info';
}

export interface DeliveryCounts {
  /**
   * Deliveries a live worker took and has not both processed and acknowledged: the runtime
   * has not acknowledged them (and processing did not fail, after which a runtime nacks),
   * or acknowledged them before processing (at-most-once) and has not finished processing.
   */
  readonly unacked: number;
  /** Acknowledged before processing and not processed yet (at-most-once), in a live worker. */
  readonly unprocessed: number;
  /**
   * Every published copy (outcome `ok` or `info`) was delivered, and its latest delivery was
   * processed and acknowledged; no delivery is open anywhere. The broker has nothing more to
   * deliver unless an acknowledgement was lost, which cannot make a correct run look wrong.
   */
  readonly complete: boolean;
}

/** The counts of one drain poll (see DeliveryCounts). */
export function countDeliveries(
  histories: readonly WorkerHistory[],
  published: readonly Published[] | undefined,
): DeliveryCounts {
  const latest = new Map<string, Latest>();
  for (const { events, live } of histories) {
    const mine = new Map<string, Latest>();
    for (const e of events) {
      if (e.type !== 'deliver' && e.type !== 'process-begin' && e.type !== 'process-end' && e.type !== 'ack')
        continue;
      const key = `${e.id}:${e.copy}`;
      if (e.type === 'deliver') {
        mine.set(key, { time: e.time, live, acked: false, ended: false, failed: false });
        continue;
      }
      const d = mine.get(key);
      if (!d) continue;
      if (e.type === 'process-begin') Object.assign(d, { ended: false, failed: false });
      else if (e.type === 'process-end') Object.assign(d, { ended: true, failed: e.outcome === 'error' });
      else d.acked = true;
    }
    for (const [key, d] of mine) {
      const other = latest.get(key);
      // On a tie the open one wins: holding on is the safe side.
      if (!other || d.time > other.time || (d.time === other.time && !done(d))) latest.set(key, d);
    }
  }
  let unacked = 0;
  let unprocessed = 0;
  let open = false;
  for (const d of latest.values()) {
    if (done(d)) continue;
    open = true;
    if (!d.live) continue;
    if (d.acked) unprocessed += 1;
    else if (!d.failed) unacked += 1;
  }
  const complete =
    !open &&
    published !== undefined &&
    published.every((p) => p.outcome === 'fail' || latest.has(`${p.id}:${p.copy}`));
  return { unacked: unacked + unprocessed, unprocessed, complete };
}

function done(d: Latest): boolean {
  return d.acked && d.ended;
}
