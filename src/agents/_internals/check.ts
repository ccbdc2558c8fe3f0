/**
 * Option checks shared by the agents. A bad option is a configuration bug,
 * so these throw `RangeError` at construction, never during a run.
 *
 * @internal
 */

/** Throws unless `value` is a safe integer ≥ `min`. */
export function requireInt(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/** Throws unless `value` is a finite number ≥ `min`. */
export function requireAtLeast(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a finite number ≥ ${min}, got ${value}`);
  return value;
}

/** Throws unless `value` is a probability in [0, 1]. */
export function requireProbability(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${value}`);
  return value;
}

/** Throws unless `value` is a time in µs ≥ 0 (a safe integer) or +Infinity. */
export function requireTimeOrInfinity(name: string, value: number): number {
  if (value !== Number.POSITIVE_INFINITY) requireInt(name, value, 0);
  return value;
}
