/**
 * startBroker(): one broker container through testcontainers, with a host port that stays
 * the same across restarts, readiness checked by log line *and* by a real client request,
 * every wait under a deadline, and errors that say what to do.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GenericContainer, Wait } from 'testcontainers';
import { AckcheckError, describeError } from '../../errors.ts';
import {
  type BrokerInfo,
  DEFAULT_READY_TIMEOUT_MS,
  StartedBroker,
  waitUntilReady,
} from './started-broker.ts';
import {
  adapterFor,
  type BrokerId,
  type BrokerName,
  type BrokerVersion,
  brokerVersion,
} from '../registry.ts';
import {
  type ContainerScope,
  type Dockerode,
  docker,
  imagePresent,
  LABELS,
  ownerLabel,
  removeContainer,
  removeLeftovers,
} from './docker.ts';
import { ensureReaper } from './reaper.ts';
import type { ProxiedListener } from './recipe.ts';
import { settingsFromLabels, settingsLabels } from './settings.ts';

export interface StartBrokerOptions {
  /** Which broker to start, e.g. `"kafka-3.9"`, or a kind (`"kafka"`) for its newest version. */
  broker: BrokerName;
  /** Image to run. Default: `$ACKCHECK_IMAGE_…`, else the local image, else the upstream one. */
  image?: string;
  /** Host port for clients. Default: a free port. A port in use fails with PORT_IN_USE. */
  hostPort?: number;
  /** Deadline from container create to a served client request. Default 90 000 ms. */
  readyTimeoutMs?: number;
  /**
   * `"process"` (default): removed by stop(), or by the watchdog when this process dies.
   * `"shared"`: kept for reuse by later commands until `ackcheck brokers down`.
   */
  scope?: ContainerScope;
  /** Container name. Default: `ackcheck-<broker>-<random>` (shared: `ackcheck-shared-<broker>`). */
  name?: string;
}

const HOST = '127.0.0.1';
let leftoversRemoved = false;

export function sharedContainerName(id: BrokerId): string {
  return `ackcheck-shared-${id}`;
}

/**
 * Starts a broker and returns once it serves clients.
 *
 * @example
 * await using kafka = await startBroker({ broker: 'kafka-3.9' });
 * console.log(kafka.info.bootstrapServers); // [ '127.0.0.1:40123' ]
 */
export async function startBroker(options: StartBrokerOptions): Promise<StartedBroker> {
  const version = validate(options);
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const scope = options.scope ?? 'process';
  const engine = await docker();
  if (!leftoversRemoved) {
    leftoversRemoved = true;
    await removeLeftovers(engine);
  }
  const image = await resolveImage(engine, version, options.image);
  if (scope === 'process') ensureReaper();

  // An auto-chosen port can be taken between our check and Docker's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    const hostPort = options.hostPort ?? (await freePort());
    if (options.hostPort !== undefined) await assertPortFree(hostPort, version.id);
    try {
      return await launch({ engine, version, image, hostPort, readyTimeoutMs, scope, name: options.name });
    } catch (error) {
      if (options.hostPort === undefined && attempt < 3 && isAckcheckPortError(error)) continue;
      throw error;
    }
  }
}

function isAckcheckPortError(error: unknown): boolean {
  return error instanceof AckcheckError && error.code === 'PORT_IN_USE';
}

function validate(options: StartBrokerOptions): BrokerVersion {
  const fail = (what: string) => {
    throw new AckcheckError('INVALID_OPTION', `startBroker: ${what}`);
  };
  if (!options || typeof options !== 'object')
    fail('options object is required, e.g. { broker: "kafka-3.9" }');
  let version: BrokerVersion | undefined;
  try {
    version = brokerVersion(options.broker);
  } catch (error) {
    fail(describeError(error));
  }
  const { hostPort, readyTimeoutMs, scope } = options;
  if (hostPort !== undefined && !(Number.isInteger(hostPort) && hostPort >= 1024 && hostPort <= 65535))
    fail(`hostPort must be an integer 1024..65535, got ${hostPort}`);
  if (readyTimeoutMs !== undefined && !(Number.isFinite(readyTimeoutMs) && readyTimeoutMs > 0))
    fail(`readyTimeoutMs must be a positive number of milliseconds, got ${readyTimeoutMs}`);
  if (scope !== undefined && scope !== 'process' && scope !== 'shared')
    fail(`scope must be "process" or "shared", got "${String(scope)}"`);
  return version as BrokerVersion;
}

/** The image to run: explicit option, environment override, local build, then upstream. */
async function resolveImage(engine: Dockerode, version: BrokerVersion, explicit?: string): Promise<string> {
  const chosen = explicit ?? process.env[version.imageEnv];
  const candidates = chosen ? [chosen] : [version.localImage, version.upstreamImage];
  for (const image of candidates) if (await imagePresent(engine, image)) return image;
  const how = chosen
    ? `Build or pull "${chosen}", or unset ${version.imageEnv} to use ackcheck's own image.`
    : `Run \`bash scripts/setup.sh\` (it pulls ${version.upstreamImage} where a registry answers and ` +
      `otherwise builds ${version.localImage} from docker/), or build it alone with \`${version.buildCommand}\`.`;
  throw new AckcheckError(
    'IMAGE_MISSING',
    `No image for ${version.id}: ${candidates.join(' / ')} not present. ${how}`,
  );
}

/** A free port on 127.0.0.1, other than `taken`. */
export async function freePort(taken: readonly number[] = []): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (!taken.includes(port)) return port;
  }
}

async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function assertPortFree(port: number, id: BrokerId): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AckcheckError(
          'PORT_IN_USE',
          `Cannot start ${id} on host port ${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}. ` +
            'Free the port (see `ss -ltnp`), pick another hostPort, or leave hostPort unset to get a free one.',
          { cause: error },
        ),
      ),
    );
    server.listen(port, HOST, () => server.close(() => resolve()));
  });
}

interface LaunchPlan {
  engine: Dockerode;
  version: BrokerVersion;
  image: string;
  hostPort: number;
  readyTimeoutMs: number;
  scope: ContainerScope;
  name: string | undefined;
}

async function launch(plan: LaunchPlan): Promise<StartedBroker> {
  const { engine, version, image, hostPort, readyTimeoutMs, scope } = plan;
  const recipe = adapterFor(version.kind).recipe;
  const name =
    plan.name ??
    (scope === 'shared'
      ? sharedContainerName(version.id)
      : `ackcheck-${version.id}-${randomBytes(4).toString('hex')}`);
  const labels: Record<string, string> = {
    [LABELS.role]: 'broker',
    [LABELS.broker]: version.id,
    [LABELS.scope]: scope,
    [LABELS.port]: String(hostPort),
    ...settingsLabels(recipe.settings),
  };
  if (scope === 'process') labels[LABELS.owner] = ownerLabel();
  // Both ports are fixed now, so that they survive restarts (like hostPort); the proxy binds
  // advertisedPort only while a run injects network faults.
  let proxied: ProxiedListener | undefined;
  if (recipe.proxiedListener) {
    const port = await freePort([hostPort]);
    proxied = { port, advertisedPort: await freePort([hostPort, port]) };
    labels[LABELS.proxiedPort] = String(proxied.port);
    labels[LABELS.proxyPort] = String(proxied.advertisedPort);
  }

  let container = new GenericContainer(image)
    .withName(name)
    .withLabels(labels)
    .withEnvironment(recipe.environment(hostPort, proxied))
    .withExposedPorts(
      { container: recipe.containerPort(hostPort), host: hostPort },
      ...(proxied ? [{ container: proxied.port, host: proxied.port }] : []),
    )
    .withWaitStrategy(Wait.forLogMessage(recipe.readyLog))
    .withStartupTimeout(readyTimeoutMs);
  if (recipe.entrypoint) container = container.withEntrypoint(recipe.entrypoint);
  if (recipe.command) container = container.withCommand(recipe.command);
  if (recipe.files) container = container.withCopyContentToContainer([...recipe.files]);

  const logTail = new LogTail(20);
  container = container.withLogConsumer((stream) => logTail.follow(stream));
  const began = Date.now();
  let started: Awaited<ReturnType<GenericContainer['start']>>;
  try {
    started = await container.start();
  } catch (error) {
    throw await explainStartFailure(
      engine,
      { id: version.id, name, hostPort, readyTimeoutMs, logTail },
      error,
    );
  }
  const info: BrokerInfo = {
    id: version.id,
    kind: version.kind,
    version: version.version,
    image,
    containerId: started.getId(),
    containerName: name,
    scope,
    host: HOST,
    port: hostPort,
    ...recipe.addresses(HOST, hostPort),
    ...(proxied ? { proxied } : {}),
    ...recipe.settings,
    readyInMs: 0,
  };
  try {
    await waitUntilReady(info, Math.max(5_000, readyTimeoutMs - (Date.now() - began)));
  } catch (error) {
    await removeContainer(engine, info.containerId).catch(() => undefined);
    throw error;
  }
  return new StartedBroker({ ...info, readyInMs: Date.now() - began });
}

/** Keeps the last lines a container printed, for error messages. */
class LogTail {
  readonly #lines: string[] = [];
  readonly #size: number;
  constructor(size: number) {
    this.#size = size;
  }
  follow(stream: Readable): void {
    createInterface({ input: stream }).on('line', (line) => {
      this.#lines.push(line);
      if (this.#lines.length > this.#size) this.#lines.shift();
    });
  }
  /** When the follower saw nothing (testcontainers attaches it late), the lines Docker kept. */
  async fill(engine: Dockerode, name: string): Promise<void> {
    if (this.#lines.length > 0) return;
    const raw = await engine
      .getContainer(name)
      .logs({ stdout: true, stderr: true, tail: this.#size, follow: false })
      .catch(() => undefined);
    if (raw) this.#lines.push(...demuxDockerLog(raw).split('\n').filter(Boolean).slice(-this.#size));
  }
  toString(): string {
    return this.#lines.length ? `\nLast log lines:\n${this.#lines.join('\n')}` : '';
  }
}

/** Docker's log stream of a container without a TTY: frames of an 8-byte header and a payload. */
function demuxDockerLog(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Turns a testcontainers start failure into an AckcheckError that says what happened and what to do. */
async function explainStartFailure(
  engine: Dockerode,
  attempt: { id: BrokerId; name: string; hostPort: number; readyTimeoutMs: number; logTail: LogTail },
  error: unknown,
): Promise<AckcheckError> {
  const { id, name, hostPort, readyTimeoutMs, logTail } = attempt;
  const message = describeError(error);
  // testcontainers may report an exited container as a timeout (e.g. "waiting for container
  // ports to be bound"): ask Docker before the container goes.
  const state = await engine
    .getContainer(name)
    .inspect()
    .then((c) => c.State.Status)
    .catch(() => undefined);
  await new Promise((r) => setImmediate(r)); // let the log consumer take the last lines
  await logTail.fill(engine, name);
  await removeContainer(engine, name).catch(() => undefined);
  if (/port is already allocated|address already in use/i.test(message)) {
    return new AckcheckError(
      'PORT_IN_USE',
      `Cannot start ${id}: host port ${hostPort} is in use. Free it or choose another hostPort.`,
      { cause: error },
    );
  }
  if (state === 'exited' || state === 'dead' || /log stream ended|exited|not running/i.test(message)) {
    return new AckcheckError(
      'BROKER_EXITED',
      `${id} exited during start-up (container ${name}). The image may not be a ${id} image, or the broker ` +
        `failed to start; see the log lines below.${logTail}`,
      { cause: error },
    );
  }
  if (/not received after|timed? ?out|timeout/i.test(message)) {
    return new AckcheckError(
      'BROKER_NOT_READY',
      `${id} did not finish starting within ${readyTimeoutMs} ms. On a slow or busy machine raise ` +
        `readyTimeoutMs (CLI: --ready-timeout); otherwise see the log lines below.${logTail}`,
      { cause: error, retriable: true },
    );
  }
  return new AckcheckError('BROKER_NOT_READY', `${id} failed to start: ${message}${logTail}`, {
    cause: error,
  });
}

/** Finds the running shared container of `id` started by `ackcheck brokers up`, if any. */
export async function findSharedBroker(id: BrokerId): Promise<StartedBroker | undefined> {
  const engine = await docker();
  const found = await engine.listContainers({
    all: false,
    filters: { label: [`${LABELS.broker}=${id}`, `${LABELS.scope}=shared`] },
  });
  const c = found[0];
  if (!c) return undefined;
  const version = brokerVersion(id);
  const port = Number(c.Labels[LABELS.port]);
  const proxiedPort = Number(c.Labels[LABELS.proxiedPort]);
  const advertisedPort = Number(c.Labels[LABELS.proxyPort]);
  const info: BrokerInfo = {
    id,
    kind: version.kind,
    version: version.version,
    image: c.Image,
    containerId: c.Id,
    containerName: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    scope: 'shared',
    host: HOST,
    port,
    ...adapterFor(version.kind).recipe.addresses(HOST, port),
    // Absent on a container started by an older ackcheck: network faults then say so.
    ...(proxiedPort && advertisedPort ? { proxied: { port: proxiedPort, advertisedPort } } : {}),
    // Its own settings, not this ackcheck's recipe: it may have been started by an earlier one.
    ...settingsFromLabels(c.Labels, adapterFor(version.kind).recipe),
    readyInMs: 0,
  };
  return new StartedBroker(info, false);
}
