import { describe, expect, it } from 'vitest';
import { CoverageTally, describeCoverage, faultCells } from './coverage.ts';
import { FAULT_KINDS } from './fault.ts';
import type { HistoryEvent } from './history.ts';
import type { Scenario } from './scenario.ts';

const scenario: Scenario = {
  broker: 'kafka',
  semantics: 'at-least-once',
  messages: [{ id: 'm1', key: 'k1', payload: { n: 1 } }],
  producerDuplicates: [],
  consumers: 1,
  faults: [
    {
      kind: 'consumer-kill',
      trigger: { type: 'phase', messageId: 'm1', phase: 'after-process', attempt: 1 },
      params: {},
    },
    { kind: 'broker-pause', trigger: { type: 'progress', acks: 1 }, params: { holdMs: 500 } },
  ],
};

const faultStart = (fault: number): HistoryEvent => ({
  seq: fault,
  time: 0,
  process: 'w1',
  type: 'fault-start',
  fault,
  kind: 'consumer-kill',
});

describe('fault coverage', () => {
  it('has one cell per phase of a consumer kind (two for processor-throw) and one per broker or network kind', () => {
    expect(faultCells(['consumer-kill', 'processor-throw', 'broker-kill'])).toEqual([
      { kind: 'consumer-kill', trigger: 'before-process' },
      { kind: 'consumer-kill', trigger: 'during-process' },
      { kind: 'consumer-kill', trigger: 'after-process' },
      { kind: 'consumer-kill', trigger: 'after-ack' },
      { kind: 'processor-throw', trigger: 'before-process' },
      { kind: 'processor-throw', trigger: 'during-process' },
      { kind: 'broker-kill', trigger: 'progress' },
    ]);
    expect(faultCells(FAULT_KINDS)).toHaveLength(5 * 4 + 2 + 6);
  });

  it('counts a cell as exercised only when its fault fired (a fault-start in the history)', () => {
    const tally = new CoverageTally('kafka', 'at-least-once', ['consumer-kill', 'broker-pause']);
    tally.add(scenario, [faultStart(0)]);
    tally.add(scenario, []);
    const coverage = tally.coverage();
    expect(coverage.exercised).toBe(1);
    expect(coverage.total).toBe(5);
    expect(
      coverage.cells.find((c) => c.kind === 'consumer-kill' && c.trigger === 'after-process'),
    ).toMatchObject({
      drawn: 2,
      fired: 1,
    });
    expect(coverage.cells.find((c) => c.kind === 'broker-pause')).toMatchObject({ drawn: 2, fired: 0 });
    expect(tally.uncovered()).not.toContain('consumer-kill@after-process');
    expect(tally.uncovered()).toContain('broker-pause@progress');
    expect(describeCoverage(coverage)).toBe('1 of 5 fault cells exercised (1 drawn but never fired)');
  });
});
