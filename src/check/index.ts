/** The checkers: pure functions from a run's scenario, history and states to a verdict. */
export { type CheckInput, check } from './check.ts';
export { compareFinalState, DIFF_LIMIT, type FinalStateComparison } from './final-state.ts';
export { type MessageEvent, messageEvents } from './message-events.ts';
export { checkOrder, type OrderResult, type OrderViolation } from './order.ts';
export { type TotalQueueResult, totalQueue } from './total-queue.ts';
export { validateHistory } from './validate-history.ts';
