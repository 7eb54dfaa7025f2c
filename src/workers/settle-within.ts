/**
 * The per-message deadline of process() in a worker. Time spent inside an injected fault (a
 * consumer-stall at `during-process`) is the kit's, not the processor's, so it does not count:
 * `pausedMs()` says how much of it there has been so far.
 */

/** Resolves to 'settled' with the work (rethrowing its error), or to 'late' once the deadline passed. */
export function settleWithin(
  work: Promise<unknown>,
  timeoutMs: number,
  pausedMs: () => number = () => 0,
): Promise<'settled' | 'late'> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    const check = () => {
      const left = timeoutMs - (Date.now() - start - pausedMs());
      if (left <= 0) resolve('late');
      else timer = setTimeout(check, left);
    };
    timer = setTimeout(check, timeoutMs);
  });
  return Promise.race([work.then(() => 'settled' as const), late]).finally(() => clearTimeout(timer));
}
