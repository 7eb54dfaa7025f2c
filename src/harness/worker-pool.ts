/**
 * The consumer workers of one run: child processes started with the run's config, replaced
 * at once when one dies (a crash fault, or a lost connection), stopped gracefully at the end.
 */
import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from '../deadline.ts';
import { AckcheckError } from '../errors.ts';
import { isSelfExit, MAX_SELF_EXITS, openProcessing, type WorkerExit } from './worker-exits.ts';
import { readHistoryFile } from '../history/history.ts';
import {
  type HarnessGo,
  type HarnessReply,
  type SpareAssignment,
  WORKER_ENV,
  type WorkerConfig,
  type WorkerMessage,
} from '../workers/worker-config.ts';
import { takeSpare } from './spare-workers.ts';
import { HARNESS_PID_ENV } from '../workers/orphan-watchdog.ts';

const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_ENTRY = fileURLToPath(new URL(`../workers/worker-main${ext}`, import.meta.url));
/** A worker that keeps dying is a liveness problem of the run, not a reason to loop forever. */
const MAX_STARTS = 40;
/** A lane's processes start at most this often (a fresh Node process took about this long). */
const MIN_LANE_MS = 500;

export type PoolConfig = Omit<WorkerConfig, 'worker' | 'historyFile' | 'faults'> & {
  readonly dir: string;
};

/** What the pool tells the run's fault record (src/nemesis/schedule.ts) and asks of it. */
export interface PoolFaults {
  /** Phase faults not fired yet: a new worker gets these. */
  pendingPhaseFaults(): WorkerConfig['faults'];
  /** A worker fired this fault itself (seen in its history when it died). */
  markFired(index: number): void;
  /** A worker acknowledged a message (progress triggers). */
  onAck(): void;
  /** A worker reached the phase of a fault the harness applies. */
  fire(index: number): void;
  /** A worker reached a phase fault's trigger: may it fire it? (once per run) */
  claim(index: number): boolean;
  /** A worker begins an attempt at a delivery a fault is triggered on: its number in the run. */
  attempt(id: string, copy: number): number;
}

/** What else the pool tells its run. */
export interface PoolEvents {
  /** A worker's runtime started consuming (for the run's timings). */
  onConsuming?(): void;
}

interface Live {
  readonly name: string;
  readonly child: ChildProcess;
  readonly historyFile: string;
  stderr: string;
  readonly spawnedAt: number;
  stopping: boolean;
  started: boolean;
  announced: boolean;
}

/** A process() that did not settle within its deadline, as a worker reported it. */
export interface StuckProcessing {
  readonly worker: string;
  readonly id: string;
  readonly attempt: number;
  readonly timeoutMs: number;
}

export class WorkerPool {
  readonly #config: PoolConfig;
  readonly #live = new Map<string, Live>();
  readonly #historyFiles: string[] = [];
  readonly #faults: PoolFaults;
  readonly #events: PoolEvents;
  #starts = 0;
  #lane = 0;
  #closed = false;
  /** Set when a worker could not start at all (bad processor module, …): the run is aborted. */
  failure: AckcheckError | undefined;
  /** Workers that died by themselves (see worker-exits.ts). */
  readonly selfExits: WorkerExit[] = [];
  /** process() calls that missed their deadline: the run cannot finish them. */
  readonly stuck: StuckProcessing[] = [];

  /** The processor keeps killing its workers: the pool no longer replaces them. */
  get crashLooping(): boolean {
    return this.selfExits.length >= MAX_SELF_EXITS;
  }

  constructor(config: PoolConfig, faults: PoolFaults, events: PoolEvents = {}) {
    this.#config = config;
    this.#faults = faults;
    this.#events = events;
  }

  get historyFiles(): readonly string[] {
    return this.#historyFiles;
  }

  /** History files of the workers alive now. */
  liveHistoryFiles(): string[] {
    return [...this.#live.values()].map((l) => l.historyFile);
  }

  get size(): number {
    return this.#live.size;
  }

  /** Starts a worker in a new lane ("w1", "w2", …) and waits until it consumes. */
  async add(): Promise<string> {
    this.#lane += 1;
    return this.#spawn(`w${this.#lane}`, 1);
  }

  /**
   * A run's first `count` consumers, started together: each loads and sets up (a warm spare at
   * once, a fresh process in 0.3-3 s), then all start consuming at the same moment. Without
   * this a cold worker joined the group seconds after the warm ones, and that incidental
   * rebalance — not in the scenario — could decide a run (a loss seen in run 1 that no replay
   * or shrink step repeated). Joins at other moments are the scenario's: `consumer-join`.
   */
  async addTogether(count: number): Promise<string[]> {
    const lanes = Array.from({ length: count }, () => `w${++this.#lane}`);
    const names = await Promise.all(lanes.map((lane) => this.#spawn(lane, 1, true)));
    for (const name of names) {
      const child = this.#live.get(name)?.child;
      if (child?.connected) child.send({ type: 'go' } satisfies HarnessGo, () => undefined);
    }
    return names;
  }

  async #spawn(lane: string, generation: number, together = false): Promise<string> {
    const name = generation === 1 ? lane : `${lane}#${generation}`;
    if (++this.#starts > MAX_STARTS)
      throw new AckcheckError('WORKER_FAILED', `workers were restarted ${MAX_STARTS} times`);
    const historyFile = join(this.#config.dir, `${name}.jsonl`);
    this.#historyFiles.push(historyFile);
    const { dir: _dir, ...base } = this.#config;
    const config: WorkerConfig = {
      ...base,
      worker: name,
      historyFile,
      faults: this.#faults.pendingPhaseFaults(),
      ...(together && { startTogether: true }),
    };
    const child = this.#startProcess(config);
    const live: Live = {
      name,
      child,
      historyFile,
      stderr: '',
      spawnedAt: Date.now(),
      stopping: false,
      started: false,
      announced: false,
    };
    this.#live.set(name, live);
    child.stderr?.on('data', (chunk: Buffer) => {
      live.stderr = (live.stderr + chunk.toString()).slice(-4_000);
    });
    const reply = (request: number, value: number | boolean) => {
      if (child.connected)
        child.send({ type: 'reply', request, value } satisfies HarnessReply, () => undefined);
    };
    const started = new Promise<void>((resolve, reject) => {
      child.on('message', (m: WorkerMessage) => {
        if (m.type === 'started') {
          live.started = true;
          resolve();
        } else if (m.type === 'failed') {
          this.failure =
            m.code === 'PROCESSOR_SETUP_FAILED'
              ? new AckcheckError(
                  'PROCESSOR_SETUP_FAILED',
                  `The processor's setup() threw in worker ${name}: ${m.error}. It succeeded in the ` +
                    'harness process, so look for what differs in a worker process (environment ' +
                    'variables, working directory, a store that only one process may open) and make ' +
                    'setup() succeed there too.',
                )
              : new AckcheckError('WORKER_FAILED', `worker ${name} could not start: ${m.error}`);
          reject(this.failure);
        } else if (m.type === 'stuck') {
          this.stuck.push({ worker: name, id: m.id, attempt: m.attempt, timeoutMs: m.timeoutMs });
        } else if (m.type === 'exiting') {
          live.announced = true;
        } else if (m.type === 'consuming') this.#events.onConsuming?.();
        else if (m.type === 'ack') this.#faults.onAck();
        else if (m.type === 'trigger') this.#faults.fire(m.index);
        else if (m.type === 'claim') reply(m.request, this.#faults.claim(m.index));
        else if (m.type === 'attempt') reply(m.request, this.#faults.attempt(m.id, m.copy));
      });
      child.on('exit', (code, signal) => {
        reject(
          new Error(`worker ${name} exited (${signal ?? code}) before it started: ${live.stderr.trim()}`),
        );
        this.#exited(live, lane, generation, code, signal);
      });
    });
    await withTimeout(started, 60_000, `worker ${name} did not start consuming within 60 s`);
    return name;
  }

  /** A warm spare given this worker's config (see spare-workers.ts), else a fresh process. */
  #startProcess(config: WorkerConfig): ChildProcess {
    // ACKCHECK_DEBUG_WORKERS=1 shows the workers' output (with ACKCHECK_KAFKAJS_LOG=info, kafkajs's too).
    const debug = process.env.ACKCHECK_DEBUG_WORKERS ? 'inherit' : undefined;
    const stdio: StdioOptions = ['ignore', debug ?? 'ignore', debug ?? 'pipe', 'ipc'];
    const { processorModule, runtime, broker } = this.#config;
    const spare = process.env.ACKCHECK_NO_SPARE_WORKERS
      ? undefined
      : takeSpare(WORKER_ENTRY, { processorModule, runtime, brokerKind: broker.kind }, stdio);
    if (spare) {
      spare.send({ type: 'config', config } satisfies SpareAssignment);
      return spare;
    }
    return fork(WORKER_ENTRY, [], {
      env: { ...process.env, [WORKER_ENV]: JSON.stringify(config), [HARNESS_PID_ENV]: String(process.pid) },
      stdio,
    });
  }

  #exited(live: Live, lane: string, generation: number, code: number | null, signal: string | null): void {
    this.#live.delete(live.name);
    const events = readHistoryFile(live.historyFile);
    for (const e of events) if (e.type === 'fault-start') this.#faults.markFired(e.fault);
    const stopping = live.stopping || this.#closed;
    if (isSelfExit({ started: live.started, stopping, announced: live.announced, signal }))
      this.selfExits.push({
        worker: live.name,
        code,
        signal,
        processing: openProcessing(events),
        stderr: live.stderr,
      });
    if (stopping || this.failure || this.crashLooping) return;
    // A crash (or a lost connection): start the replacement at once, in the same lane, but not
    // sooner than MIN_LANE_MS after the process it replaces started: a warm spare starts in
    // milliseconds, and a broker that drops every new connection would use up MAX_STARTS at once.
    const wait = Math.max(0, live.spawnedAt + MIN_LANE_MS - Date.now());
    setTimeout(() => {
      if (this.#closed || this.failure) return;
      void this.#spawn(lane, generation + 1).catch((error: unknown) => {
        if (error instanceof AckcheckError) this.failure ??= error;
      });
    }, wait);
  }

  /** Graceful stop of one worker (SIGTERM; SIGKILL after `graceMs`). */
  async stop(name: string, graceMs = 10_000): Promise<void> {
    const live = this.#live.get(name);
    if (!live) return;
    live.stopping = true;
    await this.#terminate(live, graceMs);
  }

  /** Graceful restart: stop a worker and start a replacement in the same lane. */
  async restart(name: string): Promise<void> {
    const lane = name.split('#')[0] ?? name;
    const generation = Number(name.split('#')[1] ?? 1);
    await this.stop(name);
    await this.#spawn(lane, generation + 1);
  }

  /** SIGKILL one worker from outside; the pool replaces it like any crash. */
  async kill(name: string): Promise<void> {
    const live = this.#live.get(name);
    if (!live || live.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => live.child.once('exit', () => resolve()));
    live.child.kill('SIGKILL');
    await exited;
  }

  /** Workers that have started (a consumer-leave or restart picks among these). */
  names(): string[] {
    return [...this.#live.values()].filter((l) => l.started).map((l) => l.name);
  }

  /** Stops every worker; the pool starts no replacement afterwards. */
  async close(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#live.values()].map((l) => this.#terminate(l, graceMs)));
  }

  async #terminate(live: Live, graceMs: number): Promise<void> {
    const { child } = live;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
