/**
 * Warm spare worker processes. Starting a worker (Node, the processor module, the client
 * library) took 300-750 ms of every run (bench/phases.bench.ts), on the run's critical path.
 * A spare is a fresh worker process forked ahead, in the background, that has loaded the
 * processor and runtime modules and waits for its run's config over IPC. Each spare serves
 * one worker of one run and is never reused, so a crash fault still kills a real process and
 * no state crosses runs. Spares are unreferenced (they do not keep the harness alive) and exit
 * when the harness goes away; the last certification in progress stops them when it ends
 * (holdSpares()).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { HARNESS_PID_ENV } from '../workers/orphan-watchdog.ts';
import { SPARE_ENV, type SpareSpec, type WorkerMessage } from '../workers/worker-config.ts';

/**
 * Spares kept per processor × runtime: the consumers of a run (certify's default draws up to
 * 3); with 2 a third consumer started cold (bench/phases.bench.ts: Kafka's worker start 0.2 s).
 */
const SPARES = 3;
const spares = new Map<string, ChildProcess[]>();
/** Spares that said they listen for their config (a config sent earlier could be lost). */
const ready = new WeakSet<ChildProcess>();

const keyOf = (spec: SpareSpec) => JSON.stringify(spec);
let taken = 0;

/** Spares forked, of those ready, and spares runs have taken so far (for tests and figures). */
export function spareStats(): { forked: number; ready: number; taken: number } {
  const all = [...spares.values()].flat();
  return { forked: all.length, ready: all.filter((c) => ready.has(c)).length, taken };
}

/** A warm worker for `spec`, referenced again, or undefined; a new spare is forked behind it. */
export function takeSpare(entry: string, spec: SpareSpec, stdio: ForkStdio): ChildProcess | undefined {
  const list = spares.get(keyOf(spec)) ?? [];
  const i = list.findIndex(
    (c) => ready.has(c) && c.exitCode === null && c.signalCode === null && c.connected,
  );
  const child = i >= 0 ? list.splice(i, 1)[0] : undefined;
  refill(entry, spec, stdio);
  if (!child) return undefined;
  taken += 1;
  child.ref();
  child.channel?.ref();
  return child;
}

type ForkStdio = NonNullable<Parameters<typeof fork>[2]>['stdio'];

function refill(entry: string, spec: SpareSpec, stdio: ForkStdio): void {
  const key = keyOf(spec);
  const list = spares.get(key) ?? [];
  spares.set(key, list);
  while (list.length < SPARES) {
    const child = fork(entry, [], {
      env: { ...process.env, [SPARE_ENV]: key, [HARNESS_PID_ENV]: String(process.pid) },
      stdio,
    });
    child.on('error', () => undefined);
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'spare-ready') ready.add(child);
    });
    child.stderr?.resume(); // drained until a run takes it
    child.once('exit', () => {
      const i = list.indexOf(child);
      if (i >= 0) list.splice(i, 1);
    });
    child.unref();
    child.channel?.unref();
    list.push(child);
  }
}

let holders = 0;

/** Called as a certification starts; the release stops the spares when no other one is running. */
export function holdSpares(): () => Promise<void> {
  holders += 1;
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0) await closeSpares();
  };
}

/** Stops every spare (nothing outlives the certifications that used them). */
export async function closeSpares(): Promise<void> {
  const all = [...spares.values()].flat();
  spares.clear();
  await Promise.all(
    all.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.ref(); // an unreferenced child's exit would not keep the harness waiting for it
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
