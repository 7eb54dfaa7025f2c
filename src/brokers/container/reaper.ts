/**
 * A watchdog process that removes this process's containers when this process dies, even by
 * SIGKILL. It plays the part of testcontainers' Ryuk, whose image cannot be pulled without a
 * registry: a small detached Node process that polls its owner's pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ownerLabel } from './docker.ts';

let reaper: ChildProcess | undefined;

/** Starts the watchdog for this process (once); idempotent. */
export function ensureReaper(): void {
  if (reaper && reaper.exitCode === null) return;
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = fileURLToPath(new URL(`./reaper-process${ext}`, import.meta.url));
  reaper = spawn(process.execPath, [entry, String(process.pid), ownerLabel()], {
    detached: true,
    stdio: 'ignore',
    env: process.env,
  });
  reaper.unref();
}

/** Stops the watchdog after a clean shutdown (nothing is left for it to do). */
export function stopReaper(): void {
  reaper?.kill();
  reaper = undefined;
}
