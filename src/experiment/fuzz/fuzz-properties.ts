/**
 * The properties a fuzz checks on each scenario: the built-ins and
 * `expression:` over summary.json (see `property-expression.ts`).
 *
 * | property | holds when |
 * |---|---|
 * | `invariants` | the run completes with ledger, book and credit invariants checked after every delivery (`checkInvariants: 'every'`), none broken |
 * | `no-lender-default` | `defaults.lenders == 0` |
 * | `bad-debt-at-most: X` | `badDebt ≤ X` (minor units) |
 * | `max-drawdown-at-most: X` | the largest drawdown of every instrument's sampled mid is ≤ X (a fraction: 0.2 = 20 %) |
 * | `largest-cascade-at-most: N` | `cascades.maxLiquidations ≤ N` |
 * | `leverage-at-most: X` | `leverage.max ≤ X` (aggregate leverage of the borrowers) |
 * | `expression: "<expr>"` | the expression is true on summary.json |
 *
 * Whatever the properties, a run that throws (other than the paranoid
 * invariant check) fails as `no-crash`: a crash is always a bug.
 *
 * @module
 */

import { maxDrawdownSpan } from '../../stats/drawdown.js';
import { emptyEpisodes, emptyLiquidations, type CascadeTable, type RunSummary, type TimeSeries } from '../../stats/output-tables.js';
import type { ExperimentConfig } from '../config/experiment-config.js';
import { evaluateExpression, fieldsOf, parseExpression, type CompiledExpression } from './property-expression.js';
import type { RunResult } from '../run/run.js';
import type { InvariantViolation } from '../run/invariant-check.js';
import { summarize } from '../run/run-summary.js';

/** A property every scenario of a fuzz must satisfy. */
export type FuzzProperty =
  | { readonly kind: 'invariants' }
  | { readonly kind: 'no-lender-default' }
  | { readonly kind: 'bad-debt-at-most'; readonly limit: number }
  | { readonly kind: 'max-drawdown-at-most'; readonly limit: number }
  | { readonly kind: 'largest-cascade-at-most'; readonly limit: number }
  | { readonly kind: 'leverage-at-most'; readonly limit: number }
  | { readonly kind: 'expression'; readonly expression: CompiledExpression };

/** Built-in properties without a parameter. */
export const FLAG_PROPERTIES = ['invariants', 'no-lender-default'] as const;
/** Built-in properties with a numeric limit. */
export const LIMIT_PROPERTIES = ['bad-debt-at-most', 'max-drawdown-at-most', 'largest-cascade-at-most', 'leverage-at-most'] as const;
/** Every property name a fuzz file may use. */
export const PROPERTY_NAMES: readonly string[] = [...FLAG_PROPERTIES, ...LIMIT_PROPERTIES, 'expression'];

/** The name of the implicit property that fails when a run throws. */
export const NO_CRASH = 'no-crash';

/** How one scenario ended. */
export type RunOutcome =
  | { readonly kind: 'ran'; readonly result: RunResult }
  | { readonly kind: 'invariant-violation'; readonly error: InvariantViolation }
  | { readonly kind: 'crash'; readonly error: unknown };

/** The verdict of one property on one scenario. */
export interface PropertyVerdict {
  /** The property as written, e.g. `bad-debt-at-most: 0`, `expression: trades < 50`, `no-crash`. */
  readonly property: string;
  readonly holds: boolean;
  /** The measured number (lenders defaulted, bad debt, drawdown, …); null when there is none (a crash). */
  readonly value: number | null;
  /** The measurement for people, e.g. `defaults.lenders = 1`, `trades = 57`. */
  readonly measured: string;
}

/** The property as written in a fuzz file. */
export function describeProperty(p: FuzzProperty): string {
  switch (p.kind) {
    case 'invariants':
    case 'no-lender-default':
      return p.kind;
    case 'expression':
      return `expression: ${p.expression.source}`;
    default:
      return `${p.kind}: ${p.limit}`;
  }
}

/** True when some property needs the paranoid invariant check after every delivery. */
export function needsEveryDeliveryCheck(properties: readonly FuzzProperty[]): boolean {
  return properties.some((p) => p.kind === 'invariants');
}

/**
 * The largest drawdown of the sampled mid, over the instruments (a
 * fraction; 0 when no mid was ever quoted).
 */
export function maxMidDrawdown(ts: TimeSeries, symbols: readonly string[]): number {
  let worst = 0;
  for (const symbol of symbols) {
    const mids: number[] = [];
    for (let i = 0; i < ts.timeUs.length; i++) if (ts.instrument[i] === symbol && ts.mid[i] > 0) mids.push(ts.mid[i]);
    const dd = maxDrawdownSpan(mids);
    if (dd !== null && dd.drawdown > worst) worst = dd.drawdown;
  }
  return worst;
}

/** The verdicts of every property on one outcome, the implicit `no-crash` first. */
export function checkProperties(properties: readonly FuzzProperty[], outcome: RunOutcome): PropertyVerdict[] {
  if (outcome.kind === 'crash') {
    const e = outcome.error;
    const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
    return [{ property: NO_CRASH, holds: false, value: null, measured: `the run threw ${message}` }];
  }
  if (outcome.kind === 'invariant-violation') {
    const e = outcome.error;
    return [
      {
        property: 'invariants',
        holds: false,
        value: e.problems.length,
        measured: `after delivery ${e.deliveryId} (causes ${e.causes.join(' ← ') || 'none'}): ${e.problems.join('; ')}`,
      },
    ];
  }
  const { result } = outcome;
  const s = result.summary;
  const verdicts: PropertyVerdict[] = [{ property: NO_CRASH, holds: true, value: null, measured: 'the run completed' }];
  const limit = (p: FuzzProperty & { limit: number }, value: number, field: string): PropertyVerdict => ({
    property: describeProperty(p),
    holds: value <= p.limit,
    value,
    measured: `${field} = ${value}`,
  });
  for (const p of properties) {
    switch (p.kind) {
      case 'invariants':
        verdicts.push({
          property: 'invariants',
          holds: s.invariants.violations === 0,
          value: s.invariants.violations,
          measured: s.invariants.violations === 0 ? `${s.invariants.checks} checks, no violation` : `${s.invariants.violations} violations at the end: ${s.invariants.problems.join('; ')}`,
        });
        break;
      case 'no-lender-default':
        verdicts.push({ property: p.kind, holds: s.defaults.lenders === 0, value: s.defaults.lenders, measured: `defaults.lenders = ${s.defaults.lenders}` });
        break;
      case 'bad-debt-at-most':
        verdicts.push(limit(p, s.badDebt, 'badDebt'));
        break;
      case 'max-drawdown-at-most':
        verdicts.push(limit(p, maxMidDrawdown(result.timeseries, result.config.instruments.map((i) => i.symbol)), 'max drawdown of the mid'));
        break;
      case 'largest-cascade-at-most':
        verdicts.push(limit(p, s.cascades.maxLiquidations, 'cascades.maxLiquidations'));
        break;
      case 'leverage-at-most':
        verdicts.push(limit(p, s.leverage.max, 'leverage.max'));
        break;
      case 'expression': {
        const ev = evaluateExpression(p.expression, s);
        const fields = Object.entries(ev.fields);
        verdicts.push({
          property: describeProperty(p),
          holds: ev.value === true,
          value: fields.length > 0 ? (fields[0]![1] as number) : null,
          measured: fields.length > 0 ? fields.map(([k, v]) => `${k} = ${v}`).join(', ') : `${ev.value}`,
        });
        break;
      }
    }
  }
  return verdicts;
}

/** The first property that fails, or null when all hold. */
export function firstFailure(verdicts: readonly PropertyVerdict[]): PropertyVerdict | null {
  return verdicts.find((v) => !v.holds) ?? null;
}

// ---------------------------------------------------------------------------
// The shape of summary.json, for checking expression fields when they are parsed.

/** A summary of a run that did nothing: the shape of summary.json for a config, with its instrument symbols. */
export function summaryShape(config: ExperimentConfig): RunSummary {
  const ts: TimeSeries = {
    timeUs: [], instrument: [], mid: [], last: [], bid: [], ask: [], bidDepth: [], askDepth: [], volume: [], fundamental: [], realizedVol: [],
    aggregateLeverage: [], leveredLeverage: [], leveredAssets: [], debtToEquity: [], meanHaircut: [], totalDebt: [], lenderEquity: [],
  };
  const trades = { length: 0, volume: 0 };
  const cascades: CascadeTable = { cascadeId: [], startUs: [], endUs: [], liquidations: [], depth: [], notional: [], priceDropPct: [] };
  return summarize(config, ts, trades, emptyLiquidations(), cascades, emptyEpisodes(), { defaults: { borrowers: 0, lenders: 0 }, badDebt: 0, funds: null }, 0, { checks: 0, violations: 0, problems: [] });
}

/**
 * Parses an `expression:` property against the summary of a config: every
 * field must be a number of summary.json.
 *
 * @throws ExpressionError with the column of the problem
 */
export function parseExpressionProperty(source: string, config: ExperimentConfig): FuzzProperty {
  const shape = summaryShape(config);
  const fields = fieldsOf(shape, { 'cascades.powerLaw': { alpha: 0, xmin: 0, n: 0 } });
  return { kind: 'expression', expression: parseExpression(source, { fields }) };
}
