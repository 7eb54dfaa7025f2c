import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrokerInfo } from '../brokers/container/started-broker.ts';
import {
  assertNetworkFaultsSupported,
  isNetworkFault,
  openConsumerPath,
  ownConsumerPath,
} from './network.ts';

const base = {
  version: 'x',
  image: 'img',
  containerName: 'c',
  scope: 'process',
  host: '127.0.0.1',
  readyInMs: 0,
} as const;

/** A stand-in "broker": a TCP server that echoes. */
let server: Server;
let port: number;
const sockets = new Set<Socket>();

beforeEach(async () => {
  server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const rabbit = (containerId: string): BrokerInfo => ({
  ...base,
  id: 'rabbitmq-4.0',
  kind: 'rabbitmq',
  containerId,
  port,
  amqpUrl: `amqp://guest:guest@127.0.0.1:${port}`,
});

function echo(at: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: at }, () => s.write('ping'));
    s.on('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.on('error', reject);
  });
}

describe('network faults', () => {
  it('knows the network kinds', () => {
    expect(isNetworkFault('network-cut')).toBe(true);
    expect(isNetworkFault('broker-kill')).toBe(false);
  });

  it('says what to do with a Kafka broker that has no proxied listener', () => {
    const kafka: BrokerInfo = { ...base, id: 'kafka-4.4', kind: 'kafka', containerId: 'k', port: 1 };
    expect(() => assertNetworkFaultsSupported(kafka)).toThrow(
      expect.objectContaining({
        code: 'NETWORK_FAULTS_UNAVAILABLE',
        message: expect.stringMatching(/brokers down/),
      }),
    );
    expect(() =>
      assertNetworkFaultsSupported({ ...kafka, proxied: { port: 2, advertisedPort: 3 } }),
    ).not.toThrow();
  });

  it('routes Kafka workers to the advertised proxy port, which forwards to the proxied listener', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const kafka: BrokerInfo = {
      ...base,
      id: 'kafka-4.4',
      kind: 'kafka',
      containerId: 'kafka-1',
      port: 1,
      bootstrapServers: ['127.0.0.1:1'],
      proxied: { port, advertisedPort: free },
    };
    await using path = await openConsumerPath(kafka);
    expect(path.workerInfo.bootstrapServers).toEqual([`127.0.0.1:${free}`]);
    expect(await echo(free)).toBe('ping');
  });

  it('gives each run a proxy of its own where it may listen on any port (RabbitMQ), and points the AMQP URL at it', async () => {
    const a = await openConsumerPath(rabbit('r1'));
    const b = await openConsumerPath(rabbit('r1'));
    const proxyPort = Number(new URL(a.workerInfo.amqpUrl as string).port);
    const otherPort = Number(new URL(b.workerInfo.amqpUrl as string).port);
    expect(proxyPort).not.toBe(port);
    expect(otherPort).not.toBe(proxyPort); // runs in parallel fault only their own consumers
    expect(ownConsumerPath(rabbit('r1'))).toBe(true);
    expect(a.workerInfo.amqpUrl).toBe(`amqp://guest:guest@127.0.0.1:${proxyPort}`);
    expect(await echo(proxyPort)).toBe('ping');

    // A live connection through the proxy is reset by a cut, and the effect says so.
    const live = connect({ host: '127.0.0.1', port: proxyPort });
    live.on('error', () => undefined);
    await new Promise((r) => live.once('connect', r));
    await new Promise<void>((resolve) =>
      sockets.size > 0 ? resolve() : server.once('connection', () => resolve()),
    );
    const closed = new Promise((r) => live.once('close', r));
    const effect = await a.inject('network-cut', { holdMs: 10 });
    await closed;
    expect(effect.reset).toBeGreaterThanOrEqual(1);
    expect(effect.connections).toBeGreaterThanOrEqual(1);

    await a[Symbol.asyncDispose]();
    await expect(echo(proxyPort)).rejects.toThrow(/ECONNREFUSED/);
    expect(await echo(otherPort)).toBe('ping'); // b's path is untouched
    await b[Symbol.asyncDispose]();
    await expect(echo(otherPort)).rejects.toThrow(/ECONNREFUSED/);
  });
});
