import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/ackcheck.ts', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ackcheck CLI', { timeout: 60_000 }, () => {
  it('prints help with examples and exits 0', () => {
    const r = run(['brokers', 'up', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ ackcheck brokers up/);
  });

  it('exits 2 with the accepted values on an unknown broker', () => {
    const r = run(['brokers', 'up', '--broker', 'kafka-0.8']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown broker "kafka-0.8"; expected one of: kafka-3.9, kafka-4.4/);
  });

  it('exits 2 with one clear paragraph when Docker is unreachable', () => {
    const r = run(['brokers', 'status'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ackcheck: Docker engine unreachable at unix:\/\/\/nonexistent\.sock/);
    expect(r.stderr).toMatch(/\[DOCKER_UNREACHABLE\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints help with examples for certify, replay and demo', () => {
    for (const command of ['certify', 'replay', 'demo']) {
      const r = run([command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Examples:\\n\\s+\\$ ackcheck ${command}`));
      expect(r.stdout).toMatch(/Exit codes: 0 /);
    }
  });

  it('certify: exits 2 with advice on a missing processor module, before any broker starts', () => {
    const r = run(['certify', 'no/such/processor.ts'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^ackcheck: processor module not found: .*no\/such\/processor\.ts\. Pass the path of a \.ts or \.js file/,
    );
    expect(r.stderr).toMatch(/\[PROCESSOR_NOT_FOUND\]/);
    const json = run(['certify', 'no/such/processor.ts', '--json']);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      error: { code: 'PROCESSOR_NOT_FOUND', message: expect.stringMatching(/processor module not found/) },
    });
  });

  it('certify: exits 2 when the module is not a processor, naming what is missing', () => {
    const r = run(['certify', fileURLToPath(new URL('./options.ts', import.meta.url))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /does not export a processor: .*process\(message, ctx\), reset\(namespace\) and snapshot/,
    );
  });

  it('certify: exits 2 on bad option values, naming the accepted ones', () => {
    const upsert = fileURLToPath(new URL('../../fixtures/processors/sqlite-upsert.ts', import.meta.url));
    const faults = run(['certify', upsert, '--faults', 'consumer-kill,disk-full']);
    expect(faults.status).toBe(2);
    expect(faults.stderr).toMatch(
      /--faults: unknown fault kind\(s\) "disk-full"; expected a comma list of: consumer-kill/,
    );
    const semantics = run(['certify', upsert, '--semantics', 'exactly-once']);
    expect(semantics.status).toBe(2);
    expect(semantics.stderr).toMatch(/Allowed choices are at-least-once, at-most-once, both/);
    const external = run(['certify', upsert], { ACKCHECK_KAFKA_BOOTSTRAP: 'no-port' });
    expect(external.status).toBe(2);
    expect(external.stderr).toMatch(
      /ACKCHECK_KAFKA_BOOTSTRAP: expected host:port \(e\.g\. localhost:9092\), got "no-port"/,
    );
  });

  it('certify: exits 2 with one clear paragraph when Docker is unreachable', () => {
    const upsert = fileURLToPath(new URL('../../fixtures/processors/sqlite-upsert.ts', import.meta.url));
    const r = run(['certify', upsert, '--runs', '1'], {
      DOCKER_HOST: 'unix:///nonexistent.sock',
      ACKCHECK_KAFKA_BOOTSTRAP: '',
      ACKCHECK_AMQP_URL: '',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Docker engine unreachable at unix:\/\/\/nonexistent\.sock/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('certify: exits 2 naming the field when the config file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ackcheck-cli-config-'));
    writeFileSync(join(dir, 'ackcheck.config.json'), JSON.stringify({ processors: ['./p.ts'], runs: -1 }));
    const r = spawnSync(process.execPath, [cli, 'certify'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ackcheck\.config\.json is invalid:\n {2}- runs: expected a positive integer/);
  });

  it('replay: exits 2 on a file that is not a scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ackcheck-cli-replay-'));
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    const r = run(['replay', join(dir, 'x.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not an ackcheck scenario file \(written by certify\)/);
    expect(run(['replay', join(dir, 'missing.json')]).stderr).toMatch(/cannot read scenario file/);
  });

  it('certify: exits 2 with advice when an external broker does not answer', () => {
    const upsert = fileURLToPath(new URL('../../fixtures/processors/sqlite-upsert.ts', import.meta.url));
    const r = run(['certify', upsert, '--broker', 'rabbitmq', '--runs', '1'], {
      ACKCHECK_AMQP_URL: 'amqp://guest:guest@127.0.0.1:1',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /the external rabbitmq broker \(external amqp:\/\/127\.0\.0\.1:1\) did not answer clients .*unset ACKCHECK_AMQP_URL/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
