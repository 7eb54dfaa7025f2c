/** A small coverage record for the report tests: 2 of 3 cells fired, 1 drawn without firing. */
import type { FaultCoverage } from '../../model/coverage.ts';

export const COVERAGE: FaultCoverage = {
  broker: 'kafka',
  semantics: 'at-least-once',
  cells: [
    { kind: 'consumer-kill', trigger: 'after-process', drawn: 3, fired: 2 },
    { kind: 'consumer-kill', trigger: 'after-ack', drawn: 1, fired: 1 },
    { kind: 'broker-kill', trigger: 'progress', drawn: 1, fired: 0 },
  ],
  exercised: 2,
  total: 3,
};
