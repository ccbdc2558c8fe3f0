/**
 * Resolution: from a checked experiment document to an {@link ExperimentConfig}.
 *
 * Two steps turn YAML data into a config:
 * 1. `documentSchema` (`document-shape.ts`) checks shapes, types, ranges and
 *    unknown keys and turns durations into µs (the document stays sparse);
 *    `document-issues.ts` translates its complaints;
 * 2. {@link resolveDocument} fills every default from `defaults.ts`, checks
 *    what spans fields (agent types and parameters through the registry,
 *    symbols, names, totals, sizes) and builds the config.
 * Every problem is a ConfigIssue with the key path in the document;
 * `load-config.ts` maps paths to file, line and column. The way back, a
 * config as a document, is `to-document.ts`.
 *
 * @module
 */

import { makeInstrument } from '../../market/instrument.js';
import { checkParams, paramRange } from '../registry/agent-params.js';
import type { AgentType } from '../registry/agent-registry.js';
import { AGENT_TYPES } from '../registry/agent-types.js';
import type { AgentGroupConfig, AuctionConfig, CalendarConfig, CreditConfig, ExperimentConfig, FundamentalConfig, InstrumentConfig, InterventionConfig, InterventionEvent, JumpConfig, LatencyConfig, ParamValue } from './experiment-config.js';
import { ConfigError } from './config-error.js';
import { ConfigIssues, type AddIssue, type ConfigIssue, type KeyPath } from './config-issues.js';
import { defaultAuctions, defaultCalendar, defaultCredit, defaultExperiment, defaultInstrument, GBM_DEFAULTS, JITTERED_DEFAULTS } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { checkDocument } from './document-issues.js';
import { FORBIDDEN_KEYS, MAX_AGENTS, MAX_SESSIONS, NAME_PATTERN, WEEKDAYS, type ExperimentDocument } from './document-shape.js';
import { formatDuration, parseDuration } from './duration.js';
import { exactArithmeticIssues } from './exact-limits.js';
import { sizeIssues } from './size-limits.js';
import { sweepOf, type SweepSpec } from './sweep-spec.js';

/** The result of resolving a document. */
export interface ResolvedExperiment {
  readonly config: ExperimentConfig;
  readonly sweep: SweepSpec;
}

/**
 * Fills the defaults of `defaults.ts` into a checked document and runs the
 * checks that span fields. Agent parameters are checked through the agent
 * registry, so new agent types need no change here.
 *
 * @param defaultName the experiment name when the document has none (the file's base name)
 */
export function resolveDocument(doc: ExperimentDocument, defaultName = defaultExperiment().name): { resolved: ResolvedExperiment } | { issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const add = (path: KeyPath, message: string, atKey = false) => issues.push({ path, message, atKey });
  const base = defaultExperiment();

  const calendar = doc.calendar === undefined ? undefined : calendarOf(doc.calendar);
  const sessionUs = (calendar ?? defaultCalendar()).sessionUs;
  const horizonUs = doc.horizon === undefined ? base.horizonUs : typeof doc.horizon === 'number' ? doc.horizon : doc.horizon.sessions * sessionUs;
  const samplingUs = doc.sampling ?? base.samplingUs;
  calendarIssues(calendar, horizonUs, samplingUs, doc, add);
  if (samplingUs > horizonUs) add([doc.sampling !== undefined ? 'sampling' : 'horizon'], `sampling interval (${formatDuration(samplingUs)}) is longer than the horizon (${formatDuration(horizonUs)})`);

  const instruments = (doc.instruments ?? [{}]).map((spec, i) => instrumentOf(spec, i, add));
  const symbols = instruments.map((i) => i.symbol);
  symbols.forEach((s, i) => {
    if (symbols.indexOf(s) !== i) add(['instruments', i, 'symbol'], `duplicate symbol '${s}' (also instruments[${symbols.indexOf(s)}])`);
  });

  const agents = (doc.agents ?? []).map((g, i) => {
    const before = issues.length;
    const group = agentGroupOf(g, i, symbols, add);
    // Checks across parameters only once each parameter is sound.
    const type = AGENT_TYPES.get(group.type);
    if (issues.length === before && type?.checkGroup !== undefined) {
      for (const issue of type.checkGroup(paramRange(type, group.params), { horizonUs }, (key) => group.params[key])) add(['agents', i, 'params', issue.key], issue.message);
    }
    return group;
  });
  const names = agents.map((g) => g.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) {
      const named = doc.agents?.[i]?.name !== undefined;
      add(['agents', i, named ? 'name' : 'type'], `duplicate agent group name '${n}' (also agents[${names.indexOf(n)}])${named ? '' : "; give the group a 'name'"}`);
    }
  });
  const total = agents.reduce((s, g) => s + g.count, 0);
  if (total > MAX_AGENTS) add(['agents'], `${total.toLocaleString('en-US')} agents in all exceed the limit of ${MAX_AGENTS.toLocaleString('en-US')}`);
  if (total === 0) add(['agents'], agents.length === 0 ? "an experiment needs at least one agent: add a group under 'agents'" : 'an experiment needs at least one agent: every group has count 0');

  const credit: CreditConfig = { ...defaultCredit() };
  if (doc.credit !== undefined) {
    const c = doc.credit;
    if (c.policy !== undefined) credit.policy = c.policy;
    if (c.closeFactor !== undefined) credit.closeFactor = c.closeFactor;
    if (c.criticalHealth !== undefined) credit.criticalHealth = c.criticalHealth;
    if (c.liquidationBonus !== undefined) credit.liquidationBonus = c.liquidationBonus;
    if (c.protocolShare !== undefined) credit.protocolShare = c.protocolShare;
    if (c.gracePeriod !== undefined) credit.gracePeriodUs = c.gracePeriod;
    if (c.accrualInterval !== undefined) credit.accrualIntervalUs = c.accrualInterval;
  }

  const auctions = doc.auctions === undefined ? undefined : auctionsOf(doc.auctions, sessionUs, doc.calendar?.session !== undefined, add);
  const interventions = (doc.interventions ?? []).map((iv, i) => interventionOf(iv, i, horizonUs, symbols, add));
  exactArithmeticIssues(instruments, agents, interventions, add);

  const name = doc.name ?? (NAME_PATTERN.test(defaultName) ? defaultName : base.name);
  const config: ExperimentConfig = {
    name,
    description: doc.description ?? base.description,
    seed: doc.seed ?? base.seed,
    horizonUs,
    ...(typeof doc.horizon === 'object' && { horizonDays: doc.horizon.sessions }),
    samplingUs,
    volWindow: doc.volWindow ?? base.volWindow,
    episodeGapUs: doc.episodeGap ?? base.episodeGapUs,
    outputs: { trades: doc.outputs?.trades ?? base.outputs.trades },
    latency: latencyOf(doc.latency, base.latency),
    fees: { makerBps: doc.fees?.makerBps ?? base.fees.makerBps, takerBps: doc.fees?.takerBps ?? base.fees.takerBps },
    stp: doc.stp ?? base.stp,
    instruments,
    agents,
    credit,
    interventions,
    ...(calendar !== undefined && { calendar }),
    ...(auctions !== undefined && { auctions }),
  };
  const sweep = sweepOf(doc, add);
  issues.push(...sizeIssues(config, doc.sampling !== undefined));
  return issues.length > 0 ? { issues } : { resolved: { config, sweep } };
}

/** The calendar section with its defaults filled in. */
function calendarOf(c: NonNullable<ExperimentDocument['calendar']>): CalendarConfig {
  const d = defaultCalendar();
  return {
    sessionUs: c.session ?? d.sessionUs,
    overnightUs: c.overnight ?? d.overnightUs,
    tradingDaysPerWeek: c.tradingDaysPerWeek ?? d.tradingDaysPerWeek,
    startWeekday: c.startWeekday ?? d.startWeekday,
    overnightVarianceShare: c.overnightVarianceShare ?? d.overnightVarianceShare,
    timeInForce: c.timeInForce ?? d.timeInForce,
  };
}

/** The auctions section with its defaults, checked against the session it falls in. */
function auctionsOf(a: NonNullable<ExperimentDocument['auctions']>, sessionUs: number, sessionWritten: boolean, add: AddIssue): AuctionConfig {
  const d = defaultAuctions();
  const out: AuctionConfig = { openingUs: a.opening ?? d.openingUs, closingUs: a.closing ?? d.closingUs, batchUs: a.batch ?? d.batchUs, allocation: a.allocation ?? d.allocation, collarBps: a.collarBps ?? d.collarBps };
  if (out.batchUs > 0 && (out.openingUs > 0 || out.closingUs > 0)) add(['auctions', 'batch'], 'a batch market is in a call all session: it has no opening or closing auction besides (remove one of them)');
  else if (out.openingUs + out.closingUs >= sessionUs) {
    add(['auctions', out.closingUs > 0 ? 'closing' : 'opening'], `the opening and closing calls (${formatDuration(out.openingUs + out.closingUs)}) leave no continuous trading in a session of ${formatDuration(sessionUs)}${sessionWritten ? '' : ' (the default calendar.session)'}`);
  }
  return out;
}

/**
 * What the calendar needs of the rest of the file: a run of more than one
 * session samples every close (the session a whole number of sampling
 * intervals, so that intraday returns never straddle a night and each
 * session's close is a row), starts on a trading day, and has at most
 * {@link MAX_SESSIONS} sessions.
 */
function calendarIssues(calendar: CalendarConfig | undefined, horizonUs: number, samplingUs: number, doc: ExperimentDocument, add: AddIssue): void {
  const c = calendar ?? defaultCalendar();
  if (calendar !== undefined && WEEKDAYS.indexOf(c.startWeekday) >= c.tradingDaysPerWeek) {
    add(['calendar', 'startWeekday'], `${c.startWeekday} is not a trading day with ${c.tradingDaysPerWeek} trading days a week (trading days run from Monday)`);
  }
  const sessions = Math.ceil(horizonUs / c.sessionUs);
  const horizonAt: KeyPath = doc.horizon !== undefined ? ['horizon'] : ['calendar', 'session'];
  if (sessions > MAX_SESSIONS) add(horizonAt, `${sessions.toLocaleString('en-US')} trading sessions of ${formatDuration(c.sessionUs)} exceed the limit of ${MAX_SESSIONS.toLocaleString('en-US')} (ten years)`);
  if (sessions > 1 && c.sessionUs % samplingUs !== 0) {
    const at: KeyPath = doc.sampling !== undefined ? ['sampling'] : calendar !== undefined && doc.calendar?.session !== undefined ? ['calendar', 'session'] : horizonAt;
    add(at, `a run of ${sessions} sessions needs the session (${formatDuration(c.sessionUs)}) to be a whole number of sampling intervals (${formatDuration(samplingUs)}), so that each close is sampled and no intraday return straddles a night`);
  }
}

function latencyOf(doc: ExperimentDocument['latency'], fallback: LatencyConfig): LatencyConfig {
  if (doc === undefined) return { ...fallback };
  if (doc.model === 'constant') return { model: 'constant', us: doc.us ?? (fallback.model === 'constant' ? fallback.us : JITTERED_DEFAULTS.baseUs) };
  return { model: 'jittered', baseUs: doc.baseUs ?? JITTERED_DEFAULTS.baseUs, meanJitterUs: doc.meanJitterUs ?? JITTERED_DEFAULTS.meanJitterUs };
}

function instrumentOf(spec: NonNullable<ExperimentDocument['instruments']>[number], i: number, add: AddIssue): InstrumentConfig {
  const d = defaultInstrument(spec.symbol ?? (i === 0 ? undefined : `ABC${i}`));
  const initialPrice = spec.initialPrice ?? d.initialPrice;
  const out: InstrumentConfig = {
    symbol: d.symbol,
    tickSize: spec.tickSize ?? d.tickSize,
    lotSize: spec.lotSize ?? d.lotSize,
    minorUnit: spec.minorUnit ?? d.minorUnit,
    maxOrderQty: spec.maxOrderQty ?? d.maxOrderQty,
    initialPrice,
    fundamental: fundamentalOf(spec.fundamental, initialPrice, d.fundamental),
  };
  if (spec.symbol === undefined && i > 0) add(['instruments', i], "every instrument after the first needs a 'symbol'");
  try {
    makeInstrument(i, out);
  } catch (e) {
    add(['instruments', i, 'tickSize'], (e as Error).message.replace(/^[^:]*: /, ''));
  }
  return out;
}

function jumpsOf(j: { ratePerSecond: number; mean?: number | undefined; sd: number } | null | undefined): JumpConfig | null {
  return j == null ? null : { ratePerSecond: j.ratePerSecond, mean: j.mean ?? 0, sd: j.sd };
}

function fundamentalOf(f: NonNullable<NonNullable<ExperimentDocument['instruments']>[number]['fundamental']> | undefined, initialPrice: number, d: FundamentalConfig): FundamentalConfig {
  const ou = d.process === 'ou' ? d : null;
  if (f === undefined || f.process === 'ou') {
    return {
      process: 'ou',
      mean: f?.mean ?? initialPrice,
      kappa: f?.kappa ?? ou?.kappa ?? 1e-4,
      sigma: f?.sigma ?? ou?.sigma ?? 1,
      dtUs: f?.dt ?? d.dtUs,
      jumps: jumpsOf(f?.jumps),
    };
  }
  return { process: 'gbm', mu: f.mu ?? GBM_DEFAULTS.mu, sigma: f.sigma ?? GBM_DEFAULTS.sigma, dtUs: f.dt ?? GBM_DEFAULTS.dtUs, jumps: jumpsOf(f.jumps) };
}

/** Parameters whose name ends in `Us` take durations (`meanInterArrivalUs: 30s`). */
function isDurationParam(type: AgentType, key: string): boolean {
  return key.endsWith('Us') && typeof type.params[key]?.default === 'number';
}

function agentGroupOf(g: NonNullable<ExperimentDocument['agents']>[number], i: number, symbols: readonly string[], add: AddIssue): AgentGroupConfig {
  const path: KeyPath = ['agents', i];
  const params: Record<string, ParamValue> = {};
  const type = AGENT_TYPES.get(g.type);
  if (type === undefined) {
    add([...path, 'type'], `unknown agent type '${g.type}'${didYouMean(g.type, [...AGENT_TYPES.keys()])}; known types: ${[...AGENT_TYPES.keys()].join(', ')}`);
  }
  for (const [key, raw] of Object.entries(g.params ?? {})) {
    let value = raw as ParamValue;
    const at: KeyPath = [...path, 'params', key];
    if (type !== undefined && typeof value === 'string' && isDurationParam(type, key)) {
      const parsed = parseDuration(value);
      if ('problem' in parsed) {
        add(at, parsed.problem);
        continue;
      }
      value = parsed.us;
    }
    params[key] = value;
    if (type === undefined) continue;
    const problem = paramProblem(type, key, value);
    if (problem !== null) add(at, problem, problem.startsWith('unknown parameter'));
    if (key === 'instrument' && typeof value === 'string' && value !== '' && !symbols.includes(value)) {
      add(at, `unknown instrument '${value}'${didYouMean(value, symbols)}`);
    }
  }
  const holdings: Record<string, number> = {};
  for (const [symbol, lots] of Object.entries(g.holdings ?? {})) {
    if (!symbols.includes(symbol)) add([...path, 'holdings', symbol], `unknown instrument '${symbol}'${didYouMean(symbol, symbols)}; instruments: ${symbols.join(', ')}`, true);
    holdings[symbol] = lots;
  }
  return {
    type: g.type,
    name: g.name ?? g.type,
    count: g.count ?? 1,
    cash: g.cash ?? 0,
    holdings,
    params,
  };
}

/** The registry's verdict on one parameter value (scalar, or each bound/choice of a distribution). */
function paramProblem(type: AgentType, key: string, value: ParamValue): string | null {
  const check = (v: ParamValue): string | null => {
    try {
      checkParams(type, { [key]: v }, []);
      return null;
    } catch (e) {
      if (e instanceof ConfigError) return e.problem;
      throw e;
    }
  };
  const first = check(value);
  if (first !== null || typeof value !== 'object') return first;
  const spec = type.params[key]!;
  switch (value.dist) {
    case 'uniform':
    case 'int':
      if (value.min > value.max) return `distribution min (${value.min}) is above max (${value.max})`;
      if (spec.integer === true && value.dist === 'uniform') return `'${key}' is a whole number: use {dist: int, …} or {dist: choice, …}`;
      return check(value.min) ?? check(value.max);
    case 'normal':
    case 'lognormal':
      return spec.integer === true ? `'${key}' is a whole number: use {dist: int, …} or {dist: choice, …}` : null;
    case 'choice':
    case 'each':
      for (const v of value.values) {
        const p = check(v);
        if (p !== null) return `${value.dist === 'each' ? 'value' : 'choice'} ${JSON.stringify(v)}: ${p}`;
      }
      return null;
  }
}

function interventionOf(iv: NonNullable<ExperimentDocument['interventions']>[number], i: number, horizonUs: number, symbols: readonly string[], add: AddIssue): InterventionConfig {
  const path: KeyPath = ['interventions', i];
  if (iv.at > horizonUs) add([...path, 'at'], `is after the horizon (${formatDuration(horizonUs)})`);
  if ((iv.set === undefined) === (iv.event === undefined)) add(path, "needs exactly one of 'set' or 'event'");
  for (const key of Object.keys(iv.set ?? {})) {
    if (key.split(/[.[\]]/).some((part) => FORBIDDEN_KEYS.has(part))) add([...path, 'set', key], `'${key}' is not an allowed path`);
  }
  let event: InterventionEvent | null = null;
  if (iv.event !== undefined) {
    const e = iv.event;
    if (e.type !== 'haircut-shock') {
      const instrument = e.instrument ?? symbols[0] ?? '';
      if (!symbols.includes(instrument)) add([...path, 'event', 'instrument'], `unknown instrument '${instrument}'${didYouMean(instrument, symbols)}`);
      if (e.type === 'fundamental-jump') event = { type: e.type, instrument, size: e.size };
      else if (e.type === 'halt') event = { type: e.type, instrument, halted: e.halted ?? true };
      else event = { type: e.type, instrument, qty: e.qty };
    } else {
      event = { type: 'haircut-shock', add: e.add };
    }
  }
  return { atUs: iv.at, set: { ...(iv.set ?? {}) }, event };
}

/** Checks YAML data and resolves it; throws {@link ConfigIssues}. */
export function parseExperiment(data: unknown, defaultName?: string): ResolvedExperiment {
  const checked = checkDocument(data);
  if ('issues' in checked) throw new ConfigIssues(checked.issues);
  const resolved = resolveDocument(checked.doc, defaultName);
  if ('issues' in resolved) throw new ConfigIssues(resolved.issues);
  return resolved.resolved;
}
