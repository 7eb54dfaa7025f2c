/**
 * Compares the state a processor left behind with the state of the exactly-once reference
 * run (the idempotent-state invariant). Object key order is irrelevant, array order matters.
 * The diff names each differing path so a person can see which effect was applied twice or
 * not at all: `$.counters.k3: expected 2, got 3`, `$.rows[1]: missing`, `$.x: unexpected`.
 */
import type { JsonValue } from '../model/message.ts';

export interface FinalStateComparison {
  readonly equal: boolean;
  /** One line per differing path (at most `DIFF_LIMIT`, then a "… and N more" line). */
  readonly diff: readonly string[];
}

/** Differences listed before the rest are summarised in one "… and N more" line. */
export const DIFF_LIMIT = 50;

/**
 * Deep structural comparison of two JSON values. Throws a `TypeError` if either side holds
 * something that is not JSON (a Map, a Date, a class instance, NaN, …): `snapshot()` must
 * return plain JSON. Object properties whose value is `undefined` count as absent, as in JSON.
 */
export function compareFinalState(actual: JsonValue, reference: JsonValue): FinalStateComparison {
  assertJson('actual $', actual, []);
  assertJson('reference $', reference, []);
  const lines: string[] = [];
  let total = 0;
  compareAt('$', actual, reference, (line) => {
    total += 1;
    if (lines.length < DIFF_LIMIT) lines.push(line);
  });
  if (total > lines.length) lines.push(`… and ${total - lines.length} more`);
  return { equal: total === 0, diff: lines };
}

/**
 * Why `value` is not a JSON value (`$.n is not a JSON value: bigint 10`, `$.a is cyclic`), or
 * undefined when it is one.
 */
export function jsonProblem(value: unknown): string | undefined {
  try {
    assertJson('$', value, []);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^final state at /, '');
  }
}

type Report = (line: string) => void;

function compareAt(path: string, actual: unknown, expected: unknown, report: Report): void {
  const actualKind = kindOf(actual);
  const expectedKind = kindOf(expected);
  if (actualKind === 'array' && expectedKind === 'array') {
    compareArrays(path, actual as readonly unknown[], expected as readonly unknown[], report);
  } else if (actualKind === 'object' && expectedKind === 'object') {
    compareObjects(path, actual as Record<string, unknown>, expected as Record<string, unknown>, report);
  } else if (actual !== expected) {
    report(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function compareArrays(
  path: string,
  actual: readonly unknown[],
  expected: readonly unknown[],
  report: Report,
) {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) {
    const at = `${path}[${i}]`;
    if (i >= actual.length) report(`${at}: missing (expected ${show(expected[i])})`);
    else if (i >= expected.length) report(`${at}: unexpected (got ${show(actual[i])})`);
    else compareAt(at, actual[i], expected[i], report);
  }
}

function compareObjects(
  path: string,
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  report: Report,
): void {
  const keys = [...new Set([...definedKeys(actual), ...definedKeys(expected)])].sort();
  for (const key of keys) {
    const at = `${path}${pathSegment(key)}`;
    if (actual[key] === undefined) report(`${at}: missing (expected ${show(expected[key])})`);
    else if (expected[key] === undefined) report(`${at}: unexpected (got ${show(actual[key])})`);
    else compareAt(at, actual[key], expected[key], report);
  }
}

type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** The JSON kind of `value`, or undefined if it is not JSON (NaN, a Map, a class instance, …). */
function kindOf(value: unknown): Kind | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(value) ? 'number' : undefined;
    case 'object':
      return isPlainObject(value) ? 'object' : undefined;
    default:
      return undefined;
  }
}

/** Throws a TypeError at the first non-JSON value (or cycle) inside `value`. */
function assertJson(path: string, value: unknown, ancestors: readonly unknown[]): void {
  const kind = kindOf(value);
  if (kind === undefined)
    throw new TypeError(`final state at ${path} is not a JSON value: ${describe(value)}`);
  if (ancestors.includes(value)) throw new TypeError(`final state at ${path} is cyclic`);
  const inner = [...ancestors, value];
  if (kind === 'array') {
    (value as readonly unknown[]).forEach((item, i) => {
      assertJson(`${path}[${i}]`, item, inner);
    });
  } else if (kind === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of definedKeys(object)) assertJson(`${path}${pathSegment(key)}`, object[key], inner);
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${String(value)}`;
}

function definedKeys(object: Record<string, unknown>): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}

function pathSegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

const SHOW_LIMIT = 60;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > SHOW_LIMIT ? `${text.slice(0, SHOW_LIMIT - 1)}…` : text;
}
