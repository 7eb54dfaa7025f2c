export * from './broker.ts';
export * from './coverage.ts';
export * from './fault.ts';
export * from './history.ts';
export * from './message.ts';
export * from './scenario.ts';
export * from './verdict.ts';
