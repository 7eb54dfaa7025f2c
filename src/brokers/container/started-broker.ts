/**
 * A started broker: plain, serialisable connection details (`BrokerInfo`, safe to pass to
 * vitest workers and child processes) and the handle that controls its container
 * (`StartedBroker`): the broker faults restart, kill/start and pause/unpause, readiness, stop.
 */
import { AckcheckError, describeError } from '../../errors.ts';
import type { BrokerInfo } from '../../model/broker.ts';
import { adapterFor, type BrokerId } from '../registry.ts';
import { docker, removeContainer } from './docker.ts';

export type { BrokerInfo };

/** A broker fault that the container can suffer and the matching heal. */
export type BrokerFault = 'restart' | 'kill' | 'pause';

export const DEFAULT_READY_TIMEOUT_MS = 90_000;

/** Waits until the broker answers a client request, or throws BROKER_NOT_READY at the deadline. */
export async function waitUntilReady(info: BrokerInfo, timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const remaining = Math.max(1_000, deadline - Date.now());
      await adapterFor(info.kind).probe(info, remaining);
      return;
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (info.external)
    throw new AckcheckError(
      'BROKER_NOT_READY',
      `the external ${info.kind} broker (${info.containerName}) did not answer clients within ${timeoutMs} ms ` +
        `(last error: ${describeError(last)}). Check that it is running and reachable from here, or unset ` +
        `${adapterFor(info.kind).externalEnv} to let ackcheck start a container.`,
      { cause: last, retriable: true },
    );
  throw new AckcheckError(
    'BROKER_NOT_READY',
    `${info.id} (container ${info.containerName}) did not answer clients at ${info.host}:${info.port} within ` +
      `${timeoutMs} ms (last error: ${describeError(last)}). Look at \`docker logs ${info.containerName}\`; ` +
      'on a slow machine raise the deadline (readyTimeoutMs).',
    { cause: last, retriable: true },
  );
}

/** Handle on a broker container. `await using broker = await startBroker(...)` stops it at scope end. */
export class StartedBroker implements AsyncDisposable {
  readonly info: BrokerInfo;
  #owned: boolean;

  /** `owned`: stop() removes the container (false for shared brokers found by `brokers up`). */
  constructor(info: BrokerInfo, owned = true) {
    this.info = info;
    this.#owned = owned;
  }

  get id(): BrokerId {
    return this.info.id as BrokerId; // BrokerInfo is plain JSON; its id came from the catalog
  }

  async #container() {
    if (this.info.external)
      throw new AckcheckError(
        'INVALID_OPTION',
        `${this.info.id} is an external broker (${this.info.containerName}): ackcheck has no container to ` +
          'restart, kill or pause. Leave broker-* and network-* faults out, or let ackcheck start the broker.',
      );
    return (await docker()).getContainer(this.info.containerId);
  }

  /** Graceful restart (SIGTERM, then SIGKILL after `graceSeconds`); returns when clients are served again. */
  async restart(graceSeconds = 10, readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
    await (await this.#container()).restart({ t: graceSeconds });
    await waitUntilReady(this.info, readyTimeoutMs);
  }

  /** SIGKILL: the broker dies without shutting down. Heal with start(). */
  async kill(): Promise<void> {
    await (await this.#container()).kill({ signal: 'SIGKILL' });
  }

  /** Starts a killed or stopped broker; returns when clients are served again. */
  async start(readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
    await (await this.#container()).start();
    await waitUntilReady(this.info, readyTimeoutMs);
  }

  /** Freezes every broker process (cgroup freezer): connections stay open, nothing answers. Heal with unpause(). */
  async pause(): Promise<void> {
    await (await this.#container()).pause();
  }

  async unpause(readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<void> {
    await (await this.#container()).unpause();
    await waitUntilReady(this.info, readyTimeoutMs);
  }

  /** Applies `fault`, waits `holdMs`, then heals it (restart heals itself). */
  async injectFault(fault: BrokerFault, holdMs = 0): Promise<void> {
    const hold = () => new Promise((r) => setTimeout(r, holdMs));
    if (fault === 'restart') return this.restart();
    if (fault === 'kill') {
      await this.kill();
      await hold();
      return this.start();
    }
    await this.pause();
    await hold();
    return this.unpause();
  }

  async state(): Promise<string> {
    const inspected = await (await this.#container()).inspect();
    return inspected.State.Status;
  }

  /** Removes the container (owned brokers only; a shared broker is left for reuse). */
  async stop(): Promise<void> {
    if (!this.#owned) return;
    await removeContainer(await docker(), this.info.containerId);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
