/**
 * A fault plan is a fault whose trigger points at a message by *position* instead of by id.
 * Drawing plans independently of the messages lets `scenarioArbitrary` put messages and faults
 * side by side in one `fc.record`, so that each shrinks on its own; `resolveFaultPlans` then
 * turns positions into ids of whatever messages are left.
 *
 * Triggers: consumer kinds get a `phase` trigger (they act on a worker while it handles one
 * message, so a phase is the exact point); broker and network kinds get a `progress` trigger
 * (they act on the whole broker, and "after k acks" is the point a replay can hit again).
 */
import fc from 'fast-check';
import { plainRecord } from './plain-record.ts';
import {
  CONSUMER_FAULTS,
  type Fault,
  type FaultKind,
  type FaultParams,
  PHASES,
  type Phase,
} from '../../model/fault.ts';
import { THROW_PHASES } from '../../model/coverage.ts';
import type { Message } from '../../model/message.ts';
import type { BrokerKind } from '../../model/broker.ts';

/** `holdMs` range for broker-pause, network-* and consumer-stall; shrinks toward the minimum. */
export const HOLD_MS = { min: 500, max: 3000 } as const;
/** `latencyMs` range for network-latency; shrinks toward the minimum. */
export const LATENCY_MS = { min: 50, max: 500 } as const;

/** Relative weight of each kind in a draw. */
const KIND_WEIGHT = 10;
/**
 * consumer-stall must outlast the consumer timeout: about two seconds on the kit's Kafka
 * broker, about five on its RabbitMQ broker (a 4 s consumer timeout checked every 0.5 s; see
 * src/brokers/rabbitmq/recipe.ts), so it is drawn rarely on Kafka and more rarely on RabbitMQ.
 */
const STALL_WEIGHT: Record<BrokerKind, number> = { kafka: 3, rabbitmq: 2 };

const HOLD_KINDS: readonly FaultKind[] = [
  'consumer-stall',
  'broker-pause',
  'network-cut',
  'network-blackhole',
  'network-latency',
];

export type PlannedTrigger =
  | { readonly type: 'phase'; readonly messageIndex: number; readonly phase: Phase; readonly attempt: number }
  | { readonly type: 'progress'; readonly acks: number };

export interface FaultPlan {
  readonly kind: FaultKind;
  readonly trigger: PlannedTrigger;
  readonly params: FaultParams;
}

export interface FaultPlanConstraints {
  readonly kinds: readonly FaultKind[];
  readonly maxFaults: number;
  /** At least this many faults (default 0), e.g. for a test that needs one. */
  readonly minFaults?: number;
  readonly broker: BrokerKind;
  /** Phase triggers draw `messageIndex` in `[0, messageIndexSpace)`; 0 means no phase triggers. */
  readonly messageIndexSpace: number;
  /** Progress triggers draw `acks` in `[0, maxAcks]`. */
  readonly maxAcks: number;
}

/** Attempt 1 most of the time, sometimes 2 (a fault on a redelivery); shrinks toward 1. */
const attemptArbitrary: fc.Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 1, arbitrary: fc.constant(2) },
);

function paramsArbitrary(kind: FaultKind): fc.Arbitrary<FaultParams> {
  const holdMs = fc.integer(HOLD_MS);
  if (kind === 'network-latency') return plainRecord({ holdMs, latencyMs: fc.integer(LATENCY_MS) });
  if (HOLD_KINDS.includes(kind)) return plainRecord({ holdMs });
  return plainRecord({});
}

function triggerArbitrary(
  kind: FaultKind,
  c: FaultPlanConstraints,
): fc.Arbitrary<PlannedTrigger> | undefined {
  if (!CONSUMER_FAULTS.includes(kind)) {
    return plainRecord({ type: fc.constant('progress' as const), acks: fc.nat({ max: c.maxAcks }) });
  }
  if (c.messageIndexSpace === 0) return undefined;
  return plainRecord({
    type: fc.constant('phase' as const),
    messageIndex: fc.nat({ max: c.messageIndexSpace - 1 }),
    phase: fc.constantFrom(...(kind === 'processor-throw' ? THROW_PHASES : PHASES)),
    attempt: attemptArbitrary,
  });
}

/** Lists of at most `maxFaults` plans; shrinks toward fewer faults, earlier triggers and smaller params. */
export function faultPlansArbitrary(c: FaultPlanConstraints): fc.Arbitrary<FaultPlan[]> {
  const weighted: fc.WeightedArbitrary<FaultPlan>[] = [];
  for (const kind of c.kinds) {
    const trigger = triggerArbitrary(kind, c);
    if (trigger === undefined) continue;
    weighted.push({
      weight: kind === 'consumer-stall' ? STALL_WEIGHT[c.broker] : KIND_WEIGHT,
      arbitrary: plainRecord({ kind: fc.constant(kind), trigger, params: paramsArbitrary(kind) }),
    });
  }
  if (weighted.length === 0 || c.maxFaults === 0) return fc.constant([]);
  const minLength = Math.min(c.minFaults ?? 0, c.maxFaults);
  return fc.array(fc.oneof(...weighted), { minLength, maxLength: c.maxFaults });
}

/**
 * Faults for these messages. Positions wrap around the messages that are there (`index mod n`,
 * `acks mod (n + 1)`), so that a fault survives when shrinking removes messages; phase-triggered
 * faults are dropped only when no message is left.
 */
export function resolveFaultPlans(plans: readonly FaultPlan[], messages: readonly Message[]): Fault[] {
  const faults: Fault[] = [];
  for (const plan of plans) {
    const t = plan.trigger;
    if (t.type === 'progress') {
      faults.push({
        trigger: { type: 'progress', acks: t.acks % (messages.length + 1) },
        kind: plan.kind,
        params: plan.params,
      });
      continue;
    }
    if (messages.length === 0) continue;
    const message = messages[t.messageIndex % messages.length];
    if (message === undefined) continue;
    faults.push({
      trigger: { type: 'phase', messageId: message.id, phase: t.phase, attempt: t.attempt },
      kind: plan.kind,
      params: plan.params,
    });
  }
  return faults;
}
