import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../model/fault.ts';
import { StartedBroker } from './started-broker.ts';
import { externalBroker, needsContainer } from './external.ts';

describe('externalBroker', () => {
  it('is undefined when the variable for the kind is unset or empty', () => {
    expect(externalBroker('kafka-4.4', {})).toBeUndefined();
    expect(
      externalBroker('rabbitmq-4.0', { ACKCHECK_AMQP_URL: '  ', ACKCHECK_KAFKA_BOOTSTRAP: 'k:9092' }),
    ).toBeUndefined();
  });

  it('reads Kafka bootstrap servers', () => {
    expect(externalBroker('kafka-3.9', { ACKCHECK_KAFKA_BOOTSTRAP: 'k1:9092, k2:9093' })).toMatchObject({
      id: 'kafka-3.9',
      kind: 'kafka',
      external: true,
      containerId: '',
      host: 'k1',
      port: 9092,
      bootstrapServers: ['k1:9092', 'k2:9093'],
    });
  });

  it('reads an AMQP URL, with the default port, and keeps credentials out of the display name', () => {
    const info = externalBroker('rabbitmq-4.0', { ACKCHECK_AMQP_URL: 'amqp://u:secret@mq.internal/vhost' });
    expect(info).toMatchObject({ kind: 'rabbitmq', host: 'mq.internal', port: 5672, external: true });
    expect(info?.amqpUrl).toBe('amqp://u:secret@mq.internal/vhost');
    expect(info?.containerName).toBe('external amqp://mq.internal/vhost');
  });

  it('rejects malformed values with what to write instead', () => {
    expect(() => externalBroker('kafka-4.4', { ACKCHECK_KAFKA_BOOTSTRAP: 'localhost' })).toThrow(
      /ACKCHECK_KAFKA_BOOTSTRAP: expected host:port \(e\.g\. localhost:9092\), got "localhost"/,
    );
    expect(() => externalBroker('kafka-4.4', { ACKCHECK_KAFKA_BOOTSTRAP: 'a:9092,b:99999' })).toThrow(
      /got "b:99999"/,
    );
    expect(() => externalBroker('rabbitmq-3.10', { ACKCHECK_AMQP_URL: 'http://mq:5672' })).toThrow(
      /ACKCHECK_AMQP_URL: expected an AMQP URL such as amqp:\/\/guest:guest@localhost:5672/,
    );
  });
});

describe('container faults', () => {
  it('are the broker and network kinds', () => {
    expect(FAULT_KINDS.filter(needsContainer)).toEqual([
      'broker-restart',
      'broker-kill',
      'broker-pause',
      'network-cut',
      'network-blackhole',
      'network-latency',
    ]);
  });

  it('cannot be injected on an external broker: a clear error, no Docker call', async () => {
    const info = externalBroker('kafka-4.4', { ACKCHECK_KAFKA_BOOTSTRAP: 'k:9092' });
    const broker = new StartedBroker(info as NonNullable<typeof info>, false);
    await expect(broker.injectFault('restart')).rejects.toThrow(
      /kafka-4\.4 is an external broker \(external k:9092\): ackcheck has no container to restart, kill or pause/,
    );
    await expect(broker.stop()).resolves.toBeUndefined();
  });
});
