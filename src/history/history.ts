/**
 * Appends history events to a file, one JSON line each, with a synchronous write per event:
 * a worker killed with SIGKILL loses nothing it had already written.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { HistoryEvent, HistoryEventInput } from '../model/history.ts';

type Omitted<E> = E extends unknown ? Omit<E, 'seq' | 'time' | 'process'> : never;
/** An event as a process records it: `time` and `process` are filled in by the writer. */
export type RecordedEvent = Omitted<HistoryEventInput>;

export class HistoryWriter {
  readonly #fd: number;
  readonly #process: string;
  readonly #runStart: number;

  constructor(file: string, processName: string, runStart: number) {
    this.#fd = openSync(file, 'a');
    this.#process = processName;
    this.#runStart = runStart;
  }

  record(event: RecordedEvent): void {
    const line = JSON.stringify({ ...event, time: Date.now() - this.#runStart, process: this.#process });
    writeSync(this.#fd, `${line}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** Reads a history file; a torn last line (killed mid-write) is ignored. */
export function readHistoryFile(file: string): HistoryEventInput[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: HistoryEventInput[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as HistoryEventInput);
    } catch {
      // torn write at a crash
    }
  }
  return events;
}

/** Merges the histories of all processes by time (stable within a process) and numbers them. */
export function mergeHistories(histories: readonly (readonly HistoryEventInput[])[]): HistoryEvent[] {
  const tagged = histories.flatMap((events, source) =>
    events.map((event, index) => ({ event, source, index })),
  );
  tagged.sort((a, b) => a.event.time - b.event.time || a.source - b.source || a.index - b.index);
  return tagged.map(({ event }, seq) => ({ ...event, seq }) as HistoryEvent);
}
