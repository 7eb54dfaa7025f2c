import { describe, expect, it } from 'vitest';
import type { HistoryEventInput } from '../model/history.ts';
import { describeExits, isSelfExit, openProcessing } from './worker-exits.ts';

const base = { started: true, stopping: false, announced: false, signal: null };

describe('worker exits', () => {
  it('an exit nobody asked for is the processor’s', () => {
    expect(isSelfExit(base)).toBe(true); // process.exit(3) inside process()
    expect(isSelfExit({ ...base, signal: 'SIGSEGV' })).toBe(true);
  });

  it('a crash fault (SIGKILL), a stop, an announced exit or a start failure is not', () => {
    expect(isSelfExit({ ...base, signal: 'SIGKILL' })).toBe(false);
    expect(isSelfExit({ ...base, stopping: true })).toBe(false);
    expect(isSelfExit({ ...base, announced: true })).toBe(false);
    expect(isSelfExit({ ...base, started: false })).toBe(false);
  });

  it('names the messages whose process() was running when the worker died', () => {
    const e = (type: 'process-begin' | 'process-end', id: string) =>
      ({
        type,
        id,
        copy: 0,
        attempt: 1,
        ...(type === 'process-end' ? { outcome: 'ok' } : {}),
      }) as HistoryEventInput;
    expect(
      openProcessing([e('process-begin', 'm1'), e('process-end', 'm1'), e('process-begin', 'm2')]),
    ).toEqual(['m2']);
  });

  it('describes the exits with what to do', () => {
    const text = describeExits([
      { worker: 'w1', code: 3, signal: null, processing: ['m1'], stderr: 'boom\n' },
      { worker: 'w1#2', code: 3, signal: null, processing: ['m1'], stderr: 'boom again\n' },
    ]);
    expect(text).toBe(
      'Workers exited by themselves 2 times (not an injected fault): w1 with exit code 3 during process() of m1; ' +
        'w1#2 with exit code 3 during process() of m1. process() or code it runs ends the worker process ' +
        '(process.exit, an uncaught exception, a native crash): throw an error instead, so the message is retried. ' +
        'Last stderr: boom again',
    );
    expect(describeExits([])).toBe('');
  });
});
