/**
 * vitest integration: `import { certifyProcessor, brokers } from 'ackcheck/vitest'` inside a
 * test file, with the brokers started once by the global setup (`ackcheck/vitest/global-setup`).
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, inject, it } from 'vitest';
import { type BrokerInfo, StartedBroker } from '../brokers/container/started-broker.ts';
import {
  type BrokerId,
  type BrokerKind,
  type BrokerName,
  brokerVersion,
  parseBrokerSelection,
} from '../brokers/registry.ts';
import { type CertifyOptions, type CertifyResult, certify } from '../harness/certify.ts';
import type { Semantics } from '../model/scenario.ts';
import { formatResult } from '../report/index.ts';

export type { BrokerInfo, CertifyResult };

/** The brokers of this test process, optionally only those of one kind. */
export function brokers(kind?: BrokerKind): BrokerInfo[] {
  const all = inject('ackcheckBrokers');
  if (!all) throw new Error("no brokers provided: add 'ackcheck/vitest/global-setup' to test.globalSetup");
  return kind ? all.filter((b) => b.kind === kind) : all;
}

/** A handle to control (fault, heal) one of the shared brokers; it never removes the container. */
export function brokerHandle(name: BrokerName): StartedBroker {
  const id: BrokerId = brokerVersion(name).id;
  const info = brokers().find((b) => b.id === id);
  if (!info) throw new Error(`broker ${id} was not started; set ACKCHECK_BROKERS to include it`);
  return new StartedBroker(info, false);
}

/** Options of certifyProcessor(): certify()'s, plus which brokers and semantics get a test each. */
export interface CertifyProcessorOptions extends Omit<
  CertifyOptions,
  'processor' | 'broker' | 'semantics' | 'onProgress'
> {
  /** Semantics the processor promises; one test each. Default `['at-least-once']`. */
  semantics?: Semantics | readonly Semantics[];
  /**
   * Which of the global setup's brokers to certify on: `'kafka'`, `'rabbitmq'`, or broker ids.
   * Default: every broker the global setup started (ACKCHECK_BROKERS).
   */
  brokers?: BrokerKind | 'all' | readonly BrokerId[];
  /** Test timeout in ms. Default: timeLimit + shrinkTimeLimit + 2 minutes. */
  timeout?: number;
  /** Name of the describe block. Default: `ackcheck <file name>`. */
  name?: string;
}

function selectBrokers(selection: CertifyProcessorOptions['brokers']): BrokerInfo[] {
  const all = brokers();
  if (selection === undefined || selection === 'all') return all;
  const ids = new Set(parseBrokerSelection(typeof selection === 'string' ? selection : selection.join(',')));
  return all.filter((b) => ids.has(b.id as BrokerId));
}

/**
 * Registers one vitest test per broker × semantics that certifies the processor, so
 * `vitest --shard` spreads processors (one per test file) across machines and a failure
 * names exactly one cell. A failing test throws an Error whose message is the verdict, the
 * counterexample and the replay command (formatResult).
 *
 * @example
 * // orders.ackcheck.test.ts
 * import { certifyProcessor } from 'ackcheck/vitest';
 * certifyProcessor(new URL('./orders-processor.ts', import.meta.url), {
 *   semantics: ['at-least-once'],
 *   brokers: 'kafka',
 *   runs: 20,
 * });
 */
export function certifyProcessor(processor: string | URL, options: CertifyProcessorOptions = {}): void {
  const path =
    processor instanceof URL || processor.startsWith('file:')
      ? fileURLToPath(processor)
      : resolve(process.cwd(), processor);
  const { semantics = 'at-least-once', brokers: selection, timeout, name, ...certifyOptions } = options;
  const semanticsList: readonly Semantics[] = typeof semantics === 'string' ? [semantics] : semantics;
  const testTimeout =
    timeout ?? (certifyOptions.timeLimit ?? 600_000) + (certifyOptions.shrinkTimeLimit ?? 120_000) + 120_000;
  describe(name ?? `ackcheck ${basename(path)}`, () => {
    const targets = selectBrokers(selection);
    if (targets.length === 0) {
      it.skip(`no broker matching ${JSON.stringify(selection)} was started (set ACKCHECK_BROKERS)`, () => {});
      return;
    }
    for (const info of targets)
      for (const sem of semanticsList)
        it(
          `${info.id} ${sem}`,
          async () => {
            const result = await certify({
              ...certifyOptions,
              processor: path,
              broker: info,
              semantics: sem,
            });
            if (!result.ok) {
              const error = new Error(formatResult(result, { color: false }));
              error.name =
                result.status === 'fail'
                  ? 'AckcheckViolation'
                  : `Ackcheck${result.status === 'incomplete' ? 'Incomplete' : 'Error'}`;
              error.stack = `${error.name}: ${error.message}`; // the verdict is the message; no stack noise
              throw error;
            }
          },
          testTimeout,
        );
  });
}
