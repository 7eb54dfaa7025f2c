/**
 * The broker versions ackcheck knows how to start. Each entry names the locally built image
 * (docker/), the upstream image it stands in for, and the environment variable that
 * overrides both.
 */
export type BrokerKind = 'kafka' | 'rabbitmq';

export const BROKER_IDS = ['kafka-3.9', 'kafka-4.4', 'rabbitmq-3.10', 'rabbitmq-4.0'] as const;
export type BrokerId = (typeof BROKER_IDS)[number];

export interface BrokerVersion {
  readonly id: BrokerId;
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

export const BROKER_VERSIONS: readonly BrokerVersion[] = [
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
];

/**
 * What names one broker: an id, or a broker kind standing for its newest version (so that
 * `certify({ broker: 'kafka' })` works as `--broker kafka` does on the command line).
 */
export type BrokerName = BrokerId | BrokerKind;

/** The version an id or a kind names (a kind: its newest version). */
export function brokerVersion(name: string): BrokerVersion {
  const found =
    BROKER_VERSIONS.find((b) => b.id === name) ?? BROKER_VERSIONS.findLast((b) => b.kind === name);
  if (!found) {
    throw new RangeError(
      `unknown broker "${name}"; expected one of: ${BROKER_IDS.join(', ')} (or kafka, rabbitmq: the newest version)`,
    );
  }
  return found;
}

/** The id an id or a kind names (a kind: its newest version). */
export function resolveBrokerId(name: string): BrokerId {
  return brokerVersion(name).id;
}

/** Parses "kafka", "rabbitmq", "all" or a comma list of ids into broker ids. */
export function parseBrokerSelection(selection: string): BrokerId[] {
  const ids = new Set<BrokerId>();
  for (const part of selection
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (part === 'all') for (const b of BROKER_VERSIONS) ids.add(b.id);
    else if (part === 'kafka' || part === 'rabbitmq')
      for (const b of BROKER_VERSIONS.filter((v) => v.kind === part)) ids.add(b.id);
    else ids.add(brokerVersion(part).id);
  }
  if (ids.size === 0) throw new RangeError('no broker selected; expected kafka, rabbitmq, all or broker ids');
  return [...ids];
}
