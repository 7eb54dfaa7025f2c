export { coverageSweepArbitrary, type SweepOptions } from './coverage-sweep.ts';
export { type FaultsOptions, faultsArbitrary } from './faults.ts';
export { type MessagesOptions, messagesArbitrary } from './messages.ts';
export { type ScenarioOptions, scenarioArbitrary } from './scenario.ts';
