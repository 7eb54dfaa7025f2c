import fc from 'fast-check';

/**
 * `fc.record` that never builds null-prototype objects. fast-check draws those by default to
 * find bugs in code that reads records; a scenario is data saved as JSON and compared with
 * `toStrictEqual` after a replay, where a null prototype is only noise.
 */
export function plainRecord<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}
