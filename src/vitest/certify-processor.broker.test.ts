/**
 * certifyProcessor() in a user's vitest project: a child `vitest run` of the sample project
 * in __fixtures__/sample (its own config and the ackcheck global setup), reaching this test
 * process's RabbitMQ as an external broker. The correct processor's test passes, the broken
 * one's fails with a readable verdict, and `--shard` splits the test files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokers } from './index.ts';

const config = fileURLToPath(new URL('./__fixtures__/sample/vitest.config.ts', import.meta.url));
const vitestBin = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');
const rabbit = brokers('rabbitmq').at(-1);

function vitest(args: string[], env: Record<string, string>, timeoutMs = 150_000) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [vitestBin, ...args, '--config', config], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vitest ${args.join(' ')} did not end within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

interface JsonReport {
  testResults: Array<{
    name: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

describe.runIf(rabbit)('certifyProcessor in a vitest project', () => {
  const env = {
    ACKCHECK_BROKERS: 'rabbitmq-4.0',
    ACKCHECK_AMQP_URL: rabbit?.amqpUrl as string,
    SAMPLE_REPORT_DIR: mkdtempSync(join(tmpdir(), 'ackcheck-sample-')),
  };

  it('passes the correct processor and fails the broken one with the verdict and replay command', async () => {
    const out = join(env.SAMPLE_REPORT_DIR, 'vitest.json');
    const r = await vitest(['run', '--reporter=json', `--outputFile=${out}`], env);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1); // one test fails
    const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
    const tests = report.testResults.flatMap((f) => f.assertionResults);
    expect(tests.map((t) => [t.fullName, t.status]).sort()).toEqual([
      ['ackcheck sqlite-increment.ts rabbitmq-4.0 at-least-once', 'failed'],
      ['ackcheck sqlite-upsert.ts rabbitmq-4.0 at-least-once', 'passed'],
    ]);
    const failure = tests.find((t) => t.status === 'failed')?.failureMessages.join('\n') ?? '';
    expect(failure).toMatch(
      /AckcheckViolation: FAIL .*sqlite-increment(\.ts)? on rabbitmq-4\.0 \(at-least-once\)/,
    );
    expect(failure).toMatch(/final-state \(idempotent-state, violation\): /);
    expect(failure).toMatch(/replay: ackcheck replay \S+counterexample-rabbitmq-\d+\.json/);
  });

  it('splits the processors across shards', async () => {
    // Each shard collects its test files; a name pattern that matches nothing skips the runs.
    const names = async (shard: string) => {
      const out = join(env.SAMPLE_REPORT_DIR, `shard-${shard.replace('/', '-of-')}.json`);
      await vitest(
        [
          'run',
          `--shard=${shard}`,
          '-t',
          '^collect only$',
          '--passWithNoTests',
          '--reporter=json',
          `--outputFile=${out}`,
        ],
        env,
        90_000,
      );
      const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
      return report.testResults.flatMap((f) => f.assertionResults.map((t) => t.fullName));
    };
    const first = await names('1/2');
    const second = await names('2/2');
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect([...first, ...second].sort()).toEqual([
      'ackcheck sqlite-increment.ts rabbitmq-4.0 at-least-once',
      'ackcheck sqlite-upsert.ts rabbitmq-4.0 at-least-once',
    ]);
  });
});
