/**
 * A container's configuration facts (the RabbitMQ consumer timeout) travel with it in its
 * labels: a shared broker started by `ackcheck brokers up` is reused by later commands, maybe
 * of a later ackcheck whose recipe configures new containers differently, and a stall must be
 * sized by the timeout the running broker has, not by the one this ackcheck would set.
 */
import { LABELS } from './docker.ts';
import type { BrokerSettings, ContainerRecipe } from './recipe.ts';

/** The labels that record `settings` on a container. */
export function settingsLabels(settings: BrokerSettings | undefined): Record<string, string> {
  const timeout = settings?.consumerTimeout;
  return timeout
    ? {
        [LABELS.consumerTimeout]: String(timeout.timeoutMs),
        [LABELS.consumerTimeoutCheck]: String(timeout.checkMs),
      }
    : {};
}

/**
 * The settings of a running container from its labels; without them (started before ackcheck
 * recorded them) the recipe's `settingsBeforeLabels`.
 */
export function settingsFromLabels(
  labels: Readonly<Record<string, string>>,
  recipe: ContainerRecipe,
): BrokerSettings {
  const timeoutMs = Number(labels[LABELS.consumerTimeout]);
  const checkMs = Number(labels[LABELS.consumerTimeoutCheck]);
  if (timeoutMs > 0 && checkMs > 0) return { consumerTimeout: { timeoutMs, checkMs } };
  return recipe.settingsBeforeLabels ?? {};
}
