/** Paths and helpers shared by the suite definitions. */
import { moduleBeside } from '../src/harness/suite.ts';
import type { CertifyResult } from '../src/harness/certify.ts';

/** The correct, idempotent processor every suite certifies its configurations with. */
export const UPSERT = moduleBeside(import.meta.url, '../fixtures/processors/sqlite-upsert');

/** A runtime module of suites/runtimes/. */
export const runtimeModule = (name: string): string => moduleBeside(import.meta.url, `./runtimes/${name}`);

/** A processor module of suites/processors/. */
export const processorModule = (name: string): string =>
  moduleBeside(import.meta.url, `./processors/${name}`);

/** How often the counterexample's history shows message `id` delivered, and what became of it. */
export function deliveriesOf(id: string, result: CertifyResult): string | undefined {
  const outcome = result.counterexample?.outcome;
  if (!outcome) return undefined;
  const deliveries = outcome.history.filter((e) => e.type === 'deliver' && e.id === id).length;
  const lost = outcome.verdict.findings.some((f) => f.code === 'lost' && f.messageIds.includes(id));
  // A run that did not drain names its unprocessed messages under `liveness` only (they may
  // still be in the queue); `lost` then means acknowledged without being processed.
  const fate = lost
    ? 'then gone from the queue (dropped)'
    : outcome.drained
      ? 'processed'
      : `still ${deliveries > 0 ? 'redelivered' : 'queued'} at the drain deadline (not dropped)`;
  return `${id} delivered ${deliveries} times, ${fate}`;
}
