/**
 * How a RabbitMQ container is launched: the image's own command. ackcheck's local image sets
 * `loopback_users = none` and logs to stdout; the upstream image does both by default.
 * The AMQP port is published on a fixed host port so the URL survives restarts.
 */
import type { ContainerRecipe } from '../recipe.ts';

export const rabbitmqRecipe: ContainerRecipe = {
  containerPort: () => 5672,
  environment: () => ({}),
  readyLog: /Server startup complete/,
  addresses: (host, port) => ({ amqpUrl: `amqp://guest:guest@${host}:${port}` }),
};
