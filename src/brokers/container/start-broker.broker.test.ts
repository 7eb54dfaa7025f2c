/** startBroker's failure paths and clean-up, on the real Docker engine. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../../deadline.ts';
import { isAckcheckError } from '../../errors.ts';
import { brokers } from '../../vitest/index.ts';
import { docker, LABELS, listOurContainers, removeLeftovers } from './docker.ts';
import { startBroker } from './start-broker.ts';

const anyRabbit = brokers('rabbitmq')[0];
const anyKafka = brokers('kafka')[0];

async function ourContainerNames(): Promise<string[]> {
  return (await listOurContainers(await docker())).map((c) => c.name);
}

describe('startBroker failures', () => {
  it('rejects invalid options with INVALID_OPTION, naming the entry point', async () => {
    const error = await startBroker({ broker: 'kafka-3.9', hostPort: 80 }).catch((e: unknown) => e);
    expect(isAckcheckError(error, 'INVALID_OPTION')).toBe(true);
    expect((error as Error).message).toMatch(/^startBroker: hostPort must be an integer 1024..65535, got 80/);
    await expect(startBroker({ broker: 'nats' as never })).rejects.toThrow(/unknown broker "nats"/);
  });

  it('says how to get a missing image', async () => {
    const error = await startBroker({ broker: 'kafka-3.9', image: 'ackcheck/does-not-exist:0' }).catch(
      (e: unknown) => e,
    );
    expect(isAckcheckError(error, 'IMAGE_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/ackcheck\/does-not-exist:0 not present\. Build or pull/);
  });

  it('reports a port in use without starting anything', async () => {
    const server: Server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    try {
      const error = await startBroker({ broker: 'rabbitmq-4.0', hostPort: port }).catch((e: unknown) => e);
      expect(isAckcheckError(error, 'PORT_IN_USE')).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`host port ${port}: the port is in use`));
    } finally {
      server.close();
    }
  });

  it.runIf(anyKafka)(
    'gives up at the readiness deadline with BROKER_NOT_READY and removes the container',
    async () => {
      const before = await ourContainerNames();
      const began = Date.now();
      const error = await startBroker({ broker: 'kafka-3.9', readyTimeoutMs: 1_500 }).catch(
        (e: unknown) => e,
      );
      expect(Date.now() - began).toBeLessThan(30_000);
      expect(isAckcheckError(error, 'BROKER_NOT_READY')).toBe(true);
      expect((error as Error).message).toMatch(/raise readyTimeoutMs/);
      expect(await ourContainerNames()).toEqual(before);
    },
  );

  it.runIf(anyKafka && anyRabbit)(
    'reports a broker that exits during start-up, with its last log lines',
    async () => {
      // A RabbitMQ image has no /opt/kafka: the Kafka launch script fails at once.
      const before = await ourContainerNames();
      const error = await startBroker({
        broker: 'kafka-3.9',
        image: anyRabbit?.image,
        readyTimeoutMs: 30_000,
      }).catch((e: unknown) => e);
      expect(
        isAckcheckError(error, 'BROKER_EXITED'),
        `${String(error)} / ${String((error as Error).cause)} / ${anyRabbit?.image}`,
      ).toBe(true);
      expect((error as Error).message).toMatch(/kafka-storage\.sh/);
      expect(await ourContainerNames()).toEqual(before);
    },
  );
});

describe('clean-up', () => {
  const spawned: number[] = [];
  afterAll(() => {
    for (const pid of spawned) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it.runIf(anyRabbit)('removes the containers of a process killed with SIGKILL', async () => {
    const entry = fileURLToPath(new URL('./__fixtures__/start-and-hang.ts', import.meta.url));
    const child = spawn(process.execPath, [entry, 'rabbitmq-4.0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    spawned.push(child.pid as number);
    const lines = createInterface({ input: child.stdout });
    const [line] = (await Promise.race([once(lines, 'line'), sleep(120_000).then(() => ['timeout'])])) as [
      string,
    ];
    const { container } = JSON.parse(line) as { container: string };
    expect(await ourContainerNames()).toContain(container);

    child.kill('SIGKILL');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await ourContainerNames()).includes(container)) await sleep(500);
    expect(await ourContainerNames()).not.toContain(container);
  });

  it.runIf(anyRabbit)('removes leftovers of dead owners on the next start, and only those', async () => {
    const engine = await docker();
    const image = anyRabbit?.image as string;
    const make = (owner: string) =>
      engine.createContainer({
        Image: image,
        Cmd: ['sleep', '300'],
        Labels: {
          [LABELS.role]: 'broker',
          [LABELS.broker]: 'rabbitmq-4.0',
          [LABELS.scope]: 'process',
          [LABELS.owner]: owner,
          [LABELS.port]: '1',
        },
      });
    const { hostname } = await import('node:os');
    const dead = await make(`999999999@${hostname()}`);
    const alive = await make(`${process.pid}@${hostname()}`);
    try {
      const removed = await removeLeftovers(engine);
      const ids = (await listOurContainers(engine)).map((c) => c.id);
      expect(removed.length).toBeGreaterThanOrEqual(1);
      expect(ids).not.toContain(dead.id);
      expect(ids).toContain(alive.id);
    } finally {
      await alive.remove({ force: true });
      await dead.remove({ force: true }).catch(() => undefined);
    }
  });
});
