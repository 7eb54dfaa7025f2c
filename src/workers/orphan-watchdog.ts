/**
 * A worker process whose harness went away must end, even when its main thread is blocked in a
 * native call: CI saw a Confluent worker live on after the test process was killed, its main
 * thread waiting forever in librdkafka's close for a broker that was gone, so neither its
 * 'disconnect' handler's stop nor its 10 s exit timer could run. A worker thread still can: it
 * checks every `pollMs` whether this process was orphaned (its parent is no longer the one it
 * was started by) and SIGKILLs it `graceMs` after that. Hand-written because it is a few lines
 * over node:worker_threads; no library watches for this.
 */
import { Worker } from 'node:worker_threads';

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
let orphanedAt;
setInterval(() => {
  if (process.ppid === workerData.parent) return;
  orphanedAt ??= Date.now();
  if (Date.now() - orphanedAt >= workerData.graceMs) process.kill(workerData.pid, 'SIGKILL');
}, workerData.pollMs);
`;

/** The harness's pid, set in a worker's environment when it is forked (HARNESS_PID_ENV). */
export const HARNESS_PID_ENV = 'ACKCHECK_HARNESS_PID';

/**
 * Starts the watchdog thread (unreferenced: it never keeps the process alive). The parent is
 * the harness that forked this process (its pid from the environment: a process forked just as
 * the harness died starts already orphaned), else the parent this process has now.
 */
export function watchForOrphaning(graceMs = 10_000, pollMs = 1_000): void {
  const parent = Number(process.env[HARNESS_PID_ENV]) || process.ppid;
  const worker = new Worker(WATCHDOG, {
    eval: true,
    execArgv: [], // not the process's (--input-type=module would make this CommonJS code ESM)
    workerData: { parent, pid: process.pid, graceMs, pollMs },
  });
  worker.unref();
  worker.on('error', () => undefined); // a watchdog that cannot run leaves the usual exits
}
