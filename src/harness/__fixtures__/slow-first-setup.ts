/**
 * A processor whose setup() takes 1.5 s in the first worker that runs it (a cold worker loading
 * a large client, say) and no time in the others: the first claims the file named by
 * ACKCHECK_TEST_SLOW_SETUP_FLAG (worker-pool.test.ts: a run's consumers start together).
 */
import { openSync } from 'node:fs';
import { defineProcessor } from '../../model/processor.ts';

export default defineProcessor({
  name: 'slow-first-setup',
  async setup() {
    const flag = process.env.ACKCHECK_TEST_SLOW_SETUP_FLAG;
    if (!flag) return;
    try {
      openSync(flag, 'wx'); // only the first worker creates it
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  },
  reset() {},
  process() {},
  snapshot: () => null,
});
