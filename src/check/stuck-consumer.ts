/**
 * Stuck consumers: after the faults heal, the harness replaces consumers that make no progress
 * for a while (so the run can still drain and its other invariants be checked), recording each
 * replacement as a harness `consumer-restart` with fault index CONSUMER_REFRESH_FAULT. A
 * consumer that stays stuck after a broker restart is a real bug class (a client that never
 * reconnects would stall production), so each replacement is reported here with the messages
 * that were pending when it happened and the events behind them. Reported only, unless the
 * caller makes it a violation.
 */
import type { HistoryEvent } from '../model/history.ts';
import type { Finding } from '../model/verdict.ts';

/** The fault index of a harness-initiated consumer replacement (not part of the schedule). */
export const CONSUMER_REFRESH_FAULT = -1;

/** Events attached to the finding. */
const EVENT_LIMIT = 20;
/** Pending ids named in the detail sentence. */
const IDS_IN_DETAIL = 10;

/** Empty when the harness replaced no consumer. */
export function stuckConsumerFindings(history: readonly HistoryEvent[], violation: boolean): Finding[] {
  const refreshes = history.filter(
    (e) => (e.type === 'fault-start' || e.type === 'fault-heal') && e.fault === CONSUMER_REFRESH_FAULT,
  );
  const first = refreshes.find((e) => e.type === 'fault-start');
  if (first === undefined) return [];
  const pending = pendingAt(history, first.seq);
  const lastEvents = pending.flatMap((id) => {
    const last = history.filter((e) => e.seq < first.seq && 'id' in e && e.id === id).at(-1);
    return last === undefined ? [] : [last];
  });
  const count = refreshes.filter((e) => e.type === 'fault-start').length;
  const shown = pending.slice(0, IDS_IN_DETAIL).join(', ') + (pending.length > IDS_IN_DETAIL ? ', …' : '');
  return [
    {
      code: 'stuck-consumer',
      invariant: 'liveness',
      violation,
      messageIds: pending,
      events: [...refreshes, ...lastEvents].sort((a, b) => a.seq - b.seq).slice(0, EVENT_LIMIT),
      detail: [
        `After the faults healed the consumers made no progress while ${pending.length} message(s) were`,
        `pending (${shown || 'none identified'}), so the harness replaced them (${count} time(s)) to let`,
        'the run drain. A consumer that stays stuck after a broker fault would stall in production:',
        'look for a client that does not reconnect or rejoin its group, or a handler that never returns.',
        violation
          ? ''
          : 'Reported only; failOnStuckConsumer (--fail-on-stuck-consumer) makes it a violation.',
      ]
        .filter((s) => s !== '')
        .join(' '),
    },
  ];
}

/** Messages published (ok or unknown outcome) and not yet processed to completion before `seq`. */
function pendingAt(history: readonly HistoryEvent[], seq: number): string[] {
  const published: string[] = [];
  const done = new Set<string>();
  for (const e of history) {
    if (e.seq >= seq) break;
    if (e.type === 'produce' && e.outcome !== 'fail' && !published.includes(e.id)) published.push(e.id);
    if (e.type === 'process-end' && e.outcome === 'ok') done.add(e.id);
  }
  return published.filter((id) => !done.has(id));
}
