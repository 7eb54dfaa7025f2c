/**
 * How a RabbitMQ container is launched: the image's own command. ackcheck's local image sets
 * `loopback_users = none` and logs to stdout; the upstream image does both by default.
 * The AMQP port is published on a fixed host port so the URL survives restarts.
 *
 * The consumer timeout (default 30 minutes) is lowered for tests by two files copied into
 * the container at start, so that a `consumer-stall` fault costs seconds, not half an hour:
 * `consumer_timeout` in a conf.d snippet, and the channel tick that checks it (default once a
 * minute, which is why the documentation says values below a minute are not supported) in
 * `advanced.config`. Measured on 3.10 and 4.0, classic and quorum queues: a delivery left
 * unacknowledged closes its channel 3.1–3.3 s after delivery with a 3 s timeout and a
 * 0.5 s tick (406 PRECONDITION_FAILED "delivery acknowledgement … timed out"). The values are
 * recorded in the container's labels, so that a shared broker is described by its own.
 *
 * The local image's launcher (its CMD) is copied in at start too, so that a local image built
 * before it changed gets it: it execs the broker's start script as PID 1, which stops the broker
 * gracefully on SIGTERM. The older launcher left a shell as PID 1 that ignored SIGTERM, so a
 * `broker-restart` waited out Docker's 10 s grace and was a SIGKILL. The upstream image does not
 * run this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConsumerTimeout, ContainerRecipe } from '../container/recipe.ts';

const LAUNCHER = 'docker/rabbitmq/overlay/usr/local/bin/ackcheck-rabbitmq';
/** The launcher in this checkout (src/brokers/rabbitmq/) or in the installed package (dist/src/brokers/rabbitmq/). */
const launcherFile = ['../../../', '../../../../']
  .map((up) => new URL(up + LAUNCHER, import.meta.url))
  .find((url) => existsSync(url));

/** The local image's launcher (docker/rabbitmq/overlay/usr/local/bin/ackcheck-rabbitmq). */
export const RABBITMQ_LAUNCHER = launcherFile && {
  target: '/usr/local/bin/ackcheck-rabbitmq',
  content: readFileSync(launcherFile, 'utf8'),
  mode: 0o755,
};

/**
 * 4 s: past the longest hold of the other faults (a paused broker or a blackholed path, at most
 * 3 s, HOLD_MS in src/generate/_internals/fault-plan.ts), so that those do not take deliveries back too; checked every
 * 0.5 s. A stall past it costs 4-4.5 s until the broker takes the delivery back (it was 5 s
 * checked every second: 5-6 s; the stall is the longest of RabbitMQ's default fault runs).
 */
export const RABBITMQ_CONSUMER_TIMEOUT: ConsumerTimeout = { timeoutMs: 4_000, checkMs: 500 };
/** What every ackcheck before the settings labels configured (src/brokers/container/settings.ts). */
const CONSUMER_TIMEOUT_BEFORE_LABELS: ConsumerTimeout = { timeoutMs: 5_000, checkMs: 1_000 };

export const rabbitmqRecipe: ContainerRecipe = {
  containerPort: () => 5672,
  environment: () => ({}),
  files: [
    // Not found (a package without docker/): the image keeps the launcher it was built with.
    ...(RABBITMQ_LAUNCHER ? [RABBITMQ_LAUNCHER] : []),
    {
      target: '/etc/rabbitmq/conf.d/90-ackcheck.conf',
      content: `# ackcheck: a stalled consumer loses its deliveries after ${RABBITMQ_CONSUMER_TIMEOUT.timeoutMs} ms\nconsumer_timeout = ${RABBITMQ_CONSUMER_TIMEOUT.timeoutMs}\n`,
    },
    {
      target: '/etc/rabbitmq/advanced.config',
      content: `%% ackcheck: check the consumer timeout every ${RABBITMQ_CONSUMER_TIMEOUT.checkMs} ms (default: every minute)\n[{rabbit, [{channel_tick_interval, ${RABBITMQ_CONSUMER_TIMEOUT.checkMs}}]}].\n`,
    },
  ],
  readyLog: /Server startup complete/,
  addresses: (host, port) => ({ amqpUrl: `amqp://guest:guest@${host}:${port}` }),
  settings: { consumerTimeout: RABBITMQ_CONSUMER_TIMEOUT },
  settingsBeforeLabels: { consumerTimeout: CONSUMER_TIMEOUT_BEFORE_LABELS },
};
