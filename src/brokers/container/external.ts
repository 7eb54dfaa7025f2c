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
import { AckcheckError } from '../../errors.ts';
import type { FaultKind } from '../../model/fault.ts';
import type { BrokerInfo } from './started-broker.ts';
import { type BrokerId, type BrokerKind, brokerVersion } from '../catalog.ts';

export const EXTERNAL_ENV = {
  kafka: 'ACKCHECK_KAFKA_BOOTSTRAP',
  rabbitmq: 'ACKCHECK_AMQP_URL',
} as const satisfies Record<BrokerKind, string>;

/** Fault kinds that act on the broker's container or its network path. */
export function needsContainer(kind: FaultKind): boolean {
  return kind.startsWith('broker-') || kind.startsWith('network-');
}

function hostPort(text: string, variable: string): { host: string; port: number } {
  const match = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535)
    throw new AckcheckError(
      'INVALID_OPTION',
      `${variable}: expected host:port (e.g. localhost:9092), got "${text}". Fix or unset ${variable}.`,
    );
  return { host: match[1], port };
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
  if (version.kind === 'kafka') {
    const servers = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const first = hostPort(servers[0] ?? '', variable);
    for (const s of servers.slice(1)) hostPort(s, variable);
    return { ...base, containerName: `external ${servers.join(',')}`, ...first, bootstrapServers: servers };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'amqp:' && url.protocol !== 'amqps:')
    throw new AckcheckError(
      'INVALID_OPTION',
      `${variable}: expected an AMQP URL such as amqp://guest:guest@localhost:5672, got "${value}". Fix or unset ${variable}.`,
    );
  const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  return { ...base, containerName: `external ${shown}`, host: url.hostname, port, amqpUrl: value };
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
  for (const kind of ['kafka', 'rabbitmq'] as const) {
    const ofKind = ids.filter((id) => brokerVersion(id).kind === kind);
    if (ofKind.length === 0) continue;
    const variable = EXTERNAL_ENV[kind];
    const value = env[variable]?.trim();
    if (value) {
      const kept = ofKind.at(-1) as BrokerId;
      out.push(kept);
      const shown = kind === 'rabbitmq' ? value.replace(/\/\/[^@/]*@/, '//') : value; // no credentials in logs
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
