import { CountercyclicalHaircut } from '../../agents/countercyclical-haircut.js';
import { EwmaVolEstimator, RISKMETRICS_DAILY_LAMBDA } from '../../agents/ewma-vol-estimator.js';
import { FixedHaircut } from '../../agents/fixed-haircut.js';
import { GarchVolEstimator } from '../../agents/garch-vol-estimator.js';
import type { HaircutPolicy } from '../../agents/haircut-policy.js';
import { Lender, type ReviseLending } from '../../agents/lender.js';
import { LeverageTargetingFund } from '../../agents/leverage-targeting-fund.js';
import { LeveragedTrendFollower } from '../../agents/leveraged-trend-follower.js';
import { LeveragedValueFund } from '../../agents/leveraged-value-fund.js';
import { Liquidator } from '../../agents/liquidator.js';
import { RealizedVolEstimator } from '../../agents/realized-vol-estimator.js';
import { RetailLeveragedTrader } from '../../agents/retail-leveraged-trader.js';
import type { VolatilityEstimator } from '../../agents/volatility-estimator.js';
import { VolatilityHaircut } from '../../agents/volatility-haircut.js';
import { MAX_LEVELS, MAX_WINDOW, MIN_PERIOD_US, ORDERS_WHY, PERIOD_WHY, WINDOW_WHY, bool, endOrInfinity, num, str, tradingCommon, tradingParams, type AgentType, type BuildContext, type GroupIssue, type ParamRange, type ParamSpec, type Scalar } from './agent-registry.js';
import { formatDuration } from '../config/duration.js';

type Params = Readonly<Record<string, Scalar>>;

/** 0 in YAML means "no limit" for money limits (the largest safe integer). */
function moneyLimit(value: number): number {
  return value <= 0 ? Number.MAX_SAFE_INTEGER : value;
}

function haircutPolicy(p: Params): HaircutPolicy {
  switch (str(p, 'policy')) {
    case 'fixed':
      return new FixedHaircut(num(p, 'h'));
    case 'volatility':
      return powerHaircut(p);
    case 'var':
      return varHaircut(p);
    default:
      return new CountercyclicalHaircut({
        base: str(p, 'countercyclicalBase') === 'var' ? varHaircut(p) : powerHaircut(p),
        hFloor: num(p, 'hFloor'),
        mode: str(p, 'countercyclicalMode') as 'through-the-cycle' | 'buffer',
        stressWindow: endOrInfinity(num(p, 'stressWindow')),
        bufferMax: num(p, 'bufferMax'),
        buildRate: num(p, 'bufferBuildRate'),
        releaseRate: num(p, 'bufferReleaseRate'),
        memory: num(p, 'bufferMemory'),
      });
  }
}

/** The power form h = a·σ^b, clamped to [hMin, hMax]. */
function powerHaircut(p: Params): VolatilityHaircut {
  return new VolatilityHaircut({ a: num(p, 'a'), b: num(p, 'b'), hMin: num(p, 'hMin'), hMax: num(p, 'hMax') });
}

/** The VaR form h = 1/(α(σ² + σ₀²)^b), clamped to [hMin, hMax]. */
function varHaircut(p: Params): VolatilityHaircut {
  return new VolatilityHaircut({ form: 'var', alpha: num(p, 'alpha'), sigma0: num(p, 'sigma0'), b: num(p, 'varExponent'), hMin: num(p, 'hMin'), hMax: num(p, 'hMax') });
}

/** The lender parameters that define its haircut policy. */
const HAIRCUT_PARAMS: ReadonlySet<string> = new Set(['policy', 'h', 'a', 'b', 'alpha', 'sigma0', 'varExponent', 'hMin', 'hMax', 'hFloor', 'countercyclicalMode', 'countercyclicalBase', 'stressWindow', 'bufferMax', 'bufferBuildRate', 'bufferReleaseRate', 'bufferMemory']);

/** Lender parameters an intervention may change during a run. */
export const LIVE_LENDER_PARAMS: ReadonlySet<string> = new Set([...HAIRCUT_PARAMS, 'maintenanceRatio', 'annualRate', 'maxPerBorrower', 'maxTotal']);

/** A lender's haircut policy; countercyclical policies keep state, so each instrument gets its own. */
function lenderPolicy(p: Params): HaircutPolicy | ((instrument: number) => HaircutPolicy) {
  return str(p, 'policy') === 'countercyclical' ? () => haircutPolicy(p) : haircutPolicy(p);
}

/** A lender's terms besides its haircut policy. */
function lenderTerms(p: Params) {
  return {
    maintenanceRatio: num(p, 'maintenanceRatio'),
    annualRate: num(p, 'annualRate'),
    maxPerBorrower: moneyLimit(num(p, 'maxPerBorrower')),
    maxTotal: moneyLimit(num(p, 'maxTotal')),
  };
}

/**
 * The revision a lender receives when an intervention changes the parameters
 * named in `changed` to `p`. The haircut policy is replaced only when one of
 * its own parameters changed: a new policy forgets what a countercyclical one
 * remembers of past volatility.
 */
export function lenderRevision(p: Params, changed: Iterable<string>): Omit<ReviseLending, 'type'> {
  const newPolicy = [...changed].some((name) => HAIRCUT_PARAMS.has(name));
  return { ...(newPolicy ? { haircutPolicy: lenderPolicy(p) } : {}), ...lenderTerms(p) };
}

/**
 * A lender's volatility estimator (issue 13), one per instrument, on the
 * lender's sampling grid: realised over `volWindow` returns (the default,
 * as before), EWMA or GARCH(1,1). With `priorSigma` > 0 each starts from
 * that volatility and reports it from the first repricing; without, each
 * waits for `volWindow` returns (EWMA and GARCH start from their mean square).
 */
function lenderVolEstimator(p: Params): (intervalUs: number) => VolatilityEstimator {
  const window = num(p, 'volWindow');
  const prior = num(p, 'priorSigma');
  const start = prior > 0 ? { priorSigma: prior } : { minReturns: window };
  switch (str(p, 'volEstimator')) {
    case 'ewma': {
      const halfLifeUs = num(p, 'ewmaHalfLifeUs');
      const decay = halfLifeUs > 0 ? { halfLifeUs } : { lambda: num(p, 'ewmaLambda') };
      return (intervalUs) => new EwmaVolEstimator({ intervalUs, ...decay, ...start });
    }
    case 'garch': {
      const garch = { alpha: num(p, 'garchAlpha'), beta: num(p, 'garchBeta'), longRunSigma: num(p, 'garchLongRunSigma') };
      return (intervalUs) => new GarchVolEstimator({ intervalUs, ...garch, ...start });
    }
    default:
      return (intervalUs) => new RealizedVolEstimator({ intervalUs, window, minReturns: window, ...(prior > 0 && { priorSigma: prior }) });
  }
}

/** A value or the bounds of a distribution, for messages. */
function described([lo, hi]: readonly [number, number]): string {
  return lo === hi ? String(lo) : `draws in [${lo}, ${hi}]`;
}

/**
 * The estimator parameters that bounds of one parameter cannot state: open
 * intervals (λ in (0, 1), σ_L > 0) and the GARCH stationarity condition
 * α + β < 1, each with the reason. Checked whichever `volEstimator` the
 * group uses: a value that means nothing is refused, not kept for later.
 */
function volEstimatorIssues(range: ParamRange, given: (key: string) => unknown): GroupIssue[] {
  const issues: GroupIssue[] = [];
  const lambda = range('ewmaLambda');
  if (!(lambda[0] > 0 && lambda[1] < 1)) {
    issues.push({ key: 'ewmaLambda', message: `λ must lie strictly between 0 and 1 (λ = 1 never moves from its start, λ = 0 keeps only the last return), got ${described(lambda)}` });
  }
  const [halfLifeMin, halfLifeMax] = range('ewmaHalfLifeUs');
  if (halfLifeMax > 0) {
    if (given('ewmaLambda') !== undefined) {
      issues.push({ key: 'ewmaLambda', message: 'give ewmaLambda or ewmaHalfLifeUs, not both: a half-life sets λ = 2^(−sampleIntervalUs / ewmaHalfLifeUs)' });
    }
    const [, sampleMax] = range('sampleIntervalUs');
    const shortest = Math.pow(2, -sampleMax / halfLifeMin);
    if (!(shortest > 0)) {
      issues.push({
        key: 'ewmaHalfLifeUs',
        message: `a half-life of ${formatDuration(halfLifeMin)} with samples every ${formatDuration(sampleMax)} makes λ = 2^(−sampleIntervalUs / ewmaHalfLifeUs) = 0 in floating point (each return would replace the whole estimate); give at least ${formatDuration(Math.ceil(sampleMax / 1_000))}`,
      });
    }
  }
  const [, alphaMax] = range('garchAlpha');
  const [, betaMax] = range('garchBeta');
  if (!(alphaMax + betaMax < 1)) {
    issues.push({
      key: given('garchBeta') !== undefined ? 'garchBeta' : 'garchAlpha',
      message: `garchAlpha + garchBeta must be < 1, got ${alphaMax} + ${betaMax} = ${alphaMax + betaMax}: at 1 or more the GARCH variance has no long run ω/(1 − α − β) to revert to (it is not stationary)`,
    });
  }
  const longRun = range('garchLongRunSigma');
  if (!(longRun[0] > 0)) {
    issues.push({ key: 'garchLongRunSigma', message: `must be > 0, got ${described(longRun)}: it is the volatility GARCH reverts to (ω = 0 would let the estimate decay to 0 whatever the market)` });
  }
  return issues;
}

const lender: AgentType = {
  type: 'lender',
  lender: true,
  summary: 'repo lender: posts haircuts from its policy on its volatility estimate — realised, EWMA or GARCH, from a prior or not, on intraday returns (the overnight move is not one of them) (Geanakoplos 2010; Aymanns & Farmer 2015) — reprices on a schedule, calls weak loans',
  params: {
    policy: { default: 'volatility', doc: 'haircut policy: fixed h; volatility h = clamp(a·σ^b); var h = 1/(α(σ²+σ₀²)^b); countercyclical: the volatility or var form (countercyclicalBase) with a floor that does not fall in calm times or a buffer built in calm times', choices: ['fixed', 'volatility', 'var', 'countercyclical'] },
    h: { default: 0.2, doc: 'fixed haircut (max leverage 1/h)', min: 0, max: 1 },
    a: { default: 60, doc: 'scale of the volatility haircut, per (√s)^b; σ is its volatility estimate (volEstimator) per √s', min: 0 },
    b: { default: 1, doc: 'exponent of the volatility haircut', min: 0 },
    alpha: { default: 1, doc: 'leverage scale α of the VaR form', min: 0 },
    sigma0: { default: 0.0002, doc: 'volatility floor σ₀ of the VaR form, per √s', min: 0 },
    varExponent: { default: -0.5, doc: 'exponent b of the VaR form (−1/2: VaR)', max: 0 },
    hMin: { default: 0.02, doc: 'smallest haircut posted', min: 0, max: 1 },
    hMax: { default: 1, doc: 'largest haircut posted (1: no credit)', min: 0, max: 1 },
    hFloor: { default: 0.1, doc: 'countercyclical floor', min: 0, max: 1 },
    countercyclicalMode: { default: 'through-the-cycle', doc: 'countercyclical variant', choices: ['through-the-cycle', 'buffer'] },
    countercyclicalBase: { default: 'volatility', doc: "the risk-sensitive haircut the countercyclical policy is built around: 'volatility' (a, b) or 'var' (alpha, sigma0, varExponent)", choices: ['volatility', 'var'] },
    stressWindow: { default: 0, doc: 'repricings over which the countercyclical policy remembers the worst volatility (0: the whole run)', min: 0, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    bufferMax: { default: 0.1, doc: 'countercyclical buffer: the largest buffer added to the haircut, points (BCBS 2010: a buffer built in calm times, released in stress)', min: 0, max: 1 },
    bufferBuildRate: { default: 0.01, doc: 'countercyclical buffer: points added per repricing while σ is at or below its long-run average', min: 0, max: 1 },
    bufferReleaseRate: { default: 0.1, doc: 'countercyclical buffer: points released per repricing while σ is above its long-run average (bufferMax: released at once, as EMIR lets a CCP use its 25 % buffer in stress)', min: 0, max: 1 },
    bufferMemory: { default: 50, doc: 'countercyclical buffer: half-life of the long-run average σ, in repricings (the finite memory the calm/stress comparison uses)', min: 1, max: MAX_WINDOW, limitWhy: WINDOW_WHY },
    maintenanceRatio: { default: 0.75, doc: 'maintenance haircut = initial haircut × this', min: 0.01, max: 1 },
    annualRate: { default: 0.05, doc: 'simple annual interest rate', min: 0 },
    maxPerBorrower: { default: 0, doc: 'largest debt of one borrower, minor units (0: no limit)', min: 0 },
    maxTotal: { default: 0, doc: 'largest total lending, minor units (0: no limit)', min: 0 },
    repriceIntervalUs: { default: 60_000_000, doc: 'time between postings of new terms, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    volTrigger: { default: 0.5, doc: 'also reprice at once when its volatility estimate exceeds the last posted one by this fraction (0: schedule only)', min: 0 },
    sampleIntervalUs: { default: 1_000_000, doc: 'sampling interval Δ of its volatility estimate (log returns of mids on the grid k·Δ, previous-tick rule), µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    volEstimator: {
      default: 'realized',
      doc: "its volatility estimate, σ per √s: 'realized' (√(Σr² / (n·Δ)) over the last volWindow returns), 'ewma' (RiskMetrics 1996: σ² ← λσ² + (1 − λ)r² per return) or 'garch' (GARCH(1,1), Bollerslev 1986: σ² ← ω + αr² + βσ²)",
      choices: ['realized', 'ewma', 'garch'],
    },
    volWindow: { default: 60, doc: 'returns in its volatility window (realized); without priorSigma, returns it waits for before it has an estimate (ewma/garch start from their mean square)', min: 2, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    priorSigma: {
      default: 0,
      doc: 'prior volatility per √s the estimate starts from, reported from the first repricing until returns replace it: no start-up transient (realized: the window starts full of returns of that size; ewma/garch: the recursion starts from it). 0: no prior — no estimate for volWindow returns, haircuts at the policy’s fallback until then (hMax for the volatility and var forms)',
      min: 0,
    },
    ewmaLambda: { default: RISKMETRICS_DAILY_LAMBDA, doc: 'ewma: decay λ per sampling interval, in (0, 1); half-life ln 2/(−ln λ) intervals: 0.94 (RiskMetrics’ daily value) is 11.2 intervals, 112 s at sampleIntervalUs 10 s' },
    ewmaHalfLifeUs: { default: 0, doc: 'ewma: half-life of its weights in time, µs, instead of ewmaLambda: λ = 2^(−sampleIntervalUs / ewmaHalfLifeUs) (0: use ewmaLambda)', min: 0 },
    garchAlpha: { default: 0.05, doc: 'garch: weight α of the last squared return, per sampling interval; α + β < 1', min: 0 },
    garchBeta: { default: 0.9, doc: 'garch: weight β of the last variance, per sampling interval; α + β < 1 is the persistence (a variance shock halves in ln 2/(−ln(α + β)) intervals)', min: 0 },
    garchLongRunSigma: { default: 0.0001, doc: 'garch: long-run volatility σ_L per √s, > 0; ω = σ_L²·Δ·(1 − α − β) per interval Δ (s), so ω/(1 − α − β) is σ_L² per second' },
    minCapitalRatio: { default: 0.5, doc: 'stops lending when capital after losses falls below this share of the start', min: 0, max: 1 },
    loanReviewIntervalUs: { default: 0, doc: 'period of its loan review that calls weak loans, µs (0: never)', min: 0 },
    callHealthFactor: { default: 1.05, doc: 'a reviewed loan below this health factor is called', min: 0 },
    externalLiabilities: { default: 0, doc: 'deposits owed to creditors outside the simulation, minor units', min: 0 },
    termsApply: {
      default: 'immediate',
      doc: "when new maintenance haircuts (and rate) reach existing loans: 'immediate' (every open loan at the posting), 'roll' (each loan at its roll, every rollIntervalUs of calendar time after it opened; at the next open when that falls while the market is shut) or 'notice' (noticeUs after a posting; postings during a notice supersede it). New loans and draws always use the posted terms",
      choices: ['immediate', 'roll', 'notice'],
    },
    rollIntervalUs: { default: 86_400_000_000, doc: "roll: calendar time between a loan's rolls, µs (1d: daily, as overnight repo)", min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    noticeUs: { default: 86_400_000_000, doc: 'notice: time from a posting to its application to existing loans, µs', min: 1, integer: true },
    maxHaircutStep: { default: 1, doc: "largest change of a loan's maintenance haircut in one application (0.05: 5 points; EMIR RTS 153/2013 art. 28: no big step changes); a larger posted change is reached in steps at successive applications (1: no cap)", min: 0, exclusiveMin: true, max: 1 },
  },
  checkGroup: (range, _run, given) => volEstimatorIssues(range, given),
  build(name, p, ctx) {
    const instruments = ctx.instruments.map((i) => i.id);
    return new Lender(name, {
      credit: ctx.credit,
      exchange: ctx.exchange,
      instruments,
      instrumentCount: instruments.length,
      haircutPolicy: lenderPolicy(p),
      ...lenderTerms(p),
      repriceIntervalUs: num(p, 'repriceIntervalUs'),
      volTrigger: num(p, 'volTrigger'),
      sampleIntervalUs: num(p, 'sampleIntervalUs'),
      sessionUs: ctx.sessionUs,
      volWindow: num(p, 'volWindow'),
      volEstimator: lenderVolEstimator(p),
      initialCapital: ctx.cash,
      minCapitalRatio: num(p, 'minCapitalRatio'),
      loanReviewIntervalUs: endOrInfinity(num(p, 'loanReviewIntervalUs')),
      callHealthFactor: num(p, 'callHealthFactor'),
      termsApply: str(p, 'termsApply') as 'immediate' | 'roll' | 'notice',
      rollIntervalUs: num(p, 'rollIntervalUs'),
      noticeUs: num(p, 'noticeUs'),
      maxHaircutStep: num(p, 'maxHaircutStep'),
    });
  },
};

const liquidator: AgentType = {
  type: 'liquidator',
  summary: 'keeper: races to liquidate unhealthy loans with its own capital, sells the seized collateral into the book',
  params: {
    capitalFraction: { default: 1, doc: 'share of its free cash it commits to one liquidation', min: 0.01, max: 1 },
    slices: { default: 1, doc: 'sell seized lots in this many orders', min: 1, integer: true },
    sliceIntervalUs: { default: 1_000_000, doc: 'time between slices, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    orderType: { default: 'market', doc: 'how it sells', choices: ['market', 'limit-ioc'] },
    execution: {
      default: 'sliced',
      doc: "how seized lots are sold: 'immediate' (one market order), 'sliced' (slices of orderType, unfilled lots retried), 'twap' or 'pov' (IOC children over slices × sliceIntervalUs, limit-protected)",
      choices: ['immediate', 'sliced', 'twap', 'pov'],
    },
    participationRate: { default: 0.1, doc: "pov: share of the market volume of the previous interval it may sell", min: 0.001, max: 1 },
    maxDiscount: { default: 0.1, doc: 'twap/pov: no child sells below (1 − maxDiscount) × the last price seen at the seizure', min: 0, max: 0.99 },
  },
  checkGroup(range, run) {
    const [, slices] = range('slices');
    const [, interval] = range('sliceIntervalUs');
    const lasts = (slices - 1) * interval;
    if (!(lasts > run.horizonUs)) return [];
    return [{ key: 'sliceIntervalUs', message: `the sale of seized lots, (slices − 1) × sliceIntervalUs, can last ${formatDuration(lasts)}, longer than the run (${formatDuration(run.horizonUs)}): it could never finish` }];
  },
  build(name, p, ctx) {
    const execution = str(p, 'execution');
    const immediate = execution === 'immediate';
    return new Liquidator(name, {
      credit: ctx.credit,
      exchange: ctx.exchange,
      initialCash: ctx.cash,
      capitalFraction: num(p, 'capitalFraction'),
      slices: immediate ? 1 : num(p, 'slices'),
      sliceIntervalUs: num(p, 'sliceIntervalUs'),
      orderType: immediate ? 'market' : (str(p, 'orderType') as 'market' | 'limit-ioc'),
      minorPerTickLot: ctx.instruments.map((i) => i.minorPerTickLot),
      execution: immediate ? 'sliced' : (execution as 'sliced' | 'twap' | 'pov'),
      participationRate: num(p, 'participationRate'),
      maxDiscount: num(p, 'maxDiscount'),
    });
  },
};

/** Parameters every borrowing trader takes. */
const borrowerParams: Record<string, ParamSpec> = {
  ...tradingParams,
  lender: { default: 'lenders', doc: 'name of the lender group it borrows from; agent i uses member i mod size' },
  utilisation: { default: 0.9, doc: 'share of the credit the haircut allows that it uses', min: 0.01, max: 1 },
  assumedHaircut: { default: 0.5, doc: 'haircut it assumes before learning its lender’s', min: 0, max: 1 },
  termsQuoted: { default: false, doc: 'reads its lender’s quoted haircuts (a repo dealer’s or prime broker’s published margin schedule) instead of learning them from the venue’s grants and refusals' },
  callLadderLevels: { default: 0, doc: 'in a call auction (a batch market, an opening call), its demand schedule goes in as this many IOC limit orders a side, within the leverage limit at the last mark; 0: one order as in continuous trading', min: 0, max: MAX_LEVELS, integer: true, limitWhy: ORDERS_WHY },
  callSellFloor: { default: 0.1, doc: 'no sell of a call ladder goes below the last price × (1 − this) (a market order’s collar: a fund selling out at any price sells there)', min: 0, max: 0.99 },
  callLadderStepTicks: { default: 1, doc: 'spacing of the call ladder’s first levels, ticks; level i lies step·i(i+1)/2 from the first (dense near the price, sparse in the tails)', min: 1, integer: true },
};

/** Most slices of one parent order. */
const MAX_EXECUTION_SLICES = 100_000;

/**
 * How a borrowing trader sends its trades (issue 12 item 4; DESIGN: "large
 * orders go through an execution schedule"), with the default schedule of
 * its type. `(executionSlices − 1) × executionIntervalUs` must fit in the
 * horizon ({@link executionScheduleIssues}).
 * Funds and trend followers default to POV at 10 % of the market's volume:
 * participation-capped, so a target larger than the market's flow is
 * reached over minutes instead of being pushed through the book (on
 * leverage-cycle.yaml a 10 × 1 s TWAP still sent children of up to 760
 * lots, POV at most about 290; see the branch's report).
 */
/**
 * A schedule longer than the whole run is a configuration error (issue 12,
 * "Bad input"), not a parent that silently never ends: its last child goes
 * `(executionSlices − 1) × executionIntervalUs` after the parent starts.
 */
function executionScheduleCheck(defaultExecution: 'immediate' | 'twap' | 'pov'): NonNullable<AgentType['checkGroup']> {
  return (range, run, given) => {
    if ((given('execution') ?? defaultExecution) === 'immediate') return [];
    const [, slices] = range('executionSlices');
    const [, interval] = range('executionIntervalUs');
    const span = (slices - 1) * interval;
    // Unbounded draws (normal, lognormal) are left to the agent's own checks.
    if (!Number.isFinite(span) || !(span > run.horizonUs)) return [];
    return [
      {
        key: given('executionSlices') !== undefined ? 'executionSlices' : 'executionIntervalUs',
        message: `an execution schedule of ${slices} slices every ${formatDuration(interval)} spans ${formatDuration(span)}, longer than the horizon (${formatDuration(run.horizonUs)}); use fewer slices or a shorter executionIntervalUs`,
      },
    ];
  };
}

function executionParams(execution: 'immediate' | 'twap' | 'pov'): Record<string, ParamSpec> {
  return {
    execution: {
      default: execution,
      doc: "how it trades toward its target: 'immediate' (each trade one orderType order), 'twap' (a parent of executionSlices IOC children, one every executionIntervalUs) or 'pov' (children of participationRate × the previous interval's volume); schedules are limit-protected",
      choices: ['immediate', 'twap', 'pov'],
    },
    executionSlices: { default: 10, doc: 'twap/pov: slices of one parent order', min: 1, max: MAX_EXECUTION_SLICES, integer: true, limitWhy: 'each slice is a wake-up and a query; longer schedules fit a longer executionIntervalUs' },
    executionIntervalUs: { default: 1_000_000, doc: 'twap/pov: time between slices, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    participationRate: { default: 0.1, doc: "pov: share of the market volume of the previous interval it may trade", min: 0.001, max: 1 },
    maxSlippage: { default: 0.01, doc: 'twap/pov: no child buys above (sells below) the mid at the parent’s start × (1 ± maxSlippage); margin-call sales are not limited', min: 0, max: 0.99 },
    retargetThreshold: { default: 0.25, doc: 'twap/pov: a working parent is cancelled and re-planned when the target moves by more than this much leverage (|ΔD|·p / W) or passes the position', min: 0 },
    orderType: { default: 'market', doc: "immediate: 'market' orders, or 'limit-ioc' marketable limits crossTicks beyond the touch", choices: ['market', 'limit-ioc'] },
    crossTicks: { default: 2, doc: 'how far beyond the touch a limit-ioc order or a schedule’s child may trade, ticks', min: 0, max: 1_000_000, integer: true },
  };
}

/** The investors of a fund (TFG 2012 §2.3): flows, bankruptcy and re-entry; the value fund and the leverage targeter. */
const investorParams: Record<string, ParamSpec> = {
    flowSensitivity: { default: 0, doc: 'investors chase performance (TFG 2012 §2.3): each flow period F = max(−1, b·(r_perf − r_b))·W moves in or out; this is b (0: no flows; TFG 0.15)', min: 0 },
    flowBenchmark: { default: 0.005, doc: 'benchmark return r_b per flow period (TFG 0.005)' },
    flowWeight: { default: 0.1, doc: 'weight a of the latest return in r_perf ← (1 − a)·r_perf + a·r (TFG 0.1)', min: 0, exclusiveMin: true, max: 1 },
    flowIntervalUs: { default: 23_400_000_000, doc: 'the flow period, µs (a 6.5-hour trading day)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    bankruptcyFloor: { default: 0, doc: 'bankrupt when equity falls to this share of its starting equity: it sells out, repays and pays out what is left (0: never; TFG 0.1)', min: 0, max: 0.99 },
    reentryDelayUs: { default: 0, doc: 'after a bankruptcy, re-enters with its starting equity from new investors this much later, µs (0: never)', min: 0 },
};

function investorCommon(p: Params) {
  return {
    flowSensitivity: num(p, 'flowSensitivity'),
    flowBenchmark: num(p, 'flowBenchmark'),
    flowWeight: num(p, 'flowWeight'),
    flowIntervalUs: num(p, 'flowIntervalUs'),
    bankruptcyFloor: num(p, 'bankruptcyFloor'),
    reentryDelayUs: num(p, 'reentryDelayUs'),
  };
}

function borrowerCommon(p: Params, ctx: BuildContext) {
  const lenders = ctx.group(str(p, 'lender'));
  const lender = lenders[ctx.index % lenders.length]!;
  const quoted = ctx.agent(lender);
  return {
    ...tradingCommon(p, ctx),
    credit: ctx.credit,
    lender,
    ...(bool(p, 'termsQuoted') && quoted instanceof Lender ? { terms: quoted } : {}),
    utilisation: num(p, 'utilisation'),
    assumedHaircut: num(p, 'assumedHaircut'),
    execution: str(p, 'execution') as 'immediate' | 'twap' | 'pov',
    executionSlices: num(p, 'executionSlices'),
    executionIntervalUs: num(p, 'executionIntervalUs'),
    participationRate: num(p, 'participationRate'),
    maxSlippage: num(p, 'maxSlippage'),
    retargetThreshold: num(p, 'retargetThreshold'),
    orderType: str(p, 'orderType') as 'market' | 'limit-ioc',
    crossTicks: num(p, 'crossTicks'),
    callLadderLevels: num(p, 'callLadderLevels'),
    callLadderStepTicks: num(p, 'callLadderStepTicks'),
    callSellFloor: num(p, 'callSellFloor'),
  };
}

const leveragedFund: AgentType = {
  type: 'leveraged-fund',
  borrower: true,
  summary: 'value fund with demand proportional to mispricing, capped by the leverage its lender allows (Thurner, Farmer & Geanakoplos 2012), reached gradually through an execution schedule (POV by default)',
  params: {
    ...borrowerParams,
    ...executionParams('pov'),
    intervalUs: { default: 10_000_000, doc: 'time between decisions, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    beta: { default: 10, doc: 'aggressiveness β: target leverage min(β·(V − p)/V, λ_max) for V > p, else 0', min: 0 },
    observationSdTicks: { default: 0, doc: 'noise on its observation of the fundamental, ticks', min: 0 },
    maxLeverage: { default: 0, doc: 'its own leverage cap (0: only its lender’s)', min: 0 },
    ...investorParams,
  },
  checkGroup: executionScheduleCheck('pov'),
  build(name, p, ctx) {
    return new LeveragedValueFund(name, {
      ...borrowerCommon(p, ctx),
      intervalUs: num(p, 'intervalUs'),
      beta: num(p, 'beta'),
      observationSdTicks: num(p, 'observationSdTicks'),
      maxLeverage: endOrInfinity(num(p, 'maxLeverage')),
      ...investorCommon(p),
    });
  },
};

const trendFollower: AgentType = {
  type: 'trend-follower',
  borrower: true,
  summary: 'leveraged moving-average trend follower: leverage targetLeverage·tanh(z) in the volatility-normalised MA spread z (Baz et al. 2015), reached through an execution schedule',
  params: {
    ...borrowerParams,
    ...executionParams('pov'),
    intervalUs: { default: 1_000_000, doc: 'time between decisions, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    shortWindow: { default: 10, doc: 'samples in the short moving average', min: 1, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    longWindow: { default: 50, doc: 'samples in the long moving average', min: 1, max: MAX_WINDOW, integer: true, limitWhy: WINDOW_WHY },
    targetLeverage: { default: 2, doc: 'leverage it approaches in a strong up-trend: targetLeverage·tanh(z / signalScale)', min: 0 },
    signalScale: { default: 1, doc: 'scale of the normalised signal z = (short MA − long MA) / sd of the long window’s prices', min: 0.01, limitWhy: 'a smaller scale makes tanh a step: the all-or-nothing position this parameter replaces' },
    thresholdTicks: { default: 0, doc: 'spreads |short MA − long MA| up to this many ticks leave the position as it is', min: 0 },
  },
  checkGroup: executionScheduleCheck('pov'),
  build(name, p, ctx) {
    return new LeveragedTrendFollower(name, {
      ...borrowerCommon(p, ctx),
      intervalUs: num(p, 'intervalUs'),
      shortWindow: num(p, 'shortWindow'),
      longWindow: num(p, 'longWindow'),
      targetLeverage: num(p, 'targetLeverage'),
      signalScale: num(p, 'signalScale'),
      thresholdTicks: num(p, 'thresholdTicks'),
    });
  },
};

const retail: AgentType = {
  type: 'retail',
  borrower: true,
  summary: 'retail trader: enters at random times at a target leverage, exits on take-profit, stop-loss or margin call with real orders into the book',
  params: {
    ...borrowerParams,
    ...executionParams('immediate'),
    meanEntryIntervalUs: { default: 600_000_000, doc: 'mean time between entries, µs (Poisson)', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    checkIntervalUs: { default: 5_000_000, doc: 'time between decisions while entering or exiting (buying, borrowing, selling, repaying), µs; holding, it waits for the venue’s alert', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    targetLeverage: { default: 3, doc: 'leverage on entry', min: 1 },
    takeProfit: { default: 0.05, doc: 'exit after this relative gain (a take-profit watch held by the venue: elected by a trade at or above it, executed at the book’s prices)', min: 0 },
    stopLoss: { default: 0.05, doc: 'exit after this relative loss (a stop watch held by the venue: elected by a trade at or below it, as venues’ stop orders are; executed at the book’s prices, beyond the stop when the price gaps)', min: 0, max: 1 },
    meetCallProbability: { default: 0.5, doc: 'probability that it meets a margin call (else it is liquidated)', min: 0, max: 1 },
  },
  checkGroup: executionScheduleCheck('immediate'),
  build(name, p, ctx) {
    return new RetailLeveragedTrader(name, {
      ...borrowerCommon(p, ctx),
      meanEntryIntervalUs: num(p, 'meanEntryIntervalUs'),
      checkIntervalUs: num(p, 'checkIntervalUs'),
      targetLeverage: num(p, 'targetLeverage'),
      takeProfit: num(p, 'takeProfit'),
      stopLoss: num(p, 'stopLoss'),
      meetCallProbability: num(p, 'meetCallProbability'),
    });
  },
};

/** The agent types of the credit side. */
const leverageTargeter: AgentType = {
  type: 'leverage-targeter',
  borrower: true,
  summary: 'leverage-targeting fund: holds the asset at the leverage its lender’s haircut allows times utilisation, rebalancing on a clock (Adrian & Shin 2010; the banks of Aymanns & Farmer 2015), through an execution schedule',
  params: {
    ...borrowerParams,
    ...executionParams('pov'),
    intervalUs: { default: 300_000_000, doc: 'time between decisions, µs', min: MIN_PERIOD_US, limitWhy: PERIOD_WHY },
    rebalanceBand: { default: 0.05, doc: 'no trade while the target position is within this fraction of the position', min: 0, max: 1 },
    leverageCap: { default: 0, doc: 'highest leverage targeted whatever the lender allows, ≥ 1 (0: the lender’s limit alone)', min: 0 },
    ...investorParams,
  },
  checkGroup: (range, run, given) => {
    const issues = executionScheduleCheck('pov')(range, run, given);
    const [low] = range('leverageCap');
    if (low > 0 && low < 1) issues.push({ key: 'leverageCap', message: `a leverage cap must be at least 1 (leverage 1 is no borrowing) or 0 for none, got ${low}` });
    return issues;
  },
  build(name, p, ctx) {
    const cap = num(p, 'leverageCap');
    return new LeverageTargetingFund(name, {
      ...borrowerCommon(p, ctx),
      intervalUs: num(p, 'intervalUs'),
      rebalanceBand: num(p, 'rebalanceBand'),
      leverageCap: cap === 0 ? Number.POSITIVE_INFINITY : cap,
      ...investorCommon(p),
    });
  },
};

export const CREDIT_AGENT_TYPES: readonly AgentType[] = [lender, liquidator, leveragedFund, trendFollower, leverageTargeter, retail];
