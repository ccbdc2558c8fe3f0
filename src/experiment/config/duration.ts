/**
 * Durations in experiment files: an integer number of microseconds, or a
 * string with a unit — `250us`, `5ms`, `30s`, `10m`, `6.5h`, `2d` — that must
 * come to a whole number of microseconds.
 *
 * @module
 */

/** Microseconds per unit, largest first (the order {@link formatDuration} tries). */
export const DURATION_UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000_000],
  ['h', 3_600_000_000],
  ['m', 60_000_000],
  ['s', 1_000_000],
  ['ms', 1_000],
  ['us', 1],
];

const UNIT_ALIASES: Readonly<Record<string, number>> = { d: 86_400_000_000, h: 3_600_000_000, m: 60_000_000, min: 60_000_000, s: 1_000_000, ms: 1_000, us: 1, 'µs': 1, 'μs': 1 };

const PATTERN = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(us|µs|μs|ms|s|min|m|h|d)?$/;

/** What a duration looks like, for error messages. */
export const DURATION_HINT = "a duration: whole µs or a number with a unit (us, ms, s, m, h, d), e.g. '5ms', '30s', '6.5h'";

/**
 * Parses a duration to whole microseconds.
 *
 * @returns the duration in µs, or a one-line problem description (a string)
 */
export function parseDuration(value: unknown): { us: number } | { problem: string } {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return { us: value };
    return { problem: `expected ${DURATION_HINT}; a bare number counts µs and must be a whole number ≥ 0, got ${value}` };
  }
  if (typeof value !== 'string') return { problem: `expected ${DURATION_HINT}, got ${describeValue(value)}` };
  const m = PATTERN.exec(value.trim());
  if (m === null) return { problem: `expected ${DURATION_HINT}, got ${describeValue(value)}` };
  const unit = UNIT_ALIASES[m[2] ?? 'us'];
  const exact = Number(m[1]) * unit;
  const us = Math.round(exact);
  if (Math.abs(exact - us) > 1e-6 * Math.max(1, Math.abs(exact))) return { problem: `'${value}' is not a whole number of microseconds` };
  if (!Number.isSafeInteger(us)) return { problem: `'${value}' is too long` };
  return { us };
}

/**
 * The shortest exact spelling of a duration: `23400000000` → `'6.5h'`,
 * `100` → `'100us'`. {@link parseDuration} reads it back to the same µs.
 */
export function formatDuration(us: number): string {
  if (us === 0) return '0s';
  for (const [unit, size] of DURATION_UNITS) {
    if (us < size) continue;
    const text = `${Number((us / size).toFixed(3))}${unit}`;
    const back = parseDuration(text);
    if ('us' in back && back.us === us) return text;
  }
  return `${us}us`;
}

/** A short description of a YAML value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `'${shorten(value)}'`;
  return String(value);
}

/** `text` cut to its first `max` characters and '…', so that a huge value cannot flood an error line. */
export function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
