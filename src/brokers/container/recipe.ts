import type { ConsumerTimeout, ProxiedListener } from '../../model/broker.ts';

/** What a broker folder tells start-broker.ts about launching its container. */
export interface ContainerRecipe {
  /** Port the client listener uses inside the container, given the published host port. */
  containerPort(hostPort: number): number;
  entrypoint?: string[];
  command?: string[];
  environment(hostPort: number, proxied?: ProxiedListener): Record<string, string>;
  /**
   * The broker needs a second client listener for the consumers' network-fault proxy
   * (src/nemesis/network.ts): Kafka clients reconnect to the *advertised* address, so the
   * consumers' path through the proxy must be advertised by the broker itself.
   */
  readonly proxiedListener?: boolean;
  /** Files copied into the container before it starts (broker configuration). */
  readonly files?: ReadonlyArray<{
    readonly target: string;
    readonly content: string;
    readonly mode?: number;
  }>;
  /** Log line that says the broker finished starting. */
  readonly readyLog: RegExp;
  addresses(host: string, port: number): { bootstrapServers?: string[]; amqpUrl?: string };
  /**
   * Fixed facts about the broker's configuration, copied into its BrokerInfo and recorded in
   * the container's labels (settings.ts): a shared broker outlives the ackcheck that started it.
   */
  readonly settings?: BrokerSettings;
  /**
   * What containers started by an ackcheck that did not record its settings in labels were
   * configured with (a shared broker from an earlier `ackcheck brokers up`).
   */
  readonly settingsBeforeLabels?: BrokerSettings;
}

export interface BrokerSettings {
  readonly consumerTimeout?: ConsumerTimeout;
}

export type { ConsumerTimeout, ProxiedListener } from '../../model/broker.ts';
