/**
 * The registry: the brokers and clients ackcheck knows, and the only module that imports the
 * broker folders. Adding a broker or a client of one is a folder plus one line here.
 */
import { AckcheckError } from '../errors.ts';
import { BROKER_KINDS, type BrokerInfo, type BrokerKind } from '../model/broker.ts';
import type { BrokerAdapter, BrokerClient, BrokerVersion } from './adapter.ts';
import { confluentClient } from './kafka/clients/confluent/index.ts';
import { platformaticClient } from './kafka/clients/platformatic/index.ts';
import { kafka, KAFKA_VERSIONS, kafkajsClient } from './kafka/index.ts';
import { amqplibClient, rabbitmq, RABBITMQ_VERSIONS } from './rabbitmq/index.ts';
import type { RoundTripOptions, RoundTripper } from './roundtrip.ts';

export type { BrokerKind };
/** A catalog entry: a broker version with its id narrowed to the known ids. */
export type KnownVersion = BrokerVersion & { readonly id: BrokerId };
export type { KnownVersion as BrokerVersion };

const ADAPTERS: Readonly<Record<BrokerKind, BrokerAdapter>> = { kafka, rabbitmq };

/** The built-in runtime families per broker, one line each; the first is the default. */
const CLIENTS: Readonly<Record<BrokerKind, readonly [BrokerClient, ...BrokerClient[]]>> = {
  kafka: [kafkajsClient, confluentClient, platformaticClient],
  rabbitmq: [amqplibClient],
};

export const BROKER_VERSIONS: readonly KnownVersion[] = [...KAFKA_VERSIONS, ...RABBITMQ_VERSIONS];
export const BROKER_IDS = BROKER_VERSIONS.map((v) => v.id) as readonly BrokerId[];
export type BrokerId = (typeof KAFKA_VERSIONS)[number]['id'] | (typeof RABBITMQ_VERSIONS)[number]['id'];

export function adapterFor(kind: BrokerKind): BrokerAdapter {
  const adapter = ADAPTERS[kind];
  if (!adapter)
    throw new RangeError(`unknown broker kind "${String(kind)}"; expected ${BROKER_KINDS.join(' or ')}`);
  return adapter;
}

export function isBrokerKind(value: string): value is BrokerKind {
  return (BROKER_KINDS as readonly string[]).includes(value);
}

/**
 * What names one broker: an id, or a broker kind standing for its newest version (so that
 * `certify({ broker: 'kafka' })` works as `--broker kafka` does on the command line).
 */
export type BrokerName = BrokerId | BrokerKind;

/** The version an id or a kind names (a kind: its newest version). */
export function brokerVersion(name: string): KnownVersion {
  const found =
    BROKER_VERSIONS.find((b) => b.id === name) ?? BROKER_VERSIONS.findLast((b) => b.kind === name);
  if (!found) {
    throw new RangeError(
      `unknown broker "${name}"; expected one of: ${BROKER_IDS.join(', ')} (or ${BROKER_KINDS.join(', ')}: the newest version)`,
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
    if (part === 'all') for (const b of BROKER_VERSIONS) ids.add(b.id as BrokerId);
    else if (isBrokerKind(part))
      for (const b of BROKER_VERSIONS.filter((v) => v.kind === part)) ids.add(b.id as BrokerId);
    else ids.add(brokerVersion(part).id);
  }
  if (ids.size === 0) throw new RangeError('no broker selected; expected kafka, rabbitmq, all or broker ids');
  return [...ids];
}

/** The client `name` of `kind` (default: the broker's first client); throws INVALID_OPTION for an unknown name. */
export function clientFor(kind: BrokerKind, name?: string): BrokerClient {
  const clients = CLIENTS[kind];
  if (name === undefined) return clients[0];
  const found = clients.find((c) => c.name === name);
  if (!found)
    throw new AckcheckError(
      'INVALID_OPTION',
      `unknown ${kind} client "${name}"; expected one of: ${clients.map((c) => c.name).join(', ')}`,
    );
  return found;
}

/** The built-in clients of `kind` (the first is the default). */
export function clientsOf(kind: BrokerKind): readonly BrokerClient[] {
  return CLIENTS[kind];
}

/** Opens a publish-then-consume session on `info`'s broker (see roundtrip.ts). */
export function openRoundTripper(info: BrokerInfo, options: RoundTripOptions = {}): Promise<RoundTripper> {
  return adapterFor(info.kind).openRoundTripper(info, options);
}
