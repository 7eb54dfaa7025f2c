/** The Kafka broker adapter (see ../adapter.ts): versions, container, admin, producer, clients. */
import { AckcheckError } from '../../errors.ts';
import type { BrokerInfo } from '../../model/broker.ts';
import type { BrokerAdapter, BrokerClient, BrokerVersion } from '../adapter.ts';
import { probeKafka, provisionTopic } from './admin.ts';
import { openKafkaRoundTripper } from './roundtrip.ts';
import { kafkaRecipe } from './recipe.ts';
import { kafkaRuntime } from './runtime.ts';
import { kafkaLag, openKafkaLag, openKafkaSender } from './sender.ts';

export const KAFKA_VERSIONS = [
  {
    id: 'kafka-3.9',
    kind: 'kafka',
    version: '3.9.2',
    localImage: 'ackcheck/kafka:3.9.2',
    upstreamImage: 'apache/kafka:3.9.2',
    imageEnv: 'ACKCHECK_IMAGE_KAFKA_3_9',
    buildCommand: 'bash docker/kafka/build.sh 3.9.2',
  },
  {
    id: 'kafka-4.4',
    kind: 'kafka',
    version: '4.4.0',
    localImage: 'ackcheck/kafka:4.4.0',
    upstreamImage: 'apache/kafka:4.4.0',
    imageEnv: 'ACKCHECK_IMAGE_KAFKA_4_4',
    buildCommand: 'bash docker/kafka/build.sh 4.4.0',
  },
] as const satisfies readonly BrokerVersion[];

const EXTERNAL_ENV = 'ACKCHECK_KAFKA_BOOTSTRAP';

function hostPort(text: string): { host: string; port: number } {
  const match = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new AckcheckError(
      'INVALID_OPTION',
      `${EXTERNAL_ENV}: expected host:port (e.g. localhost:9092), got "${text}". Fix or unset ${EXTERNAL_ENV}.`,
    );
  return { host: match[1], port };
}

export const kafka: BrokerAdapter = {
  kind: 'kafka',
  versions: KAFKA_VERSIONS,
  recipe: kafkaRecipe,
  externalEnv: EXTERNAL_ENV,
  external(value) {
    const servers = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const first = hostPort(servers[0] ?? '');
    for (const s of servers.slice(1)) hostPort(s);
    return { containerName: `external ${servers.join(',')}`, ...first, bootstrapServers: servers };
  },
  redact: (value) => value,
  address: (info) => `bootstrap ${info.bootstrapServers?.join(',')}`,
  probe: probeKafka,
  async provision(info, scenario) {
    // share: the drain's lag count and the deletion use the admin client that created the topic.
    const topic = await provisionTopic(info, { partitions: scenario.kafka?.partitions ?? 1, share: true });
    return {
      name: topic.name,
      target: { kind: 'kafka', topic: topic.name, groupId: `${topic.name}-group` },
      [Symbol.asyncDispose]: () => topic[Symbol.asyncDispose](),
    };
  },
  openSender: openKafkaSender,
  remaining: kafkaLag,
  openRemaining: openKafkaLag,
  consumerPath: {
    check(info) {
      if (info.proxied) return;
      throw new AckcheckError(
        'NETWORK_FAULTS_UNAVAILABLE',
        `Network faults need a second client listener on Kafka broker ${info.id} (container ` +
          `${info.containerName}), which brokers started by an older ackcheck lack. Restart it: ` +
          '`ackcheck brokers down` then `ackcheck brokers up` for a shared broker; or leave the ' +
          'network-* kinds out of `faults`.',
      );
    },
    // Clients reconnect to the address the broker advertises: the proxy listens on the
    // PROXIED listener's advertised port and forwards to that listener.
    plan(info) {
      this.check(info);
      const proxied = info.proxied as NonNullable<BrokerInfo['proxied']>;
      return { listenPort: proxied.advertisedPort, target: { host: info.host, port: proxied.port } };
    },
    workerInfo: (info, proxyPort) => ({ ...info, bootstrapServers: [`127.0.0.1:${proxyPort}`] }),
  },
  openRoundTripper: openKafkaRoundTripper,
};

/** ackcheck's own runtimes on kafkajs (the default client of this broker). */
export const kafkajsClient: BrokerClient = {
  name: 'kafkajs',
  package: 'kafkajs',
  runtime: async (options) => kafkaRuntime(options),
};
