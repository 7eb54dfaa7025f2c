/**
 * The orphan watchdog with real processes: a parent forks a child and exits at once; the child
 * starts the watchdog and then blocks its main thread for good (as a native call waiting on a
 * broker that is gone does), so only the watchdog thread can end it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HARNESS_PID_ENV } from './orphan-watchdog.ts';

const watchdog = fileURLToPath(new URL('./orphan-watchdog.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Forks a child (blocked main thread; `watch`: with the watchdog) from a parent that exits; the child's pid. */
function orphan(watch: boolean): number {
  const child = [
    watch ? `const { watchForOrphaning } = await import(${JSON.stringify(watchdog)});` : '',
    watch ? 'watchForOrphaning(300, 50);' : '',
    'setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 100);',
  ].join('\n');
  const parent = `
    const { spawn } = require('node:child_process');
    const env = { ...process.env, ${HARNESS_PID_ENV}: String(process.pid) };
    const c = spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(child)}], { detached: true, stdio: 'ignore', env });
    c.unref();
    console.log(c.pid);
  `;
  return Number(execFileSync(process.execPath, ['-e', parent]).toString().trim());
}

const waitUntil = async (done: () => boolean, ms: number) => {
  for (let t = 0; t < ms && !done(); t += 50) await new Promise((r) => setTimeout(r, 50));
};

describe('orphan watchdog', () => {
  it('SIGKILLs a worker whose parent went away although its main thread is blocked', async () => {
    const pid = orphan(true);
    await waitUntil(() => !alive(pid), 10_000);
    expect(alive(pid)).toBe(false);
  }, 15_000);

  it('without it, such a process lives on (what CI saw)', async () => {
    const pid = orphan(false);
    await new Promise((r) => setTimeout(r, 1_500));
    try {
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  }, 15_000);
});
