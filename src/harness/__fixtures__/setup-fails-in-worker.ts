/** A processor whose setup() succeeds in the harness but throws in every worker process. */
import { defineProcessor } from '../../model/processor.ts';
import { SPARE_ENV, WORKER_ENV } from '../../workers/worker-config.ts';

export default defineProcessor({
  name: 'setup-fails-in-worker',
  setup() {
    if (process.env[WORKER_ENV] || process.env[SPARE_ENV]) throw new Error('DATABASE_URL is not set');
  },
  reset() {},
  process() {},
  snapshot: () => null,
});
