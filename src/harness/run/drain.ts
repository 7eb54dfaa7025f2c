/**
 * Heal and drain (DESIGN.md, step 5): wait until everything published was consumed and
 * acknowledged and the history has been quiet for a moment, or the deadline passes (then the
 * verdict is a liveness finding, not a hang). The deadline counts from the last heal: a broker
 * that takes long to come back (a Kafka kill + start takes up to a minute on a loaded machine)
 * must not eat the drain time. A consumer left stuck after the heal is replaced by a fresh one
 * (recorded, and reported as `stuck-consumer`), so that the other invariants are still checked.
 */
import { CONSUMER_REFRESH_FAULT } from '../../check/stuck-consumer.ts';
import type { HistoryEventInput } from '../../model/history.ts';
import type { RecordEvent } from '../../nemesis/schedule.ts';
import { openProcessing } from '../worker-exits.ts';
import { countDeliveries, type DeliveryCounts, type Published } from './deliveries.ts';

/** No progress for this long after the faults healed: replace the consumers. */
export const STUCK_MS = 8_000;
export const MAX_REFRESHES = 3;
/**
 * The history must be this quiet before a run counts as drained: long enough for a broker to
 * hand back the deliveries of a consumer that just died (RabbitMQ requeues on the closed
 * connection within milliseconds). Each poll is one count over the run's open connection.
 */
export const QUIET_MS = 500;
/**
 * The quiet needed when the histories show every published message delivered, processed and
 * acknowledged (run/deliveries.ts): nothing is left to hand back, only a fault a worker
 * triggered at its last acknowledgement may still be on its way over IPC.
 */
export const COMPLETE_QUIET_MS = 100;
/**
 * A delivery a live worker holds per its history keeps the run going for at most this much
 * quiet: longer than ackcheck's RabbitMQ lets a consumer hold one (4 s consumer timeout,
 * checked every 0.5 s; 5 s and 1 s on a shared broker an earlier ackcheck started), so past
 * it the runtime settled it without saying so (a nack without requeue, or no
 * `ctx.acknowledged` call) and the broker's own count decides.
 */
export const HELD_MAX_MS = STUCK_MS;
export const POLL_MS = 50;

/** What the drain needs of the consumer pool (src/harness/worker-pool.ts). */
export interface DrainPool {
  readonly failure: Error | undefined;
  readonly stuck: readonly unknown[];
  readonly crashLooping: boolean;
  readonly size: number;
  readonly historyFiles: readonly string[];
  liveHistoryFiles(): string[];
  names(): string[];
  restart(name: string): Promise<void>;
}

export interface DrainDeps {
  readonly pool: DrainPool;
  /** Published messages not consumed and acknowledged yet (NaN when the broker did not answer). */
  remaining(): Promise<number>;
  /**
   * Deliveries consumers hold unacknowledged, when `remaining` leaves them out (RabbitMQ);
   * undefined when the broker cannot tell. Present: a live worker's unacknowledged delivery
   * (per its history) holds the run. Asked only when the histories do not show every message
   * done (it can cost half a second: a docker exec of rabbitmqctl).
   */
  unacknowledged?(): Promise<number | undefined>;
  /** The producer's publishes (absent: the histories never show a run complete). */
  readonly published?: readonly Published[];
  /** Resolves when the harness faults scheduled so far healed; lastHealAt() says when. */
  settled(): Promise<void>;
  lastHealAt(): number;
  readHistory(file: string): readonly HistoryEventInput[];
  record: RecordEvent;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Resolves to whether the run drained before its deadline. Throws the pool's start-up failure. */
export async function drain(deps: DrainDeps, drainTimeoutMs: number): Promise<boolean> {
  const { pool, now } = deps;
  const from = now();
  let quietSince = now();
  let lastSize = -1;
  let refreshes = 0;
  while (now() < Math.max(from, deps.lastHealAt()) + drainTimeoutMs) {
    if (pool.failure) throw pool.failure;
    // The processor's own failures end the drain: a hung process() never returns, and a
    // processor that keeps killing its workers has none left (the verdict names both).
    if (pool.stuck.length > 0 || (pool.crashLooping && pool.size === 0)) return false;
    await deps.settled();
    quietSince = Math.max(quietSince, deps.lastHealAt());
    const { size, holding, deliveries } = observeWorkers(deps);
    if (size !== lastSize) {
      lastSize = size;
      quietSince = now();
    }
    const quiet = now() - quietSince;
    let left = await deps.remaining().catch(() => Number.NaN);
    if (left === 0 && !holding && !held(deps, deliveries, quiet) && pool.size > 0) {
      if (deliveries.complete && quiet >= COMPLETE_QUIET_MS) return true;
      if (quiet >= QUIET_MS) {
        // A consumer may hold a delivery quietly (a batch waiting to fill): the broker knows.
        const unacked = deliveries.complete ? 0 : await deps.unacknowledged?.().catch(() => undefined);
        if (!unacked) return true;
        left = unacked;
      }
    }
    if (left !== 0 && now() - quietSince > STUCK_MS && refreshes < MAX_REFRESHES) {
      refreshes += 1;
      await refreshConsumers(deps);
      quietSince = now();
    }
    await deps.sleep(POLL_MS);
  }
  return false;
}

/**
 * Whether a live worker holds a delivery per its history that the broker's count leaves out:
 * one acknowledged before processing and not processed yet (any broker), or, where the count
 * leaves unacknowledged deliveries out (RabbitMQ), one not acknowledged yet. Bounded by
 * HELD_MAX_MS of quiet.
 */
function held(deps: DrainDeps, deliveries: DeliveryCounts, quiet: number): boolean {
  if (quiet >= HELD_MAX_MS) return false;
  return (deps.unacknowledged ? deliveries.unacked : deliveries.unprocessed) > 0;
}

/**
 * One read of each history file: the total size shows progress, a live worker inside a stall
 * or inside process() still holds a delivery that a broker's count may leave out (RabbitMQ
 * counts only ready messages), and the deliveries say what is held or whether all is done.
 */
function observeWorkers(deps: DrainDeps): { size: number; holding: boolean; deliveries: DeliveryCounts } {
  const live = new Set(deps.pool.liveHistoryFiles());
  let size = 0;
  let holding = false;
  const histories = deps.pool.historyFiles.map((file) => {
    const events = deps.readHistory(file);
    size += events.length;
    if (live.has(file) && (inStall(events) || openProcessing(events).length > 0)) holding = true;
    return { events, live: live.has(file) };
  });
  return { size, holding, deliveries: countDeliveries(histories, deps.published) };
}

/** Healing includes a healthy consumer: every worker is restarted (recorded for the verdict). */
async function refreshConsumers(deps: DrainDeps): Promise<void> {
  deps.record({ type: 'fault-start', fault: CONSUMER_REFRESH_FAULT, kind: 'consumer-restart' });
  for (const name of deps.pool.names()) await deps.pool.restart(name);
  deps.record({ type: 'fault-heal', fault: CONSUMER_REFRESH_FAULT, kind: 'consumer-restart' });
}

/** A consumer-stall fault started in this worker's history and not healed yet. */
export function inStall(events: readonly HistoryEventInput[]): boolean {
  const open = new Set<number>();
  for (const e of events) {
    if (e.type === 'fault-start' && e.kind === 'consumer-stall') open.add(e.fault);
    if (e.type === 'fault-heal') open.delete(e.fault);
  }
  return open.size > 0;
}
