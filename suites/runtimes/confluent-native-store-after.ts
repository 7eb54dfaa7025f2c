/**
 * Confluent's native (librdkafka-style) `KafkaConsumer`, a consume() loop processing each message
 * before the next, auto-commit (100 ms) with `enable.auto.offset.store: false` and
 * `offsetsStore(offset + 1)` after processing: the auto-commit covers processed messages only.
 */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { confluentNativeRuntime } from './confluent-native-config.ts';

export const createRuntime: RuntimeFactory = () =>
  confluentNativeRuntime({
    name: 'confluent native KafkaConsumer, auto-commit, offsetsStore after processing',
    offsetStore: 'after-processing',
  });
