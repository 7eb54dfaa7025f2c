/** A message the kit produces. `id` is unique per message; `key` comes from a small space so keys collide. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Message {
  readonly id: string;
  readonly key: string;
  readonly payload: JsonValue;
}

/**
 * One publish of a message. A producer duplicate publishes the same message twice; each
 * publish has its own `copy` number (0, 1, …) so that a checker can tell a consumer-side
 * duplicate (the same publish processed twice) from a producer-side one.
 */
export interface Publish {
  readonly id: string;
  readonly copy: number;
}
