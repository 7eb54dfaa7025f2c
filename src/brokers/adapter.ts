/**
 * The broker adapter: everything the harness, the workers and the CLI need to know about one
 * broker kind, in one place. Each broker folder (src/brokers/kafka/, src/brokers/rabbitmq/)
 * exports one adapter; src/brokers/registry.ts is the only module that imports those folders.
 * Code outside a broker folder asks the registry for the adapter and never branches on a kind.
 *
 * A client family of a broker (kafkajs, Confluent's client, …) is a `BrokerClient`: its own
 * folder under the broker's, and one line in the registry's client list.
 */
import type { BrokerInfo, BrokerKind } from '../model/broker.ts';
import type { Message } from '../model/message.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Runtime, RuntimeOptions, RunTarget } from '../runtime/runtime.ts';
import type { ContainerRecipe } from './container/recipe.ts';
import type { RoundTripOptions, RoundTripper } from './roundtrip.ts';

/** One broker version ackcheck knows how to start. */
export interface BrokerVersion {
  readonly id: string;
  readonly kind: BrokerKind;
  /** Release the images carry (RabbitMQ: the Debian package's series). */
  readonly version: string;
  /** Built from docker/ by scripts/setup.sh where no registry answers. */
  readonly localImage: string;
  /** The official image, used where a registry answers. */
  readonly upstreamImage: string;
  /** Overrides the image choice, e.g. ACKCHECK_IMAGE_KAFKA_3_9=my/kafka:3.9.2 */
  readonly imageEnv: string;
  /** How docker/ builds the local image (shown in "image missing" errors). */
  readonly buildCommand: string;
}

/** Where a publish landed (Kafka partition/offset); empty where the broker says nothing. */
export interface PublishPosition {
  readonly partition?: number;
  readonly offset?: string;
}

/** Publishes one message with confirms; rejects when the outcome is unknown. */
export type Sender = ((message: Message, copy: number) => Promise<PublishPosition>) & {
  close(): Promise<void>;
};

/** A run's fresh topic or queue: where its messages go, removed when disposed. */
export interface ProvisionedTarget extends AsyncDisposable {
  readonly target: RunTarget;
  /** The topic or queue name. */
  readonly name: string;
  /**
   * Whether the broker still has it. RabbitMQ 4.0 can lose a durable queue declared shortly
   * before a SIGKILL; a run whose queue vanished is the broker's failure, not the processor's.
   * Absent: the broker keeps what it acknowledged creating.
   */
  exists?(): Promise<boolean>;
}

/** remaining() over one connection, reopened after an error (a broker fault drops it). */
export interface RemainingCounter extends AsyncDisposable {
  count(): Promise<number>;
}

/** A built-in runtime family for one broker (a client library). */
export interface BrokerClient {
  /** Short name used by `--client` and reports: `kafkajs`, `amqplib`, … */
  readonly name: string;
  /** The npm package it needs (an optional peer dependency for all but the default). */
  readonly package: string;
  /** Loads the client (lazily: a missing optional package fails here, with CLIENT_MISSING). */
  runtime(options: RuntimeOptions): Promise<Runtime>;
}

/** How the consumers of a run reach the broker through the network-fault proxy. */
export interface ConsumerPathPlan {
  /** Throws NETWORK_FAULTS_UNAVAILABLE when this broker cannot route its consumers through a proxy. */
  check(info: BrokerInfo): void;
  /** Port the proxy must listen on (0: any) and where it forwards to. */
  plan(info: BrokerInfo): { listenPort: number; target: { host: string; port: number } };
  /** The broker as the workers must see it: its client addresses point at the proxy. */
  workerInfo(info: BrokerInfo, proxyPort: number): BrokerInfo;
}

export interface BrokerAdapter {
  readonly kind: BrokerKind;
  /** The versions of this broker, oldest first. */
  readonly versions: readonly BrokerVersion[];
  /** How its container is launched. */
  readonly recipe: ContainerRecipe;
  /** The environment variable that names an external broker of this kind. */
  readonly externalEnv: string;
  /** BrokerInfo fields for an external broker named by `value` (throws INVALID_OPTION when malformed). */
  external(
    value: string,
  ): Pick<BrokerInfo, 'containerName' | 'host' | 'port' | 'bootstrapServers' | 'amqpUrl'>;
  /** `value` of externalEnv without credentials, for notices. */
  redact(value: string): string;
  /** Where clients connect, in a few words (`bootstrap 127.0.0.1:9092`). */
  address(info: BrokerInfo): string;
  /** One client round trip; throws if the broker cannot serve it yet. */
  probe(info: BrokerInfo, timeoutMs: number): Promise<void>;
  /** A fresh topic/queue for a run, shaped by the scenario's settings. */
  provision(info: BrokerInfo, scenario: Scenario): Promise<ProvisionedTarget>;
  /** The kit's producer for a run's target (publishes with confirms). */
  openSender(info: BrokerInfo, target: RunTarget): Promise<Sender>;
  /** Messages published and not yet consumed and acknowledged (Kafka: lag of the group). */
  remaining(info: BrokerInfo, target: RunTarget): Promise<number>;
  /**
   * Deliveries consumers hold unacknowledged, for a broker whose `remaining` leaves them out
   * (RabbitMQ); undefined when the broker cannot be asked (`notice` says so, once per broker).
   * Absent: `remaining` already counts them.
   */
  unacknowledged?(
    info: BrokerInfo,
    target: RunTarget,
    notice: (message: string) => void,
  ): Promise<number | undefined>;
  /** The same count, asked many times over one connection (the drain polls it); dispose to close. */
  openRemaining(info: BrokerInfo, target: RunTarget): Promise<RemainingCounter>;
  readonly consumerPath: ConsumerPathPlan;
  /** Publish-then-consume sessions for health checks and broker tests. */
  openRoundTripper(info: BrokerInfo, options: RoundTripOptions): Promise<RoundTripper>;
}
