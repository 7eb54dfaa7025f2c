/** kafkajs clients for ackcheck's own use (admin, producer, probes): quiet and bounded. */
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { BrokerInfo } from '../container/started-broker.ts';

// kafkajs 2 prints a partitioner notice on every producer; the default partitioner is what we want.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

// kafkajs 2.2.4 computes a negative timer delay in its request queue
// (requestQueue/index.js, scheduleCheckPendingRequests); Node >= 24 warns about it on every
// response. The timer still fires at once, as kafkajs intends; only that warning is dropped.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const name = typeof warning === 'string' ? rest[0] : warning.name;
  const type = typeof name === 'object' && name !== null ? (name as { type?: string }).type : name;
  if (type === 'TimeoutNegativeWarning') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const LOG_LEVELS: Record<string, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function kafkaClient(
  info: Pick<BrokerInfo, 'bootstrapServers'>,
  config: Partial<KafkaConfig> = {},
): Kafka {
  if (!info.bootstrapServers?.length) throw new TypeError('not a Kafka broker: no bootstrapServers');
  return new Kafka({
    clientId: 'ackcheck',
    brokers: [...info.bootstrapServers],
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    // ACKCHECK_KAFKAJS_LOG=info shows what kafkajs does; by default it is silent.
    logLevel: LOG_LEVELS[process.env.ACKCHECK_KAFKAJS_LOG ?? 'nothing'] ?? logLevel.NOTHING,
    ...config,
  });
}
