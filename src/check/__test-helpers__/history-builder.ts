/**
 * Test helper: builds hand-written histories with automatic `seq` and `time`, and small
 * scenarios. Defaults keep tests short: copy 0, produce outcome `ok`, process-end `ok`,
 * attempts numbered per publish in the order they begin.
 */
import type { FaultKind } from '../../model/fault.ts';
import type { HistoryEvent } from '../../model/history.ts';
import type { JsonValue, Message } from '../../model/message.ts';
import type { Scenario } from '../../model/scenario.ts';

/** An event without the `seq` and `time` the builder assigns. */
type Draft<E = HistoryEvent> = E extends unknown ? Omit<E, 'seq' | 'time'> : never;

export interface PublishOptions {
  readonly copy?: number;
  readonly partition?: number;
  readonly offset?: string;
}

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private readonly attempts = new Map<string, number>();

  produce(id: string, options: PublishOptions & { outcome?: 'ok' | 'fail' | 'info' } = {}): this {
    const { copy = 0, outcome = 'ok', ...position } = options;
    return this.add({ type: 'produce', process: 'producer', id, copy, outcome, ...position });
  }

  deliver(process: string, id: string, options: PublishOptions & { redelivered?: boolean } = {}): this {
    const { copy = 0, redelivered = false, ...position } = options;
    return this.add({ type: 'deliver', process, id, copy, redelivered, ...position });
  }

  begin(process: string, id: string, options: { copy?: number; attempt?: number } = {}): this {
    const { copy = 0 } = options;
    const attempt = options.attempt ?? (this.attempts.get(publishKey(id, copy)) ?? 0) + 1;
    this.attempts.set(publishKey(id, copy), attempt);
    this.attempts.set(attemptKey(process, id, copy), attempt);
    return this.add({ type: 'process-begin', process, id, copy, attempt });
  }

  end(
    process: string,
    id: string,
    options: { copy?: number; attempt?: number; outcome?: 'ok' | 'error'; error?: string } = {},
  ): this {
    const { copy = 0, outcome = 'ok', error } = options;
    const attempt = options.attempt ?? this.attempts.get(attemptKey(process, id, copy)) ?? 1;
    return this.add({
      type: 'process-end',
      process,
      id,
      copy,
      attempt,
      outcome,
      ...(error === undefined ? {} : { error }),
    });
  }

  ack(process: string, id: string, options: PublishOptions = {}): this {
    const { copy = 0, ...position } = options;
    return this.add({ type: 'ack', process, id, copy, ...position });
  }

  /** deliver, process-begin, process-end ok, ack: one complete, successful attempt. */
  consume(process: string, id: string, options: PublishOptions & { redelivered?: boolean } = {}): this {
    const { copy = 0, partition } = options;
    const position = partition === undefined ? {} : { partition };
    return this.deliver(process, id, options)
      .begin(process, id, { copy })
      .end(process, id, { copy })
      .ack(process, id, { copy, ...position });
  }

  fault(kind: FaultKind, fault = 0): this {
    return this.add({ type: 'fault-start', process: 'harness', fault, kind });
  }

  private add(event: Draft): this {
    const seq = this.events.length;
    this.events.push({ ...event, seq, time: seq * 10 });
    return this;
  }
}

export function history(): HistoryBuilder {
  return new HistoryBuilder();
}

/** Messages from ids (key "k" unless given as [id, key]). */
export function messages(...specs: Array<string | readonly [string, string]>): Message[] {
  return specs.map((spec) => {
    const [id, key] = typeof spec === 'string' ? [spec, 'k'] : spec;
    const payload: JsonValue = { n: id };
    return { id, key, payload };
  });
}

export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    broker: 'rabbitmq',
    semantics: 'at-least-once',
    messages: [],
    producerDuplicates: [],
    consumers: 1,
    faults: [],
    ...overrides,
  };
}

function publishKey(id: string, copy: number): string {
  return JSON.stringify([id, copy]);
}

function attemptKey(process: string, id: string, copy: number): string {
  return JSON.stringify([process, id, copy]);
}
