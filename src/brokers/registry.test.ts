import { describe, expect, it } from 'vitest';
import {
  BROKER_IDS,
  BROKER_VERSIONS,
  brokerVersion,
  parseBrokerSelection,
  resolveBrokerId,
} from './registry.ts';

describe('broker catalog', () => {
  it('has a local image, an upstream image and an override variable for every broker', () => {
    expect(BROKER_VERSIONS.map((b) => b.id)).toEqual([...BROKER_IDS]);
    for (const b of BROKER_VERSIONS) {
      expect(b.localImage).toMatch(/^ackcheck\//);
      expect(b.upstreamImage).not.toMatch(/^ackcheck\//);
      expect(b.imageEnv).toMatch(/^ACKCHECK_IMAGE_[A-Z0-9_]+$/);
    }
  });

  it('parses kinds, ids and "all"', () => {
    expect(parseBrokerSelection('kafka')).toEqual(['kafka-3.9', 'kafka-4.4']);
    expect(parseBrokerSelection('rabbitmq-4.0, kafka-3.9')).toEqual(['rabbitmq-4.0', 'kafka-3.9']);
    expect(parseBrokerSelection('all')).toHaveLength(4);
  });

  it('takes a broker kind wherever one broker is named: its newest version', () => {
    expect(resolveBrokerId('kafka')).toBe('kafka-4.4');
    expect(resolveBrokerId('rabbitmq')).toBe('rabbitmq-4.0');
    expect(brokerVersion('kafka').version).toBe('4.4.0');
    expect(resolveBrokerId('kafka-3.9')).toBe('kafka-3.9');
    expect(() => resolveBrokerId('all')).toThrow(/unknown broker "all".*kafka, rabbitmq/);
  });

  it('rejects unknown brokers, naming the accepted ones', () => {
    expect(() => parseBrokerSelection('kafka-2.8')).toThrow(
      /unknown broker "kafka-2.8"; expected one of: kafka-3.9/,
    );
    expect(() => parseBrokerSelection(' , ')).toThrow(/no broker selected/);
    expect(() => brokerVersion('redis')).toThrow(RangeError);
  });
});
