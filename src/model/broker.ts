/**
 * A started broker as plain, serialisable facts (`BrokerInfo`): safe to hand to vitest
 * workers and child processes. Tagged by `kind`; the broker folders (src/brokers/<kind>/)
 * give the kind-specific fields their meaning.
 */
export const BROKER_KINDS = ['kafka', 'rabbitmq'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

/**
 * A second client listener for the consumers' network-fault proxy: inside the container it
 * listens on `port` (published on the host at the same number); it advertises
 * `127.0.0.1:advertisedPort`, where the harness's proxy listens and forwards to `port`.
 */
export interface ProxiedListener {
  readonly port: number;
  readonly advertisedPort: number;
}

/** A consumer timeout: an unacknowledged delivery older than `timeoutMs` is taken back, checked every `checkMs`. */
export interface ConsumerTimeout {
  readonly timeoutMs: number;
  readonly checkMs: number;
}

export interface BrokerInfo {
  /** Catalog id, e.g. `kafka-4.4`. */
  readonly id: string;
  readonly kind: BrokerKind;
  readonly version: string;
  readonly image: string;
  readonly containerId: string;
  readonly containerName: string;
  readonly scope: 'process' | 'shared';
  /** Host and port clients connect to; both stay the same across broker restarts. */
  readonly host: string;
  readonly port: number;
  /** Kafka: `["127.0.0.1:PORT"]`. */
  readonly bootstrapServers?: readonly string[];
  /** RabbitMQ: `amqp://guest:guest@127.0.0.1:PORT`. */
  readonly amqpUrl?: string;
  /**
   * Kafka: the second client listener that consumers reach through the network-fault proxy
   * (absent on a broker started by an older ackcheck).
   */
  readonly proxied?: ProxiedListener;
  /** RabbitMQ: the consumer timeout ackcheck configured for its test broker. */
  readonly consumerTimeout?: ConsumerTimeout;
  /** Milliseconds from container create to the broker answering clients. */
  readonly readyInMs: number;
  /**
   * True for a broker ackcheck did not start (ACKCHECK_KAFKA_BOOTSTRAP / ACKCHECK_AMQP_URL):
   * no container, so no broker or network faults. `containerId` is empty then.
   */
  readonly external?: boolean;
}
