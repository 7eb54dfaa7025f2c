import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROKER_IDS } from '../src/brokers/registry.ts';
import { DEFAULT_FAULT_KINDS } from '../src/harness/certify.ts';
import { loadProcessor, loadRuntime } from '../src/workers/load.ts';
import { SUITES } from './index.ts';

describe.each(Object.entries(SUITES))('suite %s', (name, suite) => {
  it('is named as registered, with unique cell ids', () => {
    expect(suite.name).toBe(name);
    expect(new Set(suite.cells.map((c) => c.id)).size).toBe(suite.cells.length);
    expect(suite.cells.length).toBeGreaterThan(0);
  });

  it('names modules that exist and load', async () => {
    for (const cell of suite.cells) {
      expect(existsSync(cell.processor), cell.processor).toBe(true);
      await loadProcessor(cell.processor);
      if (cell.runtime) {
        const kind = cell.broker.startsWith('kafka') ? 'kafka' : 'rabbitmq';
        const runtime = await loadRuntime({ module: cell.runtime }, kind);
        expect(runtime.broker).toBe(kind);
        expect(runtime.semantics).toBe(cell.semantics);
      }
    }
  });
});

describe('suite runtimes', () => {
  it('covers the four runtimes on every broker, RabbitMQ on classic and quorum, under every default fault kind', () => {
    const cells = SUITES.runtimes?.cells ?? [];
    expect(new Set(cells.map((c) => c.broker))).toEqual(new Set(BROKER_IDS));
    expect(cells).toHaveLength(2 * 2 + 2 * 2 * 2);
    for (const c of cells) {
      const kind = c.broker.startsWith('kafka') ? 'kafka' : 'rabbitmq';
      expect(c.faults).toEqual(DEFAULT_FAULT_KINDS[kind]);
      expect(c.expect).toBe('keeps');
      expect(c.runtime).toBeUndefined();
    }
  });
});

describe('suite kafka-clients', () => {
  it("runs ackcheck's runtime on each of the three clients in both semantics, and each client's user configurations", () => {
    const cells = SUITES['kafka-clients']?.cells ?? [];
    for (const client of ['kafkajs', 'confluent', 'platformatic'])
      for (const semantics of ['at-least-once', 'at-most-once'] as const) {
        const cell = cells.find((c) => c.client === client && c.semantics === semantics);
        expect(cell?.runtime, `${client} ${semantics}`).toBeUndefined();
        expect(cell?.expect, `${client} ${semantics}`).toBe('keeps');
      }
    for (const client of ['kafkajs', 'confluent', 'platformatic'])
      expect(cells.filter((c) => c.id.startsWith(`${client}/`) && c.runtime).length).toBeGreaterThan(0);
  });
});
