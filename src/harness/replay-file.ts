/**
 * The replay file certify() writes for a counterexample and replay() reads: the scenario plus
 * every option that shaped the run (run settings such as the drain deadline and the order
 * check, and the generation settings that, with the seed and the fast-check path, redraw the
 * same scenario). Files written before the settings were stored still replay, with today's
 * defaults for what they lack.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AckcheckError, describeError } from '../errors.ts';
import type { ReplayFile } from '../model/results.ts';

export type { GenerationSettings, ReplayFile, RunSettings } from '../model/results.ts';
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
