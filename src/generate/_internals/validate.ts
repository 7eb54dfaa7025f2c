/**
 * Eager option checks shared by the generate entry points. Each check names the entry point
 * and the option, like fast-check's own `fc.integer maximum value should be …`, so that a bad
 * option fails where it is written rather than deep inside a property run.
 */
import type fc from 'fast-check';
import { FAULT_KINDS, type FaultKind } from '../../model/fault.ts';
import { BROKER_KINDS, type BrokerKind } from '../../model/broker.ts';
import type { Semantics } from '../../model/scenario.ts';

/** An integer option in `[min, max]`, or its default when left out. */
export function integerOption(
  entry: string,
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < min || resolved > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new RangeError(`${entry}: ${name} must be ${range}, got ${String(resolved)}`);
  }
  return resolved;
}

/** An arbitrary option, if given. Duck-typed so that a second copy of fast-check still passes. */
export function arbitraryOption<T>(
  entry: string,
  name: string,
  value: fc.Arbitrary<T> | undefined,
): fc.Arbitrary<T> | undefined {
  if (value === undefined) return undefined;
  const candidate = value as Partial<fc.Arbitrary<T>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.generate !== 'function' ||
    typeof candidate.shrink !== 'function'
  ) {
    throw new RangeError(`${entry}: ${name} must be a fast-check arbitrary`);
  }
  return value;
}

export function brokerOption(entry: string, value: unknown): BrokerKind {
  if (!(BROKER_KINDS as readonly unknown[]).includes(value)) {
    throw new RangeError(
      `${entry}: broker must be ${BROKER_KINDS.map((k) => `"${k}"`).join(' or ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as BrokerKind;
}

export function semanticsOption(entry: string, value: unknown): Semantics {
  if (value !== 'at-least-once' && value !== 'at-most-once') {
    throw new RangeError(
      `${entry}: semantics must be "at-least-once" or "at-most-once", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Fault kinds, defaulting to all of them; unknown kinds are rejected, repeats ignored. */
export function faultKindsOption(
  entry: string,
  name: string,
  value: readonly FaultKind[] | undefined,
): readonly FaultKind[] {
  if (value === undefined) return FAULT_KINDS;
  if (!Array.isArray(value)) {
    throw new RangeError(`${entry}: ${name} must be an array of fault kinds`);
  }
  const known: readonly string[] = FAULT_KINDS;
  for (const kind of value) {
    if (!known.includes(kind)) {
      throw new RangeError(
        `${entry}: unknown fault kind ${JSON.stringify(kind)} in ${name}; expected some of: ${FAULT_KINDS.join(', ')}`,
      );
    }
  }
  // Keep the menu's order whatever the caller's order, so that the same set gives the same draws.
  return FAULT_KINDS.filter((kind) => value.includes(kind));
}

export function booleanOption(
  entry: string,
  name: string,
  value: boolean | undefined,
  fallback: boolean,
): boolean {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'boolean') {
    throw new RangeError(`${entry}: ${name} must be a boolean, got ${JSON.stringify(resolved)}`);
  }
  return resolved;
}
