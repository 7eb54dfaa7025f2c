/**
 * The replay file certify() writes for a counterexample and replay() reads: the scenario plus
 * every option that shaped the run (run settings such as the drain deadline and the order
 * check, and the generation settings that, with the seed and the fast-check path, redraw the
 * same scenario). Files written before the settings were stored still replay, with today's
 * defaults for what they lack.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BrokerId } from '../brokers/registry.ts';
import { AckcheckError, describeError } from '../errors.ts';
import type { FaultKind } from '../model/fault.ts';
import type { Scenario } from '../model/scenario.ts';
import type { Verdict } from '../model/verdict.ts';
import type { RuntimeSpec } from '../workers/worker-config.ts';

/** runScenario()'s options that change what a run does or concludes. */
export interface RunSettings {
  /** Deadline for draining after the faults healed (ms). */
  readonly drainTimeoutMs: number;
  /** Per-key order findings are checked (and are violations). */
  readonly checkOrder: boolean;
  /** A consumer replaced because it stopped making progress is a violation, not only reported. */
  readonly failOnStuckConsumer: boolean;
}

/** certify()'s options that shaped the scenarios fast-check drew (with `seed` and `path`). */
export interface GenerationSettings {
  readonly faults: readonly FaultKind[];
  readonly maxFaults: number;
  readonly minFaults: number;
  readonly maxMessages: number;
  readonly minMessages: number;
  readonly maxConsumers: number;
  readonly runs: number;
  readonly kafka?: { readonly partitions?: number };
  readonly rabbitmq?: { readonly queueType?: 'classic' | 'quorum'; readonly prefetch?: number };
}

export interface ReplayFile {
  readonly ackcheck: 1;
  readonly processor: string;
  readonly runtime: RuntimeSpec;
  readonly broker: BrokerId;
  readonly seed: number;
  /** fast-check path of the counterexample: with `seed` and `generation`, redraws the scenario. */
  readonly path?: string;
  readonly scenario: Scenario;
  readonly verdict: Verdict;
  /** Absent in files written by ackcheck before these were stored. */
  readonly run?: RunSettings;
  readonly generation?: GenerationSettings;
}

/** Writes the file as indented JSON. */
export function writeReplayFile(file: string, content: ReplayFile): void {
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
}

/** Reads and checks a replay file; INVALID_OPTION names the file and what is wrong. */
export function readReplayFile(file: string): ReplayFile {
  let saved: ReplayFile;
  try {
    saved = JSON.parse(readFileSync(resolve(file), 'utf8')) as ReplayFile;
  } catch (error) {
    throw new AckcheckError(
      'INVALID_OPTION',
      `replay: cannot read scenario file ${file}: ${describeError(error)}`,
    );
  }
  if (saved?.ackcheck !== 1 || !saved.scenario) {
    throw new AckcheckError(
      'INVALID_OPTION',
      `replay: ${file} is not an ackcheck scenario file (written by certify)`,
    );
  }
  return saved;
}
