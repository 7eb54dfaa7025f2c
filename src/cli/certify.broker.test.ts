/**
 * `ackcheck certify` and `ackcheck replay` as a user runs them: the real CLI in a child
 * process. The child reaches the broker of this test process through ACKCHECK_AMQP_URL, i.e.
 * in external mode (no container of its own), which also proves that mode on a real broker.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docker } from '../brokers/container/docker.ts';
import { brokers } from '../vitest/index.ts';

const cli = fileURLToPath(new URL('../../bin/ackcheck.ts', import.meta.url));
const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/processors/${p}`, import.meta.url));
const rabbit = brokers('rabbitmq').at(-1);

/** Runs the CLI; every run has a deadline (the child is killed at it, and the test fails). */
function run(args: string[], env: Record<string, string> = {}, timeoutMs = 150_000) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ackcheck ${args.join(' ')} did not end within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface JsonOutput {
  ok: boolean;
  results: Array<{
    ok: boolean;
    broker: string;
    semantics: string;
    runs: number;
    seed: number;
    errors: string[];
    counterexample?: { file: string; replay: string; findings: Array<{ code: string; violation: boolean }> };
  }>;
  notices: string[];
  reports: { json?: string };
}

describe.runIf(rabbit)('ackcheck certify / replay on an external broker', () => {
  const info = rabbit as NonNullable<typeof rabbit>;
  const env = { ACKCHECK_AMQP_URL: info.amqpUrl as string };
  const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-cli-'));
  const startedAt = async () =>
    (await (await docker()).getContainer(info.containerId).inspect()).State.StartedAt;

  it('certifies a correct processor without Docker: exit 0, JSON shape, container faults skipped with a notice', async () => {
    const before = await startedAt();
    const r = await run(
      [
        'certify',
        fixture('sqlite-upsert.ts'),
        '--broker',
        'rabbitmq',
        '--runs',
        '2',
        '--max-messages',
        '4',
        '--faults',
        'consumer-kill,broker-restart',
        '--seed',
        '11',
        '--time-limit',
        '60s',
        '--report-dir',
        reportDir,
        '--format',
        'json',
        '--json',
      ],
      // External mode needs no Docker engine at all: the child gets none.
      { ...env, DOCKER_HOST: 'unix:///nonexistent.sock' },
    );
    expect(r.stderr).toBe('');
    expect(r.status, r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.ok).toBe(true);
    // rabbitmq expands to every RabbitMQ id; the one external broker stands in for all of them.
    expect(out.results).toHaveLength(1);
    expect(out.results[0]).toMatchObject({
      ok: true,
      broker: 'rabbitmq-4.0',
      semantics: 'at-least-once',
      runs: 2,
      seed: 11,
      errors: [],
    });
    expect(out.notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ACKCHECK_AMQP_URL is set: rabbitmq runs use the external broker/),
        expect.stringMatching(/is external .*skipping fault kinds that need its container: broker-restart/),
      ]),
    );
    expect(out.reports.json && existsSync(out.reports.json)).toBe(true);
    expect(await startedAt()).toBe(before); // the broker was never restarted
  });

  it('catches a broken processor: exit 1, a replay file, and replay exits 1 too', async () => {
    const r = await run(
      [
        'certify',
        fixture('sqlite-increment.ts'),
        '--broker',
        'rabbitmq-4.0',
        '--runs',
        '6',
        '--max-messages',
        '5',
        '--faults',
        'consumer-kill',
        '--seed',
        '7',
        '--shrink-time-limit',
        '5s',
        '--report-dir',
        reportDir,
      ],
      env,
    );
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(/\[1\/1\] sqlite-increment\.ts on rabbitmq-4\.0 \(at-least-once\)/); // line progress (CI)
    expect(r.stdout).not.toContain(String.fromCharCode(27)); // no colour when not a terminal
    expect(r.stdout).toMatch(
      /sqlite-increment\.ts\s+rabbitmq-4\.0\s+at-least-once\s+rabbitmq-at-least-once\s+FAIL/,
    ); // summary table (with the runtime column)
    expect(r.stdout).toMatch(/final-state \(idempotent-state, violation\): The final state differs/);
    const file = /replay: ackcheck replay (\S+\.json)/.exec(r.stdout)?.[1];
    expect(file && existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file as string, 'utf8'))).toMatchObject({
      ackcheck: 1,
      broker: 'rabbitmq-4.0',
    });

    const again = await run(['replay', file as string, '--json', '--report-dir', reportDir], env);
    expect(again.status, again.stderr).toBe(1);
    const verdict = JSON.parse(again.stdout) as {
      ok: boolean;
      valid: boolean;
      findings: Array<{ code: string; violation: boolean }>;
    };
    expect(verdict).toMatchObject({ ok: false, valid: false });
    expect(verdict.findings.filter((f) => f.violation).map((f) => f.code)).toContain('final-state');
  });
});
