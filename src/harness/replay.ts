/** replay(): reruns exactly the scenario saved by certify() and returns the new outcome. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BrokerInfo, StartedBroker } from '../brokers/container/started-broker.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { AckcheckError, describeError } from '../errors.ts';
import type { ReplayFile } from './certify.ts';
import { type RunOutcome, runScenario } from './run-scenario.ts';

export interface ReplayOptions {
  /** A running broker to use instead of starting (or reusing) the file's broker. */
  broker?: BrokerInfo;
  reportDir?: string;
}

export async function replay(file: string, options: ReplayOptions = {}): Promise<RunOutcome> {
  let saved: ReplayFile;
  try {
    saved = JSON.parse(readFileSync(resolve(file), 'utf8')) as ReplayFile;
  } catch (error) {
    throw new AckcheckError(
      'INVALID_OPTION',
      `replay: cannot read scenario file ${file}: ${describeError(error)}`,
    );
  }
  if (saved.ackcheck !== 1 || !saved.scenario) {
    throw new AckcheckError(
      'INVALID_OPTION',
      `replay: ${file} is not an ackcheck scenario file (written by certify)`,
    );
  }
  const fleet = options.broker ? undefined : await acquireBrokers([saved.broker]);
  const broker = fleet
    ? (fleet.brokers[0] as StartedBroker)
    : new StartedBroker(options.broker as BrokerInfo, false);
  try {
    return await runScenario(saved.scenario, {
      broker,
      processorModule: saved.processor,
      runtime: saved.runtime,
      workDir: resolve(options.reportDir ?? '.ackcheck', 'runs'),
    });
  } finally {
    await fleet?.stop();
  }
}
