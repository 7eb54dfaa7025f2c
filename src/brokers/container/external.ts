/**
 * External brokers: a Kafka cluster or RabbitMQ server that ackcheck does not start (a CI
 * service container, a managed cluster). Named by environment variables:
 *
 *   ACKCHECK_KAFKA_BOOTSTRAP=host:port[,host:port…]   ACKCHECK_AMQP_URL=amqp://user:pass@host:port
 *
 * When one is set, every broker id of that kind resolves to the external broker and no
 * container is started. Faults that need control of the broker's container (broker-*,
 * network-*) cannot be injected there; certify() skips them with a notice.
 */
import { BROKER_KINDS, type BrokerInfo, type BrokerKind } from '../../model/broker.ts';
import type { FaultKind } from '../../model/fault.ts';
import { adapterFor, type BrokerId, brokerVersion } from '../registry.ts';

/** The environment variable that names an external broker, per kind. */
export const EXTERNAL_ENV: Readonly<Record<BrokerKind, string>> = Object.fromEntries(
  BROKER_KINDS.map((kind) => [kind, adapterFor(kind).externalEnv]),
) as Record<BrokerKind, string>;

/** Fault kinds that act on the broker's container or its network path. */
export function needsContainer(kind: FaultKind): boolean {
  return kind.startsWith('broker-') || kind.startsWith('network-');
}

/**
 * The external broker standing in for `id`, or undefined when the environment names none
 * for its kind. Throws INVALID_OPTION when the variable is malformed.
 */
export function externalBroker(id: BrokerId, env: NodeJS.ProcessEnv = process.env): BrokerInfo | undefined {
  const version = brokerVersion(id);
  const variable = EXTERNAL_ENV[version.kind];
  const value = env[variable]?.trim();
  if (!value) return undefined;
  const base = {
    id,
    kind: version.kind,
    version: 'external',
    image: '',
    containerId: '',
    scope: 'process',
    readyInMs: 0,
    external: true,
  } as const;
  return { ...base, ...adapterFor(version.kind).external(value) };
}

/**
 * An external broker stands in for every id of its kind: keeps one id per external kind (the
 * newest selected) so the same broker is not used twice, and says so in `notices`.
 */
export function collapseExternal(
  ids: readonly BrokerId[],
  env: NodeJS.ProcessEnv = process.env,
): { ids: BrokerId[]; notices: string[] } {
  const notices: string[] = [];
  const out: BrokerId[] = [];
  for (const kind of BROKER_KINDS) {
    const ofKind = ids.filter((id) => brokerVersion(id).kind === kind);
    if (ofKind.length === 0) continue;
    const variable = EXTERNAL_ENV[kind];
    const value = env[variable]?.trim();
    if (value) {
      const kept = ofKind.at(-1) as BrokerId;
      out.push(kept);
      const shown = adapterFor(kind).redact(value); // no credentials in logs
      notices.push(
        `${variable} is set: ${kind} runs use the external broker at ${shown} (as ${kept}); no container is started` +
          (ofKind.length > 1
            ? ` (${ofKind.filter((i) => i !== kept).join(', ')} left out: same broker)`
            : ''),
      );
    } else out.push(...ofKind);
  }
  return { ids: out, notices };
}
