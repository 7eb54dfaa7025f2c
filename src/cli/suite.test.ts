import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../bin/ackcheck.ts', import.meta.url));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ackcheck suite', { timeout: 60_000 }, () => {
  it('lists the suites and examples in its help', () => {
    const r = run(['suite', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/runtimes, kafka-client-configs, kafka-clients,\s+rabbitmq-queue-types/);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ ackcheck suite runtimes/);
  });

  it('exits 2 naming the suites on an unknown suite', () => {
    const r = run(['suite', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown suite "nope"; expected one of: runtimes, kafka-client-configs/);
  });

  it('exits 2 on a bad profile or an unknown cell, before starting a broker', () => {
    expect(run(['suite', 'runtimes', '--profile', 'medium']).status).toBe(2);
    const r = run(['suite', 'runtimes', '--cell', 'kafka-9/x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/suite runtimes has no cell kafka-9\/x; its cells: kafka-3.9\/at-least-once/);
  });

  it('exits 0 when the selection leaves no cell (nothing to fail)', () => {
    const r = run(['suite', 'kafka-client-configs', '--broker', 'rabbitmq-4.0']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/skipped \(broker not selected\): autocommit-interval/);
  });
});
