/**
 * replay(): reruns exactly the scenario saved by certify(), with the run settings it ran with
 * (drain deadline, order check, stuck-consumer rule), and returns the new outcome.
 */
import { resolve } from 'node:path';
import { type BrokerInfo, StartedBroker } from '../brokers/container/started-broker.ts';
import { type BrokerName, brokerVersion, resolveBrokerId } from '../brokers/registry.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { AckcheckError, describeError } from '../errors.ts';
import { type ReplayFile, type RunSettings, readReplayFile } from './replay-file.ts';
import { type RunOutcome, runScenario } from './run-scenario.ts';
import { resolveRunSettings } from './run-settings.ts';

export interface ReplayOptions {
  /**
   * A running broker to use instead of starting (or reusing) the file's broker, or a broker id
   * or kind (`'kafka'`: its newest version) to start instead.
   */
  broker?: BrokerInfo | BrokerName;
  reportDir?: string;
}

/** The settings a replay runs with: the file's, and (older files) today's defaults for what it lacks. */
export function replaySettings(saved: ReplayFile): RunSettings {
  return { ...resolveRunSettings({}, saved.scenario.broker, saved.scenario.semantics), ...saved.run };
}

export async function replay(file: string, options: ReplayOptions = {}): Promise<RunOutcome> {
  const saved = readReplayFile(file);
  const named = typeof options.broker === 'string' ? options.broker : undefined;
  let id = resolveBrokerId(saved.broker);
  if (named !== undefined) {
    try {
      id = brokerVersion(named).id;
    } catch (error) {
      throw new AckcheckError('INVALID_OPTION', `replay: broker: ${describeError(error)}`);
    }
  }
  const fleet = typeof options.broker === 'object' ? undefined : await acquireBrokers([id]);
  const broker = fleet
    ? (fleet.brokers[0] as StartedBroker)
    : new StartedBroker(options.broker as BrokerInfo, false);
  try {
    return await runScenario(saved.scenario, {
      broker,
      processorModule: saved.processor,
      runtime: saved.runtime,
      workDir: resolve(options.reportDir ?? '.ackcheck', 'runs'),
      ...replaySettings(saved),
    });
  } finally {
    await fleet?.stop();
  }
}
