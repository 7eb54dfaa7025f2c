/**
 * Which positions (partition, offset) a Kafka consumer has had, to mark a delivery as a
 * redelivery. A consumer reads each partition in offset order and goes back only after a
 * rebalance or a seek, so the positions it had are a few ranges per partition: each partition
 * keeps its ranges of offsets, sorted and disjoint, and the next offset in line only extends
 * the last one. A `Set` of `partition:offset` strings gave the same answers for ten times the
 * cost (a string, a hash and a set entry per message, all garbage to collect; about 0.2 µs
 * per message of a runtime's 1-2 µs, bench/clients.bench.ts).
 */

/** An offset as the clients give it: kafkajs and Confluent a decimal string, platformatic a bigint. */
export type KafkaOffset = string | bigint | number;

export class Redeliveries {
  /** Per partition: `[lo0, hi0, lo1, hi1, …]`, inclusive ranges, sorted, not touching. */
  private readonly ranges = new Map<number, number[]>();
  /** Offsets past 2^53 (no real topic has them), where a number would be inexact. */
  private readonly beyond = new Set<string>();

  /** Records that `offset` of `partition` was delivered; whether it had been delivered before. */
  mark(partition: number, offset: KafkaOffset): boolean {
    const o = Number(offset);
    if (!Number.isSafeInteger(o)) {
      const position = `${partition}:${String(offset)}`;
      if (this.beyond.has(position)) return true;
      this.beyond.add(position);
      return false;
    }
    const r = this.ranges.get(partition);
    if (r === undefined) {
      this.ranges.set(partition, [o, o]);
      return false;
    }
    const last = r.length - 1;
    const hi = r[last] as number;
    if (o === hi + 1) {
      r[last] = o; // the next offset in line
      return false;
    }
    if (o > hi) {
      r.push(o, o);
      return false;
    }
    // Before the end: find the last range starting at or before o (binary search over starts).
    let lo = 0;
    let up = r.length / 2 - 1;
    let at = -1;
    while (lo <= up) {
      const mid = (lo + up) >> 1;
      if ((r[2 * mid] as number) <= o) {
        at = mid;
        lo = mid + 1;
      } else up = mid - 1;
    }
    if (at >= 0 && o <= (r[2 * at + 1] as number)) return true;
    // Not had: extend the range before, the one after, or both (merged), or insert a new one.
    const joinsBefore = at >= 0 && (r[2 * at + 1] as number) === o - 1;
    const next = at + 1;
    const joinsAfter = 2 * next < r.length && (r[2 * next] as number) === o + 1;
    if (joinsBefore && joinsAfter) r.splice(2 * at + 1, 2);
    else if (joinsBefore) r[2 * at + 1] = o;
    else if (joinsAfter) r[2 * next] = o;
    else r.splice(2 * next, 0, o, o);
    return false;
  }
}

/**
 * Whether `offset` of `partition` was delivered before, recording it: with a `Redeliveries`, or
 * a `Set` of `partition:offset` strings (what the delivery helpers took first; still accepted).
 */
export function markDelivered(
  seen: Redeliveries | Set<string>,
  partition: number,
  offset: KafkaOffset,
): boolean {
  if (seen instanceof Redeliveries) return seen.mark(partition, offset);
  const position = `${partition}:${String(offset)}`;
  if (seen.has(position)) return true;
  seen.add(position);
  return false;
}
