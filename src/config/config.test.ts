import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineConfig, findConfigFile, loadConfig, parseConfig } from './index.ts';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ackcheck-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('parseConfig', () => {
  it('accepts a full configuration', () => {
    const config = defineConfig({
      processors: ['./a.ts', { path: './b.ts', semantics: ['at-least-once', 'at-most-once'] }],
      brokers: 'kafka,rabbitmq-4.0',
      runs: 10,
      timeLimit: 60_000,
      shrinkTimeLimit: 30_000,
      seed: -4,
      faults: ['consumer-kill', 'broker-restart'],
      maxMessages: 12,
      checkOrder: true,
      failOnStuckConsumer: false,
      reportDir: 'out',
      formats: ['json', 'html'],
      images: { 'kafka-4.4': 'apache/kafka:4.4.0' },
    });
    expect(parseConfig(config)).toEqual({
      ...config,
      processors: [{ path: './a.ts' }, { path: './b.ts', semantics: ['at-least-once', 'at-most-once'] }],
    });
    expect(parseConfig({})).toEqual({});
  });

  it('names each bad field and the accepted values', () => {
    const bad = {
      runs: 0,
      semantics: 'x',
      processors: [{ path: './a.ts', semantics: ['exactly-once'] }],
      faults: ['disk-full'],
      formats: ['pdf'],
      brokers: 'activemq',
      images: { 'kafka-0.8': 'x' },
    };
    let message = '';
    try {
      parseConfig(bad, 'ackcheck.config.ts');
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code?: string }).code).toBe('INVALID_OPTION');
    }
    expect(message).toMatch(/^ackcheck\.config\.ts is invalid:/);
    expect(message).toMatch(/- runs: expected a positive integer/);
    expect(message).toMatch(/unknown "semantics"; accepted fields: "processors", "brokers", "runs"/);
    expect(message).toMatch(/- processors\.0\.semantics\.0: expected one of "at-least-once", "at-most-once"/);
    expect(message).toMatch(/- faults\.0: expected one of "consumer-kill", .*"network-latency"/);
    expect(message).toMatch(/- formats\.0: expected one of "json", "junit", "html"/);
    expect(message).toMatch(/- brokers: unknown broker "activemq"; expected one of: kafka-3\.9/);
    expect(message).toMatch(/- images: unknown "kafka-0\.8"; accepted broker ids: "kafka-3\.9"/);
  });

  it('rejects a config that is not an object', () => {
    expect(() => parseConfig(42)).toThrow(/\(root\): expected an object \(export default defineConfig/);
  });
});

describe('loadConfig', () => {
  it('finds ackcheck.config.json in the working directory and resolves paths from its folder', async () => {
    const dir = project({
      'ackcheck.config.json': JSON.stringify({
        processors: ['./p.ts', { path: 'q.ts', runtime: 'rt.ts' }],
        reportDir: 'out',
        runs: 3,
      }),
    });
    const { file, config } = await loadConfig(dir);
    expect(file).toBe(join(dir, 'ackcheck.config.json'));
    expect(config).toEqual({
      processors: [{ path: join(dir, 'p.ts') }, { path: join(dir, 'q.ts'), runtime: join(dir, 'rt.ts') }],
      reportDir: join(dir, 'out'),
      runs: 3,
    });
  });

  it('loads a TypeScript config (default export), preferring it over .json', async () => {
    const dir = project({
      'ackcheck.config.ts': 'const runs: number = 4;\nexport default { runs, brokers: ["kafka"] };\n',
      'ackcheck.config.json': '{"runs": 99}',
    });
    expect((await loadConfig(dir)).config).toEqual({ runs: 4, brokers: ['kafka'] });
  });

  it('loads a TypeScript config through the project tsconfig: enums and paths aliases', async () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['shared/*'] } },
      }),
      'ackcheck.config.ts': [
        "import { RUNS } from '@shared/runs';",
        'enum Broker { Kafka = "kafka" }',
        'export default { runs: RUNS, brokers: [Broker.Kafka] };',
      ].join('\n'),
    });
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'runs.ts'), 'export const RUNS = 7;\n');
    expect((await loadConfig(dir)).config).toEqual({ runs: 7, brokers: ['kafka'] });
  });

  it('returns an empty config when there is no file; --config must exist', async () => {
    const dir = project({});
    expect(await loadConfig(dir)).toEqual({ config: {} });
    expect(() => findConfigFile(dir, 'missing.ts')).toThrow(/--config: .*missing\.ts does not exist/);
  });

  it('reports a file that does not parse, with what it must contain', async () => {
    const dir = project({ 'ackcheck.config.json': '{ runs: ' });
    await expect(loadConfig(dir)).rejects.toThrow(
      /cannot load .*ackcheck\.config\.json: .*\.json config holds the same object/,
    );
    const bad = project({ 'ackcheck.config.mjs': 'export default { runs: "ten" };' });
    await expect(loadConfig(bad)).rejects.toThrow(
      /ackcheck\.config\.mjs is invalid:\n {2}- runs: expected a positive integer/,
    );
  });
});
