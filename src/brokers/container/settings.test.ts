import { describe, expect, it } from 'vitest';
import { rabbitmqRecipe, RABBITMQ_CONSUMER_TIMEOUT } from '../rabbitmq/recipe.ts';
import { kafkaRecipe } from '../kafka/recipe.ts';
import { LABELS } from './docker.ts';
import { settingsFromLabels, settingsLabels } from './settings.ts';

describe('broker settings in container labels', () => {
  it('a container is described by the settings it was started with, not by this recipe', () => {
    const older = { consumerTimeout: { timeoutMs: 7_000, checkMs: 2_000 } };
    expect(settingsFromLabels(settingsLabels(older), rabbitmqRecipe)).toEqual(older);
    expect(settingsFromLabels(settingsLabels(rabbitmqRecipe.settings), rabbitmqRecipe)).toEqual({
      consumerTimeout: RABBITMQ_CONSUMER_TIMEOUT,
    });
  });

  it('a RabbitMQ container without the labels has the timeout every earlier ackcheck set (5 s, 1 s)', () => {
    const labels = { [LABELS.role]: 'broker', [LABELS.broker]: 'rabbitmq-4.0', [LABELS.scope]: 'shared' };
    expect(settingsFromLabels(labels, rabbitmqRecipe)).toEqual({
      consumerTimeout: { timeoutMs: 5_000, checkMs: 1_000 },
    });
    // Half a record is no record.
    expect(settingsFromLabels({ ...labels, [LABELS.consumerTimeout]: '4000' }, rabbitmqRecipe)).toEqual({
      consumerTimeout: { timeoutMs: 5_000, checkMs: 1_000 },
    });
  });

  it('a broker without a consumer timeout gets no labels and none from them', () => {
    expect(settingsLabels(kafkaRecipe.settings)).toEqual({});
    expect(settingsFromLabels({}, kafkaRecipe)).toEqual({});
  });
});
