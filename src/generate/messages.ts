import fc from 'fast-check';
import { plainRecord } from './_internals/plain-record.ts';
import type { JsonValue, Message } from '../model/message.ts';
import { arbitraryOption, integerOption } from './_internals/validate.ts';

const ENTRY = 'messagesArbitrary';

export interface MessagesOptions {
  /**
   * Most messages in one list. How many are drawn below it follows fast-check's `size`
   * (with the default size, at most `2 * minMessages + 10`, or `2 * minMessages + 9` when
   * `minMessages >= 1`). Default: 50.
   */
  readonly maxMessages?: number;
  /** Fewest messages in one list. Default: 0. */
  readonly minMessages?: number;
  /** Keys are drawn from `k1` … `k<keySpace>`, so that keys collide. Default: 4. */
  readonly keySpace?: number;
  /**
   * Payload of each message. Default: `{ n }` with `n` an integer in 1..1000 (not 0: a message
   * that adds 0 to a counter leaves no trace, so its duplicate would never show in the state).
   */
  readonly payload?: fc.Arbitrary<JsonValue>;
}

const defaultPayload: fc.Arbitrary<JsonValue> = plainRecord({ n: fc.integer({ min: 1, max: 1000 }) });

/**
 * Messages in produce order. Ids are `m1`, `m2`, … by position, so they are unique and stay
 * readable when shrinking removes messages (the rest are renumbered). Shrinks toward fewer
 * messages, key `k1` and smaller payloads.
 */
export function messagesArbitrary(options: MessagesOptions = {}): fc.Arbitrary<Message[]> {
  const maxMessages = integerOption(ENTRY, 'maxMessages', options.maxMessages, 50, 0);
  const minMessages = integerOption(ENTRY, 'minMessages', options.minMessages, 0, 0, maxMessages);
  const keySpace = integerOption(ENTRY, 'keySpace', options.keySpace, 4, 1);
  const payload = arbitraryOption(ENTRY, 'payload', options.payload) ?? defaultPayload;

  const entry = plainRecord({ key: fc.integer({ min: 1, max: keySpace }), payload });
  return entriesArbitrary(entry, minMessages, maxMessages).map((entries) =>
    entries.map((e, i) => ({ id: `m${i + 1}`, key: `k${e.key}`, payload: e.payload })),
  );
}

/**
 * With `minMessages >= 1`, one required entry plus an array of the rest: fast-check's array
 * shrinker works best toward length 0 (with `minLength: 1` it stalls one element above the
 * smallest failing list), so the required part is kept out of the array.
 */
function entriesArbitrary<T>(entry: fc.Arbitrary<T>, min: number, max: number): fc.Arbitrary<T[]> {
  if (min === 0) return fc.array(entry, { maxLength: max });
  return fc
    .tuple(entry, fc.array(entry, { minLength: min - 1, maxLength: max - 1 }))
    .map(([head, rest]) => [head, ...rest]);
}
