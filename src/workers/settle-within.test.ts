import { describe, expect, it } from 'vitest';
import { settleWithin } from './settle-within.ts';

describe('settleWithin', () => {
  it('settles with the work, and rethrows its error', async () => {
    expect(await settleWithin(Promise.resolve(1), 1_000)).toBe('settled');
    await expect(settleWithin(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });

  it('is late when the work never settles', async () => {
    expect(await settleWithin(new Promise(() => undefined), 20)).toBe('late');
  });

  it('does not count time spent inside an injected fault', async () => {
    let paused = 0;
    const work = new Promise<void>((resolve) => setTimeout(resolve, 60));
    const race = settleWithin(work, 30, () => paused);
    paused = 1_000; // a stall covers the whole wait
    expect(await race).toBe('settled');
  });
});
