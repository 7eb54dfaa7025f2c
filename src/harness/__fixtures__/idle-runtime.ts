/** A runtime that consumes nothing (worker-pool.test.ts starts real workers without a broker). */
import type { Runtime } from '../../runtime/runtime.ts';

export function createRuntime(): Runtime {
  return {
    name: 'idle',
    broker: 'rabbitmq',
    semantics: 'at-least-once',
    start: async () => undefined,
    stop: async () => undefined,
  };
}
