/**
 * Access to the Docker engine: a reachability check with a deadline (testcontainers would
 * otherwise retry for a long time and fail with a generic message), the labels that mark
 * ackcheck's containers, and removal of leftovers from processes that died.
 */
import { request } from 'node:http';
import { hostname } from 'node:os';
import { getContainerRuntimeClient } from 'testcontainers';
import { AckcheckError, describeError } from '../../errors.ts';
import type { BrokerId } from '../registry.ts';

// Ryuk's image cannot be pulled without a registry; ackcheck reaps its own containers.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

/** Labels on every container ackcheck starts. */
export const LABELS = {
  /** What the container is ("broker"). Its presence marks a container as ackcheck's. */
  role: 'dev.ackcheck.role',
  broker: 'dev.ackcheck.broker',
  /** "process": removed when its owner process ends; "shared": kept for reuse until `brokers down`. */
  scope: 'dev.ackcheck.scope',
  /** "<pid>@<hostname>" of the process that owns a process-scoped container. */
  owner: 'dev.ackcheck.owner',
  /** Published host port of the broker's client listener. */
  port: 'dev.ackcheck.port',
  /** Kafka: published host port of the second listener, which consumers reach through the network-fault proxy. */
  proxiedPort: 'dev.ackcheck.proxied-port',
  /** Kafka: port the second listener advertises, where the harness's network-fault proxy listens. */
  proxyPort: 'dev.ackcheck.proxy-port',
  /** RabbitMQ: the consumer timeout the container was configured with (ms), and its check interval. */
  consumerTimeout: 'dev.ackcheck.consumer-timeout-ms',
  consumerTimeoutCheck: 'dev.ackcheck.consumer-timeout-check-ms',
} as const;

export type ContainerScope = 'process' | 'shared';

export function ownerLabel(pid: number = process.pid): string {
  return `${pid}@${hostname()}`;
}

export type Dockerode = Awaited<ReturnType<typeof getContainerRuntimeClient>>['container']['dockerode'];

const DOCKER_HINT =
  "ackcheck runs brokers in Docker containers. Start the Docker engine (on this project's machines: " +
  '`bash scripts/setup.sh` installs and starts it), or point DOCKER_HOST at a running engine.';

/** Pings the engine named by DOCKER_HOST (default: the local socket) within `timeoutMs`. */
export async function pingDocker(timeoutMs = 5_000): Promise<void> {
  const target = dockerTarget();
  await new Promise<void>((resolve, reject) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode === 200) resolve();
      else reject(new Error(`engine answered HTTP ${res.statusCode} to /_ping`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  }).catch((error: unknown) => {
    throw new AckcheckError(
      'DOCKER_UNREACHABLE',
      `Docker engine unreachable at ${describeTarget(target)}: ${describeError(error)}. ${DOCKER_HINT}`,
      { cause: error, retriable: true },
    );
  });
}

function dockerTarget(): { socketPath: string } | { host: string; port: number } {
  const host = process.env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new AckcheckError(
    'DOCKER_UNREACHABLE',
    `DOCKER_HOST="${host}" is not unix://PATH or tcp://HOST:PORT. ${DOCKER_HINT}`,
  );
}

function describeTarget(target: ReturnType<typeof dockerTarget>): string {
  return 'socketPath' in target ? `unix://${target.socketPath}` : `tcp://${target.host}:${target.port}`;
}

/** The engine client, after a deadline-bound reachability check. */
export async function docker(timeoutMs = 5_000): Promise<Dockerode> {
  await pingDocker(timeoutMs);
  const client = await getContainerRuntimeClient();
  return client.container.dockerode;
}

export async function imagePresent(engine: Dockerode, image: string): Promise<boolean> {
  try {
    await engine.getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

export interface OurContainer {
  id: string;
  name: string;
  broker: BrokerId;
  scope: ContainerScope;
  owner: string | undefined;
  state: string;
  port: number;
  image: string;
}

/** Every container ackcheck started (running or not), found by label. */
export async function listOurContainers(engine: Dockerode): Promise<OurContainer[]> {
  const found = await engine.listContainers({ all: true, filters: { label: [LABELS.role] } });
  return found.map((c) => ({
    id: c.Id,
    name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    broker: c.Labels[LABELS.broker] as BrokerId,
    scope: (c.Labels[LABELS.scope] ?? 'process') as ContainerScope,
    owner: c.Labels[LABELS.owner],
    state: c.State,
    port: Number(c.Labels[LABELS.port]),
    image: c.Image,
  }));
}

export function ownerAlive(owner: string | undefined): boolean {
  if (!owner) return false;
  const [pid, host] = owner.split('@');
  if (host !== hostname()) return true; // another machine's engine: not ours to judge
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function removeContainer(engine: Dockerode, id: string): Promise<void> {
  try {
    await engine.getContainer(id).remove({ force: true, v: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error; // gone already, or removal under way
  }
}

/**
 * Removes process-scoped containers whose owner process is gone (a test process that was
 * killed before it could clean up). Returns the names removed.
 */
export async function removeLeftovers(engine: Dockerode): Promise<string[]> {
  const leftovers = (await listOurContainers(engine)).filter(
    (c) => c.scope === 'process' && !ownerAlive(c.owner),
  );
  await Promise.all(leftovers.map((c) => removeContainer(engine, c.id)));
  return leftovers.map((c) => c.name);
}

/** Removes the process-scoped containers owned by `owner`. */
export async function removeOwnedBy(engine: Dockerode, owner: string): Promise<string[]> {
  const owned = (await listOurContainers(engine)).filter((c) => c.scope === 'process' && c.owner === owner);
  await Promise.all(owned.map((c) => removeContainer(engine, c.id)));
  return owned.map((c) => c.name);
}

/** `ackcheck brokers down`: removes shared containers and leftovers, not those of live processes. */
export async function removeUnusedContainers(engine: Dockerode): Promise<string[]> {
  const unused = (await listOurContainers(engine)).filter(
    (c) => c.scope === 'shared' || !ownerAlive(c.owner),
  );
  await Promise.all(unused.map((c) => removeContainer(engine, c.id)));
  return unused.map((c) => c.name);
}
