import { describe, expect, it } from 'vitest';
import {
  applyImages,
  clientApplies,
  collapseExternal,
  newestBrokers,
  parseDuration,
  parseFaults,
  parseFormats,
  parseSemantics,
  resolvePlan,
} from './options.ts';

const cwd = '/project';
const noEnv = {};

describe('certify option values', () => {
  it('parses semantics, with both', () => {
    expect(parseSemantics('both')).toEqual(['at-least-once', 'at-most-once']);
    expect(parseSemantics('at-most-once')).toEqual(['at-most-once']);
    expect(() => parseSemantics('exactly-once')).toThrow(
      /--semantics: expected one of at-least-once, at-most-once, both, got "exactly-once"/,
    );
  });

  it('parses durations with units; a bare number is seconds', () => {
    expect(parseDuration('90s', '--time-limit')).toBe(90_000);
    expect(parseDuration('2m', '--time-limit')).toBe(120_000);
    expect(parseDuration('1500ms', '--time-limit')).toBe(1_500);
    expect(parseDuration('30', '--time-limit')).toBe(30_000);
    expect(() => parseDuration('soon', '--time-limit')).toThrow(
      /--time-limit: expected a duration such as 90s/,
    );
    expect(() => parseDuration('0s', '--time-limit')).toThrow(/--time-limit/);
  });

  it('validates fault kinds and names the accepted ones', () => {
    expect(parseFaults('consumer-kill, broker-restart,consumer-kill')).toEqual([
      'consumer-kill',
      'broker-restart',
    ]);
    expect(() => parseFaults('consumer-kill,disk-full')).toThrow(
      /--faults: unknown fault kind\(s\) "disk-full"; expected a comma list of: consumer-kill, processor-throw/,
    );
    expect(() => parseFaults(' , ')).toThrow(/--faults: empty list/);
  });

  it('validates report formats', () => {
    expect(parseFormats('json,junit')).toEqual(['json', 'junit']);
    expect(() => parseFormats('pdf')).toThrow(
      /--format: unknown format\(s\) "pdf"; expected a comma list of: json, junit, html/,
    );
  });
});

describe('resolvePlan', () => {
  it('defaults to the newest kafka and rabbitmq, at-least-once, with default budgets', () => {
    const plan = resolvePlan('./p.ts', {}, {}, cwd, noEnv);
    expect(newestBrokers()).toEqual(['kafka-4.4', 'rabbitmq-4.0']);
    expect(plan.cells).toEqual([
      { processor: '/project/p.ts', broker: 'kafka-4.4', semantics: 'at-least-once' },
      { processor: '/project/p.ts', broker: 'rabbitmq-4.0', semantics: 'at-least-once' },
    ]);
    expect(plan).toMatchObject({
      runs: 20,
      timeLimit: 600_000,
      shrinkTimeLimit: 120_000,
      maxMessages: 20,
      reportDir: '/project/.ackcheck/report',
      formats: ['json', 'junit', 'html'],
    });
    expect(plan.faults).toBeUndefined();
    expect(plan.seed).toBeUndefined();
    expect(plan.checkOrder).toBeUndefined(); // certify() picks its per-broker default
    expect(plan.failOnStuckConsumer).toBe(false);
  });

  it('takes the order check and the stuck-consumer rule from flags over the config', () => {
    const config = { checkOrder: true, failOnStuckConsumer: true };
    expect(resolvePlan('./p.ts', {}, config, cwd, noEnv)).toMatchObject(config);
    const flags = { checkOrder: false, failOnStuckConsumer: false };
    expect(resolvePlan('./p.ts', flags, config, cwd, noEnv)).toMatchObject(flags);
    expect(resolvePlan('./p.ts', { checkOrder: true }, {}, cwd, noEnv).checkOrder).toBe(true);
  });

  it('takes the client from the flag over the config, and applies it only to brokers that have it', () => {
    const plan = resolvePlan('p.ts', { client: 'amqplib' }, { client: 'kafkajs' }, cwd, noEnv);
    expect(plan.client).toBe('amqplib');
    expect(clientApplies(plan.client, 'rabbitmq-4.0')).toBe(true);
    expect(clientApplies(plan.client, 'kafka-4.4')).toBe(false);
    expect(() => resolvePlan('p.ts', { client: 'librdkafka' }, {}, cwd, noEnv)).toThrow(
      /--client librdkafka: no selected broker has that client; expected one of: kafkajs \(kafka\)/,
    );
    expect(() => resolvePlan('p.ts', { client: 'amqplib', broker: 'kafka' }, {}, cwd, noEnv)).toThrow(
      /--client/,
    );
  });

  it('builds one cell per processor × broker × semantics', () => {
    const plan = resolvePlan('p.ts', { broker: 'kafka', semantics: 'both' }, {}, cwd, noEnv);
    expect(plan.cells.map((c) => `${c.broker}/${c.semantics}`)).toEqual([
      'kafka-3.9/at-least-once',
      'kafka-3.9/at-most-once',
      'kafka-4.4/at-least-once',
      'kafka-4.4/at-most-once',
    ]);
  });

  it('takes processors and settings from the config; flags override them', () => {
    const config = {
      processors: [
        '/cfg/a.ts',
        { path: '/cfg/b.ts', semantics: ['at-most-once' as const], runtime: '/cfg/rt.ts' },
      ],
      brokers: ['rabbitmq-3.10'],
      runs: 7,
      timeLimit: 5_000,
      seed: 3,
      faults: ['consumer-kill' as const],
      reportDir: '/cfg/out',
      formats: ['junit' as const],
    };
    const fromConfig = resolvePlan(undefined, {}, config, cwd, noEnv);
    expect(fromConfig.cells).toEqual([
      { processor: '/cfg/a.ts', broker: 'rabbitmq-3.10', semantics: 'at-least-once' },
      { processor: '/cfg/b.ts', broker: 'rabbitmq-3.10', semantics: 'at-most-once', runtime: '/cfg/rt.ts' },
    ]);
    expect(fromConfig).toMatchObject({
      runs: 7,
      timeLimit: 5_000,
      seed: 3,
      faults: ['consumer-kill'],
      reportDir: '/cfg/out',
      formats: ['junit'],
    });

    const overridden = resolvePlan(
      undefined,
      {
        broker: 'kafka-4.4',
        runs: '2',
        timeLimit: '1m',
        seed: '9',
        faults: 'processor-throw',
        reportDir: 'r',
        format: 'json',
        semantics: 'at-least-once',
      },
      config,
      cwd,
      noEnv,
    );
    expect(overridden.cells.map((c) => [c.processor, c.broker, c.semantics])).toEqual([
      ['/cfg/a.ts', 'kafka-4.4', 'at-least-once'],
      ['/cfg/b.ts', 'kafka-4.4', 'at-least-once'],
    ]);
    expect(overridden).toMatchObject({
      runs: 2,
      timeLimit: 60_000,
      seed: 9,
      faults: ['processor-throw'],
      reportDir: '/project/r',
      formats: ['json'],
    });
  });

  it('asks for a processor when neither the command line nor the config names one', () => {
    expect(() => resolvePlan(undefined, {}, {}, cwd, noEnv)).toThrow(
      /no processor to certify: name a processor module .* or list processors in ackcheck\.config\.ts/,
    );
  });

  it('takes --concurrency from the flag, else the config, else leaves the default to certify()', () => {
    expect(resolvePlan('p.ts', { concurrency: '3' }, { concurrency: 2 }, cwd, noEnv).concurrency).toBe(3);
    expect(resolvePlan('p.ts', {}, { concurrency: 2 }, cwd, noEnv).concurrency).toBe(2);
    expect(resolvePlan('p.ts', {}, {}, cwd, noEnv).concurrency).toBeUndefined();
    expect(() => resolvePlan('p.ts', { concurrency: '0' }, {}, cwd, noEnv)).toThrow(
      /--concurrency: expected a positive integer, got "0"/,
    );
  });

  it('rejects bad numbers and brokers with the option name and accepted values', () => {
    expect(() => resolvePlan('p.ts', { runs: '0' }, {}, cwd, noEnv)).toThrow(
      /--runs: expected a positive integer, got "0"/,
    );
    expect(() => resolvePlan('p.ts', { maxMessages: 'many' }, {}, cwd, noEnv)).toThrow(
      /--max-messages: expected a positive integer/,
    );
    expect(() => resolvePlan('p.ts', { seed: '1.5' }, {}, cwd, noEnv)).toThrow(
      /--seed: expected an integer, got "1.5"/,
    );
    expect(() => resolvePlan('p.ts', { broker: 'activemq' }, {}, cwd, noEnv)).toThrow(
      /--broker: unknown broker "activemq".*Accepted: kafka, rabbitmq, all/,
    );
  });
});

describe('external brokers in the plan', () => {
  it('collapses the ids of an external kind into one and says so', () => {
    const env = { ACKCHECK_KAFKA_BOOTSTRAP: 'ci-kafka:9092' };
    const { ids, notices } = collapseExternal(['kafka-3.9', 'kafka-4.4', 'rabbitmq-4.0'], env);
    expect(ids).toEqual(['kafka-4.4', 'rabbitmq-4.0']);
    expect(notices).toEqual([
      expect.stringMatching(
        /ACKCHECK_KAFKA_BOOTSTRAP is set: kafka runs use the external broker at ci-kafka:9092 \(as kafka-4\.4\); no container is started \(kafka-3\.9 left out/,
      ),
    ]);
    expect(collapseExternal(['kafka-3.9', 'kafka-4.4'], {}).ids).toEqual(['kafka-3.9', 'kafka-4.4']);
  });

  it('does not print AMQP credentials', () => {
    const { notices } = collapseExternal(['rabbitmq-4.0'], {
      ACKCHECK_AMQP_URL: 'amqp://user:secret@mq:5672',
    });
    expect(notices[0]).toContain('amqp://mq:5672');
    expect(notices[0]).not.toContain('secret');
  });
});

describe('applyImages', () => {
  it('sets image variables from the config unless the environment already names one', () => {
    const env: NodeJS.ProcessEnv = { ACKCHECK_IMAGE_RABBITMQ_4_0: 'mine/rabbit:4' };
    applyImages({ 'kafka-4.4': 'apache/kafka:4.4.0', 'rabbitmq-4.0': 'rabbitmq:4.0' }, env);
    expect(env).toEqual({
      ACKCHECK_IMAGE_KAFKA_4_4: 'apache/kafka:4.4.0',
      ACKCHECK_IMAGE_RABBITMQ_4_0: 'mine/rabbit:4',
    });
  });
});
