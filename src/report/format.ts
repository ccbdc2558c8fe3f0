/**
 * Number and duration formatting for reports. Locale-free on purpose
 * (`toLocaleString` depends on the machine's ICU data, and reports must be
 * byte-identical everywhere).
 *
 * @module
 */

/** Shown for a statistic that is undefined (NaN, `null`) or missing. */
export const MISSING = '—';

const MINUS = '\u2212';

/** True for a finite number. */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** An integer with comma thousands separators: 1234567 → "1,234,567". */
export function formatInteger(x: number): string {
  const digits = Math.abs(x).toFixed(0);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return (x < 0 && digits !== '0' ? MINUS : '') + out;
}

/**
 * A number for a table cell with `sig` significant digits: integers are
 * written in full with separators, very large or very small magnitudes in
 * scientific notation (1.23e−5), NaN/null/undefined as {@link MISSING}.
 */
export function formatNumber(x: unknown, sig = 3): string {
  if (typeof x !== 'number' || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : `${MINUS}∞`;
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return formatInteger(x);
  const a = Math.abs(x);
  if (a >= 1e9 || a < 1e-4) {
    const [m, e] = x.toExponential(sig - 1).split('e') as [string, string];
    return `${m.replace('-', MINUS)}e${e.replace('+', '').replace('-', MINUS)}`;
  }
  const decimals = Math.max(0, sig - 1 - Math.floor(Math.log10(a)));
  const s = x.toFixed(decimals);
  if (decimals === 0) return formatInteger(Number(s));
  const [int, frac] = s.replace('-', '').split('.') as [string, string];
  const sign = x < 0 && Number(s) !== 0 ? MINUS : '';
  return `${sign}${formatInteger(Number(int))}.${frac}`;
}

/** A number with a fixed number of decimals (for published figures). */
export function formatFixed(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return formatNumber(x);
  const s = x.toFixed(decimals);
  return s.startsWith('-') && Number(s) !== 0 ? MINUS + s.slice(1) : s.replace('-', '');
}

/** The unit in which a simulated time axis is shown. */
export interface TimeUnit {
  /** Label, e.g. "s", "min". */
  readonly label: string;
  /** Microseconds per unit. */
  readonly us: number;
}

const UNITS: readonly TimeUnit[] = [
  { label: 'ms', us: 1e3 },
  { label: 's', us: 1e6 },
  { label: 'min', us: 60e6 },
  { label: 'h', us: 3600e6 },
  { label: 'days', us: 86_400e6 },
];

/** The largest unit in which `spanUs` is at least 2 (seconds at least for tiny spans). */
export function timeUnitFor(spanUs: number): TimeUnit {
  let best = UNITS[1] as TimeUnit;
  for (const u of UNITS) if (u.us >= 1e6 && spanUs >= 2 * u.us) best = u;
  return best;
}

/** A duration in µs in a readable unit: 90e6 → "1.5 min". */
export function formatDuration(us: unknown): string {
  if (typeof us !== 'number' || !Number.isFinite(us)) return MISSING;
  if (Math.abs(us) < 1e3) return `${formatNumber(us)} µs`;
  let unit = UNITS[0] as TimeUnit;
  for (const u of UNITS) if (Math.abs(us) >= u.us) unit = u;
  return `${formatNumber(us / unit.us)} ${unit.label}`;
}
