/** What a checker concludes. Every finding names its messages and the events behind it. */
import type { HistoryEvent } from './history.ts';

export type Invariant = 'at-least-once' | 'at-most-once' | 'idempotent-state' | 'order' | 'liveness';

export type FindingCode =
  | 'lost'
  | 'duplicated'
  | 'unexpected'
  | 'final-state'
  | 'order'
  | 'liveness'
  | 'stuck-processing'
  | 'stuck-consumer';

export interface Finding {
  readonly code: FindingCode;
  readonly invariant: Invariant;
  /** Does this finding break the run's promised semantics (or is it only reported)? */
  readonly violation: boolean;
  readonly messageIds: readonly string[];
  /** The history events that explain the finding (a few per message). */
  readonly events: readonly HistoryEvent[];
  /** One or two sentences a person can act on. */
  readonly detail: string;
}

export interface QueueStats {
  /** Publishes attempted / confirmed / with unknown outcome. */
  readonly attempted: number;
  readonly acknowledged: number;
  readonly unknown: number;
  /** Distinct messages processed to completion at least once. */
  readonly processed: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  /** Messages whose publish outcome was unknown but which were processed anyway. */
  readonly recovered: number;
}

export interface Verdict {
  /** `unknown` when a checker itself failed (its error is in `errors`). */
  readonly valid: boolean | 'unknown';
  readonly findings: readonly Finding[];
  readonly stats: QueueStats;
  readonly errors: readonly string[];
}

/** Stats of a run with nothing in it. */
export const EMPTY_STATS: QueueStats = {
  attempted: 0,
  acknowledged: 0,
  unknown: 0,
  processed: 0,
  lost: 0,
  duplicated: 0,
  unexpected: 0,
  recovered: 0,
};
