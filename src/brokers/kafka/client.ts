/** kafkajs clients for ackcheck's own use (admin, producer, probes): quiet and bounded. */
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { BrokerInfo } from '../broker.ts';

// kafkajs 2 prints a partitioner notice on every producer; the default partitioner is what we want.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

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
