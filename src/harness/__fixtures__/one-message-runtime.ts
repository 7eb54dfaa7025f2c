/**
 * A runtime that, without a broker, hands its worker one message (`m1`) to process as it starts,
 * and acknowledges it (worker-pool.test.ts: the faults of a run fire once, whichever worker
 * reaches them). A processing error is swallowed: there is no broker to redeliver.
 */
import type { Runtime } from '../../runtime/runtime.ts';

export function createRuntime(): Runtime {
  return {
    name: 'one-message',
    broker: 'rabbitmq',
    semantics: 'at-least-once',
    async start(ctx) {
      const d = { message: { id: 'm1', key: 'k1', payload: null }, copy: 0, redelivered: false };
      ctx.delivered(d);
      void ctx.process(d).then(
        () => ctx.acknowledged(d),
        () => undefined,
      );
    },
    stop: async () => undefined,
  };
}
