/**
 * The harness's calls into the processor (setup, reset, snapshot, and process() in the
 * reference run), each under a deadline and each turning a failure into an AckcheckError
 * whose code says it is the processor's to fix — not an infrastructure error to skip.
 */
import { compareFinalState, jsonProblem } from '../check/final-state.ts';
import { AckcheckError, type AckcheckErrorCode, describeError } from '../errors.ts';
import type { JsonValue, Message } from '../model/message.ts';
import type { Processor } from '../model/processor.ts';

/** Default per-call deadline of process() (and of reset/snapshot/setup) in ms. */
export const DEFAULT_PROCESS_TIMEOUT_MS = 10_000;

const ADVICE: Record<string, string> = {
  setup: 'setup() prepares what every run shares (a schema, a pool): make it succeed against a fresh store.',
  reset: 'reset(namespace) must create or empty the state of a fresh namespace.',
  snapshot: 'snapshot(namespace) must read back the state the processor wrote in that namespace.',
  process:
    'process() must settle (resolve or reject) for every message; raise processTimeoutMs if it is legitimately slow.',
};

/** Runs one processor call under `timeoutMs`; a throw or a missed deadline becomes `code`. */
export async function processorCall<T>(
  what: 'setup' | 'reset' | 'snapshot' | 'process',
  code: AckcheckErrorCode,
  call: () => T | Promise<T>,
  timeoutMs: number,
  context = '',
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AckcheckError(
            what === 'process' ? 'PROCESSOR_TIMEOUT' : code,
            `${what}()${context} did not settle within ${timeoutMs} ms. ${ADVICE[what]}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(call), late]);
  } catch (error) {
    if (error instanceof AckcheckError) throw error;
    throw new AckcheckError(code, `${what}()${context} threw: ${describeError(error)}. ${ADVICE[what]}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * snapshot(namespace), checked: it must be JSON, and two snapshots of the same state must be
 * equal (else the state comparison would blame the processor for noise in snapshot()).
 */
export async function takeSnapshot(
  processor: Processor,
  namespace: string,
  timeoutMs: number,
): Promise<JsonValue> {
  const snap = () =>
    processorCall('snapshot', 'PROCESSOR_SNAPSHOT_FAILED', () => processor.snapshot(namespace), timeoutMs);
  const first = assertSnapshotJson(await snap());
  const second = assertSnapshotJson(await snap());
  assertSameState(first, second, 'two snapshots of the same state');
  return first;
}

export function assertSnapshotJson(value: unknown): JsonValue {
  const problem = jsonProblem(value);
  if (problem === undefined) return value as JsonValue;
  throw new AckcheckError(
    'SNAPSHOT_NOT_JSON',
    `snapshot() returned a value that is not JSON: ${problem}. Return plain JSON (objects, arrays, ` +
      'strings, finite numbers, booleans, null): convert BigInt to strings, Dates to ISO strings, ' +
      'Maps to objects, and leave out functions, cycles and undefined array items.',
  );
}

/** Throws SNAPSHOT_NONDETERMINISTIC naming the differing paths when `a` and `b` differ. */
export function assertSameState(a: JsonValue, b: JsonValue, what: string): void {
  const { equal, diff } = compareFinalState(a, b);
  if (equal) return;
  const paths = diff.map((line) => line.split(': ')[0] ?? line);
  throw new AckcheckError(
    'SNAPSHOT_NONDETERMINISTIC',
    `snapshot() is not deterministic: ${what} differ at ${paths.join(', ')} (${diff.slice(0, 3).join('; ')}). ` +
      'ackcheck compares the final state with an exactly-once reference, so snapshot() must return the same ' +
      'JSON for the same processed messages: leave time stamps, generated ids and ordering noise out of it ' +
      '(or sort rows by a key) — see "Deterministic snapshots" in the README.',
  );
}

/** The exactly-once reference: each of these distinct messages once, in produce order, in-process. */
export async function referenceState(
  processor: Processor,
  messages: readonly Message[],
  namespace: string,
  timeoutMs: number,
): Promise<JsonValue> {
  await processorCall('reset', 'PROCESSOR_RESET_FAILED', () => processor.reset(namespace), timeoutMs);
  for (const message of messages) {
    await processorCall(
      'process',
      'PROCESSOR_REFERENCE_FAILED',
      () =>
        processor.process(message, {
          namespace,
          attempt: 1,
          redelivered: false,
          worker: 'reference',
          checkpoint: async () => undefined,
        }),
      timeoutMs,
      ` of ${message.id} in the reference run`,
    );
  }
  return takeSnapshot(processor, namespace, timeoutMs);
}
