/**
 * Confluent's native (librdkafka-style) `KafkaConsumer`, a consume() loop processing each message
 * before the next, on librdkafka's defaults for commits: `enable.auto.commit` and
 * `enable.auto.offset.store` true (the offset is stored when the message is handed over, before
 * it is processed), `auto.commit.interval.ms` 100.
 */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { confluentNativeRuntime } from './confluent-native-config.ts';

export const createRuntime: RuntimeFactory = () =>
  confluentNativeRuntime({
    name: 'confluent native KafkaConsumer, auto-commit, auto offset store',
    offsetStore: 'auto',
  });
