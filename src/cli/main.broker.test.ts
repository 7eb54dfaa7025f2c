/** The `ackcheck brokers` commands against the real Docker engine. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RABBITMQ_CONSUMER_TIMEOUT } from '../brokers/rabbitmq/recipe.ts';
import { brokers } from '../vitest/index.ts';

const cli = fileURLToPath(new URL('../../bin/ackcheck.ts', import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(brokers().some((b) => b.id === 'rabbitmq-4.0'))(
  'ackcheck brokers up / status / check / down',
  () => {
    afterAll(() => {
      run('brokers', 'down');
    });

    it('starts a shared broker, lists it, reuses it, and removes it', () => {
      const up = run('brokers', 'up', '--broker', 'rabbitmq-4.0', '--json');
      expect(up.stderr).toBe('');
      expect(up.status).toBe(0);
      const { brokers: started } = JSON.parse(up.stdout) as {
        brokers: Array<{ id: string; amqpUrl: string; scope: string; consumerTimeout?: unknown }>;
      };
      expect(started).toHaveLength(1);
      expect(started[0]).toMatchObject({ id: 'rabbitmq-4.0', scope: 'shared' });
      expect(started[0]?.amqpUrl).toMatch(/^amqp:\/\/guest:guest@127\.0\.0\.1:\d+$/);

      // A second `up` finds the same container instead of starting another.
      const again = JSON.parse(run('brokers', 'up', '--broker', 'rabbitmq-4.0', '--json').stdout) as {
        brokers: Array<{ amqpUrl: string; consumerTimeout?: unknown }>;
      };
      expect(again.brokers[0]?.amqpUrl).toBe(started[0]?.amqpUrl);
      // Described by the consumer timeout recorded in its labels when it was started.
      expect(started[0]?.consumerTimeout).toEqual(RABBITMQ_CONSUMER_TIMEOUT);
      expect(again.brokers[0]?.consumerTimeout).toEqual(RABBITMQ_CONSUMER_TIMEOUT);

      const status = JSON.parse(run('brokers', 'status', '--json').stdout) as {
        containers: Array<{ broker: string; scope: string; state: string }>;
      };
      expect(status.containers).toContainEqual(
        expect.objectContaining({ broker: 'rabbitmq-4.0', scope: 'shared', state: 'running' }),
      );

      const demo = run('brokers', 'check', '--broker', 'rabbitmq-4.0', '--messages', '200', '--json');
      expect(demo.status).toBe(0);
      const report = JSON.parse(demo.stdout) as { ok: boolean; brokers: Array<{ amqpUrl: string }> };
      expect(report.ok).toBe(true);
      expect(report.brokers[0]?.amqpUrl).toBe(started[0]?.amqpUrl); // reused the shared broker

      const down = run('brokers', 'down');
      expect(down.status).toBe(0);
      expect(down.stdout).toMatch(/removed .*ackcheck-shared-rabbitmq-4\.0/);
      const after = JSON.parse(run('brokers', 'status', '--json').stdout) as {
        containers: Array<{ scope: string }>;
      };
      expect(after.containers.filter((c) => c.scope === 'shared')).toEqual([]);
    });
  },
);
