import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ackcheck CLI', () => {
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
});
