import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../model/history.ts';
import { history } from './__test-helpers__/history-builder.ts';
import { validateHistory } from './validate-history.ts';

/** Parses JSON as a history event without checking it, as reading a history file does. */
function raw(json: string): HistoryEvent {
  return JSON.parse(json);
}

describe('validateHistory', () => {
  it('accepts every event the builder makes', () => {
    const h = history()
      .produce('m1', { outcome: 'info', partition: 0 })
      .consume('w1', 'm1')
      .fault('network-cut');
    h.begin('w1', 'm1').end('w1', 'm1', { outcome: 'error', error: 'boom' });
    expect(() => validateHistory(h.events)).not.toThrow();
    expect(() => validateHistory([])).not.toThrow();
  });

  it.each([
    ['null', /not an object/],
    ['{"time":0,"process":"w1","type":"ack","id":"m1","copy":0}', /"seq" is not a number/],
    ['{"seq":0,"time":0,"type":"ack","id":"m1","copy":0}', /"process" is not a string/],
    ['{"seq":0,"time":0,"process":"w1","type":"consume","id":"m1","copy":0}', /unknown event type "consume"/],
    ['{"seq":0,"time":0,"process":"w1","type":"ack","id":1,"copy":0}', /"id" is not a string/],
    ['{"seq":0,"time":0,"process":"w1","type":"ack","id":"m1","copy":"0"}', /"copy" is not an integer/],
    [
      '{"seq":0,"time":0,"process":"p","type":"produce","id":"m1","copy":0,"outcome":"maybe"}',
      /produce "outcome"/,
    ],
    ['{"seq":0,"time":0,"process":"w1","type":"process-begin","id":"m1","copy":0}', /"attempt"/],
    [
      '{"seq":0,"time":0,"process":"w1","type":"process-end","id":"m1","copy":0,"attempt":1,"outcome":"fail"}',
      /process "outcome"/,
    ],
  ])('rejects %s', (json, message) => {
    expect(() => validateHistory([raw(json)])).toThrow(message);
  });

  it('names the index of the first bad event and shows it', () => {
    const events = [...history().produce('m1').events, raw('{"seq":1,"type":"x"}')];
    expect(() => validateHistory(events)).toThrow(
      /^malformed history event at index 1: .*\{"seq":1,"type":"x"\}$/,
    );
  });
});
