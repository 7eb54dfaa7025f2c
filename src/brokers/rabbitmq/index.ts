/** The RabbitMQ broker adapter (see ../adapter.ts): versions, container, admin, producer, clients. */
import { AckcheckError } from '../../errors.ts';
import type { BrokerAdapter, BrokerClient, BrokerVersion } from '../adapter.ts';
import { probeRabbitmq, provisionQueue, queueExists } from './admin.ts';
import { rabbitmqRecipe } from './recipe.ts';
import { openRabbitmqRoundTripper } from './roundtrip.ts';
import { rabbitmqRuntime } from './runtime.ts';
import { openRabbitmqReady, openRabbitmqSender, rabbitmqReady } from './sender.ts';
import { sharedUnackedCounter } from './unacked.ts';

export const RABBITMQ_VERSIONS = [
  {
    id: 'rabbitmq-3.10',
    kind: 'rabbitmq',
    version: '3.10',
    localImage: 'ackcheck/rabbitmq:3.10',
    upstreamImage: 'rabbitmq:3.10',
    imageEnv: 'ACKCHECK_IMAGE_RABBITMQ_3_10',
    buildCommand: 'bash docker/rabbitmq/build.sh bookworm ackcheck/rabbitmq:3.10',
  },
  {
    id: 'rabbitmq-4.0',
    kind: 'rabbitmq',
    version: '4.0',
    localImage: 'ackcheck/rabbitmq:4.0',
    upstreamImage: 'rabbitmq:4.0',
    imageEnv: 'ACKCHECK_IMAGE_RABBITMQ_4_0',
    buildCommand: 'bash docker/rabbitmq/build.sh trixie ackcheck/rabbitmq:4.0',
  },
] as const satisfies readonly BrokerVersion[];

const EXTERNAL_ENV = 'ACKCHECK_AMQP_URL';

export const rabbitmq: BrokerAdapter = {
  kind: 'rabbitmq',
  versions: RABBITMQ_VERSIONS,
  recipe: rabbitmqRecipe,
  externalEnv: EXTERNAL_ENV,
  external(value) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      url = new URL('invalid:');
    }
    if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:')
      throw new AckcheckError(
        'INVALID_OPTION',
        `${EXTERNAL_ENV}: expected an AMQP URL such as amqp://guest:guest@localhost:5672, got "${value}". Fix or unset ${EXTERNAL_ENV}.`,
      );
    const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
    const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    return { containerName: `external ${shown}`, host: url.hostname, port, amqpUrl: value };
  },
  redact: (value) => value.replace(/\/\/[^@/]*@/, '//'), // no credentials in logs
  address: (info) => `url ${info.amqpUrl}`,
  probe: probeRabbitmq,
  async provision(info, scenario) {
    const queue = await provisionQueue(info, {
      type: scenario.rabbitmq?.queueType ?? 'classic',
      // A quorum queue must be on disk before a broker-kill, or it does not come back.
      killSafe: scenario.faults.some((f) => f.kind === 'broker-kill'),
      share: true, // the run's producer and drain count use its connection
    });
    return {
      name: queue.name,
      target: { kind: 'rabbitmq', queue: queue.name, prefetch: scenario.rabbitmq?.prefetch ?? 1 },
      exists: () => queueExists(info, queue.name),
      [Symbol.asyncDispose]: () => queue[Symbol.asyncDispose](),
    };
  },
  openSender: openRabbitmqSender,
  remaining: rabbitmqReady,
  unacknowledged: (info, target, notice) =>
    target.kind === 'rabbitmq'
      ? sharedUnackedCounter(info, notice)(target.queue)
      : Promise.resolve(undefined),
  openRemaining: openRabbitmqReady,
  consumerPath: {
    check: () => undefined,
    plan: (info) => ({ listenPort: 0, target: { host: info.host, port: info.port } }),
    workerInfo(info, proxyPort) {
      const url = new URL(info.amqpUrl ?? `amqp://guest:guest@${info.host}:${info.port}`);
      url.hostname = '127.0.0.1';
      url.port = String(proxyPort);
      return { ...info, amqpUrl: url.toString().replace(/\/$/, '') };
    },
  },
  openRoundTripper: openRabbitmqRoundTripper,
};

/** ackcheck's own runtimes on amqplib (the default client of this broker). */
export const amqplibClient: BrokerClient = {
  name: 'amqplib',
  package: 'amqplib',
  runtime: async (options) => rabbitmqRuntime(options),
};
