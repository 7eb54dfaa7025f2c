import { mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryWriter, mergeHistories, readHistoryFile } from './history.ts';

describe('history files', () => {
  it('append one JSON line per event and read back, ignoring a torn last line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ackcheck-')), 'w1.jsonl');
    const writer = new HistoryWriter(file, 'w1', Date.now());
    writer.record({ type: 'process-begin', id: 'm1', copy: 0, attempt: 1 });
    writer.record({ type: 'process-end', id: 'm1', copy: 0, attempt: 1, outcome: 'ok' });
    writer.close();
    appendFileSync(file, '{"type":"ack","id":"m'); // killed mid-write
    const events = readHistoryFile(file);
    expect(events.map((e) => e.type)).toEqual(['process-begin', 'process-end']);
    expect(events[0]).toMatchObject({ process: 'w1', id: 'm1' });
    expect(readHistoryFile(join(tmpdir(), 'does-not-exist.jsonl'))).toEqual([]);
  });

  it('merge by time, keep each process in its own order, and number the events', () => {
    const a = [
      { type: 'ack', id: 'm1', copy: 0, time: 5, process: 'w1' },
      { type: 'ack', id: 'm2', copy: 0, time: 5, process: 'w1' },
    ] as const;
    const b = [{ type: 'ack', id: 'm3', copy: 0, time: 1, process: 'w2' }] as const;
    const merged = mergeHistories([a, b]);
    expect(merged.map((e) => ('id' in e ? e.id : ''))).toEqual(['m3', 'm1', 'm2']);
    expect(merged.map((e) => e.seq)).toEqual([0, 1, 2]);
  });
});
