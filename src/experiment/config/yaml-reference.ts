/**
 * The README's reference of the experiment file, rendered from the schema's
 * keys, the defaults of `defaults.ts` and the agent registry, so that the
 * README agrees with the code by construction (a test checks it does).
 *
 * Run as a script to rewrite the README between its markers:
 * `node dist/src/experiment/config/yaml-reference.js README.md`.
 *
 * @module
 */

import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParamSpec } from '../registry/agent-registry.js';
import { AGENT_TYPES } from '../registry/agent-types.js';
import { defaultCalendar, defaultCredit, defaultExperiment, defaultInstrument } from './defaults.js';
import { formatDuration } from './duration.js';
import { DOCUMENT_SHAPES, MAX_AGENTS, MAX_INSTRUMENTS, MAX_SESSIONS, MAX_INTERVENTIONS, MAX_RUNS, STP_CHOICES } from './document-shape.js';
import { GBM_DEFAULTS, JITTERED_DEFAULTS } from './defaults.js';
import { MAX_SAMPLE_ROWS } from './size-limits.js';

/** The README markers between which the reference lives. */
export const REFERENCE_START = '<!-- yaml-reference:start -->';
export const REFERENCE_END = '<!-- yaml-reference:end -->';

/** A documented key: type, default (as shown) and meaning. */
type Row = readonly [key: string, type: string, def: string, doc: string];

const code = (s: string | number | boolean) => `\`${String(s)}\``;

function table(rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows.map(([k, t, d, doc]) => `| ${code(k)} | ${esc(t)} | ${esc(d)} | ${esc(doc)} |`)].join('\n');
}

/** The documented keys of each section; their names must match the schema's (a test checks it). */
export function referenceSections(): { title: string; shape: keyof typeof DOCUMENT_SHAPES; intro: string; rows: Row[] }[] {
  const e = defaultExperiment();
  const i = defaultInstrument();
  const c = defaultCredit();
  const k = defaultCalendar();
  const ou = i.fundamental.process === 'ou' ? i.fundamental : null;
  const latencyUs = e.latency.model === 'constant' ? e.latency.us : JITTERED_DEFAULTS.baseUs;
  return [
    {
      title: 'Top level',
      shape: '',
      intro: 'Every key is optional; a missing key takes its default.',
      rows: [
        ['name', 'name', 'the file name', "folder name of the outputs (`<out>/<name>/<run id>/`); letters, digits, '-', '_'"],
        ['description', 'string', code(JSON.stringify(e.description)), 'what the experiment shows'],
        ['seed', 'integer ≥ 0', code(e.seed), 'master seed; every random stream derives from it and a name'],
        ['horizon', 'duration or `<n>d`', code(formatDuration(e.horizonUs)), `length of a run in trading time: \`5d\` is 5 trading sessions (not 5 × 24 h); \`h\`, \`m\`, \`s\` count trading time, ending mid-session if not a whole number of sessions; at most ${MAX_SESSIONS.toLocaleString('en-US')} sessions`],
        ['sampling', 'duration', code(formatDuration(e.samplingUs)), `interval between rows of timeseries.csv (at most ${MAX_SAMPLE_ROWS.toLocaleString('en-US')} rows in all)`],
        ['volWindow', 'integer ≥ 1', code(e.volWindow), 'sampling intervals in the realised-volatility window'],
        ['episodeGap', 'duration > 0', code(formatDuration(e.episodeGapUs)), 'episodes.csv: consecutive liquidations (in time order) less than this apart form one episode; a gap of exactly this length starts a new one. Trading time, like every duration. Changes no trade, only how the liquidations are grouped'],
        ['outputs', '`{ trades: boolean }`', code(`{ trades: ${e.outputs.trades} }`), '`trades`: write trades.csv and trades.parquet, the one table that grows with every trade (about 200,000 rows a flagship day); `false` for long runs. Cascades, episodes and the daily bars are still derived from the trades, kept on disk while the run lasts'],
        ['latency', 'mapping', `${code(e.latency.model)}, ${code(formatDuration(latencyUs))}`, 'message latency between agents and venues (below)'],
        ['fees', 'mapping', `${code(e.fees.makerBps)} / ${code(e.fees.takerBps)} bps`, 'maker and taker fees (below)'],
        ['stp', STP_CHOICES.join(' | '), code(e.stp), 'self-trade prevention of the books'],
        ['instruments', 'list', `one: ${code(i.symbol)}`, `traded instruments, 1 to ${MAX_INSTRUMENTS} (below)`],
        ['agents', 'list', '`[]`', `agent groups (below); at most ${MAX_AGENTS.toLocaleString('en-US')} agents in all`],
        ['credit', 'mapping', 'below', "the credit venue's rules (below)"],
        ['calendar', 'mapping', 'below', 'trading sessions, nights and weekends (below)'],
        ['auctions', 'mapping', 'none', "the exchange's call auctions: opening, closing, or a batch market (below)"],
        ['interventions', 'list', '`[]`', `scheduled parameter changes and injected events, at most ${MAX_INTERVENTIONS.toLocaleString('en-US')} (below)`],
        ['sweep', 'mapping', 'none', '`levsim sweep`: grid, zip and random parameter variations (below)'],
        ['seeds', 'integer or list', 'none', '`levsim sweep`: `N` runs each point with seeds `seed`, `seed+1`, …, `seed+N−1`; a list gives the seeds'],
        ['fuzz', 'mapping', 'none', '`levsim fuzz`: the search space and properties (see "Fuzzing scenarios"); ignored by `run`, `sweep` and `validate`'],
      ],
    },
    {
      title: '`latency`',
      shape: 'latency',
      intro: '`{model: constant, us}` or `{model: jittered, baseUs, meanJitterUs}` (exponential jitter on a base latency).',
      rows: [
        ['model', 'constant | jittered', code(e.latency.model), 'latency model'],
        ['us', 'duration', code(formatDuration(latencyUs)), 'constant latency'],
        ['baseUs', 'duration', code(formatDuration(JITTERED_DEFAULTS.baseUs)), 'jittered: least latency'],
        ['meanJitterUs', 'duration', code(formatDuration(JITTERED_DEFAULTS.meanJitterUs)), 'jittered: mean of the exponential jitter'],
      ],
    },
    {
      title: '`fees`',
      shape: 'fees',
      intro: 'Basis points of notional; a negative maker fee is a rebate.',
      rows: [
        ['makerBps', 'number', code(e.fees.makerBps), 'fee of the resting side'],
        ['takerBps', 'number', code(e.fees.takerBps), 'fee of the aggressing side'],
      ],
    },
    {
      title: '`instruments[]`',
      shape: 'instruments[]',
      intro: 'Prices are integer ticks, quantities integer lots, cash integer minor units.',
      rows: [
        ['symbol', 'symbol', code(i.symbol), 'required after the first instrument'],
        ['tickSize', 'number > 0', code(i.tickSize), 'quote-currency value of one tick'],
        ['lotSize', 'number > 0', code(i.lotSize), 'units per lot'],
        ['minorUnit', 'number > 0', code(i.minorUnit), 'quote-currency minor unit; tickSize × lotSize must be a whole number of them'],
        ['maxOrderQty', 'integer ≥ 1', code(i.maxOrderQty), 'largest order, lots'],
        ['initialPrice', 'integer ≥ 1', code(i.initialPrice), 'starting reference price and fundamental, ticks'],
        ['fundamental', 'mapping', `${code(i.fundamental.process)} (below)`, 'the fundamental value process'],
      ],
    },
    {
      title: '`instruments[].fundamental`',
      shape: 'instruments[].fundamental',
      intro: '`process: ou` (Ornstein–Uhlenbeck, in ticks) or `process: gbm` (geometric Brownian, log units), each with optional jumps.',
      rows: [
        ['process', 'ou | gbm', code(i.fundamental.process), 'the process'],
        ['mean', 'number > 0', '`initialPrice`', 'ou: long-run mean, ticks'],
        ['kappa', 'number ≥ 0', code(ou?.kappa ?? 0), 'ou: mean reversion per second'],
        ['sigma', 'number ≥ 0', `ou ${code(ou?.sigma ?? 0)}, gbm ${code(GBM_DEFAULTS.sigma)}`, 'ou: ticks per √s; gbm: log units per √s'],
        ['mu', 'number', code(GBM_DEFAULTS.mu), 'gbm: drift per second (log units)'],
        ['dt', 'duration', code(formatDuration(i.fundamental.dtUs)), 'simulation step of the process'],
        ['jumps', 'mapping or null', '`null`', 'Poisson jumps (below)'],
      ],
    },
    {
      title: '`instruments[].fundamental.jumps`',
      shape: 'instruments[].fundamental.jumps',
      intro: 'Jump sizes are normal: ticks for ou, log units for gbm.',
      rows: [
        ['ratePerSecond', 'number ≥ 0', 'required', 'Poisson arrival rate'],
        ['mean', 'number', '`0`', 'mean jump size'],
        ['sd', 'number ≥ 0', 'required', 'sd of the jump size'],
      ],
    },
    {
      title: '`agents[]`',
      shape: 'agents[]',
      intro: 'A group of agents of one type; agents are named `<name>/<i>` (`<name>` when `count` is 1).',
      rows: [
        ['type', 'agent type', 'required', 'one of the agent types below'],
        ['name', 'name', 'the type', 'group name, unique; paths may use it (`agents.noise.params.maxQty`)'],
        ['count', 'integer ≥ 0', '`1`', 'agents in the group'],
        ['cash', 'integer ≥ 0', '`0`', 'starting cash per agent, minor units'],
        ['holdings', 'mapping', '`{}`', 'starting lots per agent by symbol, e.g. `{ABC: 100}`'],
        ['params', 'mapping', '`{}`', "the type's parameters (below): a value, or a distribution drawn once per agent"],
      ],
    },
    {
      title: '`credit`',
      shape: 'credit',
      intro: 'Rules of the credit venue (used by lenders, borrowers and liquidators).',
      rows: [
        ['policy', 'aave | broker', code(c.policy), '`aave`: liquidators race; `broker`: margin call, grace period, forced sale by the venue'],
        ['closeFactor', '(0, 1]', code(c.closeFactor), 'share of the debt a liquidation may repay while health ≥ criticalHealth'],
        ['criticalHealth', '[0, 1]', code(c.criticalHealth), 'below this health factor the whole debt may be repaid at once'],
        ['liquidationBonus', '[0, 1]', code(c.liquidationBonus), 'bonus on seized collateral'],
        ['protocolShare', '[0, 1]', code(c.protocolShare), 'share of the bonus that goes to the protocol'],
        ['gracePeriod', 'duration', code(formatDuration(c.gracePeriodUs)), 'broker: time to meet a margin call'],
        ['accrualInterval', 'duration', code(formatDuration(c.accrualIntervalUs)), 'period of interest accrual'],
      ],
    },
    {
      title: '`calendar`',
      shape: 'calendar',
      intro:
        'Sessions are laid end to end on the simulation clock (nothing is simulated while the market is shut), so `horizon` and every other duration count trading time. At each close resting orders either rest into the next session (`timeInForce: gtc`, the default) or expire (`day`, the default time in force of NYSE, Nasdaq and LSE; each owner is told by `OrderCancelled`, reason `expired`); the fundamental takes one step over the night; interest accrues by calendar time, nights and weekends included. `sessions.csv` has one row per trading day. A run of more than one session needs `session` to be a whole number of `sampling` intervals.',
      rows: [
        ['session', 'duration', code(formatDuration(k.sessionUs)), 'length of a trading session (NYSE/Nasdaq regular hours, 09:30–16:00)'],
        ['overnight', 'duration', code(formatDuration(k.overnightUs)), 'closed time from a close to the next open (calendar time: for interest)'],
        ['tradingDaysPerWeek', 'integer 1–7', code(k.tradingDaysPerWeek), 'sessions a week; a weekend of the remaining days follows the last (7: none)'],
        ['startWeekday', 'monday … sunday', code(k.startWeekday), 'weekday of the first session; trading days are the first `tradingDaysPerWeek` days from Monday'],
        ['overnightVarianceShare', '[0, 0.95]', code(k.overnightVarianceShare), "share of a weekday's close-to-close fundamental variance that arrives while the market is shut (US equities: about 1/4, Hansen & Lunde 2005); a weekend counts as one night (French & Roll 1986: variance follows trading, not calendar, time); jumps arrive over a night at their rate for the same equivalent time"],
        ['timeInForce', 'day \\| gtc', code(k.timeInForce), "what resting orders do at a close: 'gtc' rest into the next session (good-till-cancelled, as Xetra and LSE accept), 'day' expire (NYSE Rule 13, Nasdaq Rule 4703). With 'day' and no opening auction each session opens on an empty book; real day-order venues rebuild it in an opening call (`auctions.opening`)"],
      ],
    },
    {
      title: '`auctions`',
      shape: 'auctions',
      intro:
        "Without this section the market is continuous. An opening call collects orders for the first `opening` of every session (the orders resting from the last session join it in their book priority); a closing call collects for the last `closing`, uncrossed 1 µs before the close; `batch` makes a batch market with no continuous trading (Budish, Cramton & Shim 2015; the market clearing of Thurner, Farmer & Geanakoplos 2012), uncrossed every `batch` from the open, limit remainders carried to the next batch. The uncrossing follows the Xetra rule: the price of the largest executable volume, then the smallest surplus, then market pressure, then the price closest to the last trade (the first session: the instrument's `initialPrice`). During a call the public book is empty and snapshots carry the indicative price, volume and imbalance; an IOC takes part in the next uncrossing only; a fill-or-kill is refused (`NOT_IN_CALL_PHASE`); auction fills pay the maker fee without a rebate.",
      rows: [
        ['opening', 'duration', code('0s'), 'opening call at the start of every session (0: none)'],
        ['closing', 'duration', code('0s'), 'closing call at the end of every session, its price the close (0: none)'],
        ['batch', 'duration, 0 or ≥ 2µs', code('0s'), 'a batch market: an uncrossing every interval, no continuous trading (not with `opening` or `closing`)'],
        ['allocation', 'time \\| pro-rata', code('time'), 'priority at the auction price after price: time (Xetra), or pro rata to size in the price class that cannot be filled in full'],
        ['collarBps', 'integer 1–9999', code(1000), 'a market order sent during a call becomes a limit this far through the reference price (market-order protection), and expires after the uncrossing like an IOC'],
      ],
    },
    {
      title: '`interventions[]`',
      shape: 'interventions[]',
      intro:
        'Each has `at` and exactly one of `set` or `event`. Events: `{type: fundamental-jump, instrument, size}` (ticks, or log units for gbm), `{type: halt, instrument, halted}`, `{type: market-sell, instrument, qty}`, `{type: haircut-shock, add}`; `instrument` defaults to the first.',
      rows: [
        ['at', 'duration', 'required', 'when, from the start (within the horizon)'],
        ['set', 'mapping', 'none', 'live parameter changes `path: value`: only lender policy parameters (`agents.<lenders>.params.h`, `hMin`, `a`, `maintenanceRatio`, …) can change during a run; others are refused before it starts'],
        ['event', 'mapping', 'none', 'an event to inject'],
      ],
    },
    {
      title: '`sweep`',
      shape: 'sweep',
      intro: `Keys are paths (as for \`--set\`); runs are grid points × zip rows × random draws × seeds, at most ${MAX_RUNS.toLocaleString('en-US')}.`,
      rows: [
        ['grid', 'mapping', 'none', '`path: [values]`: every combination (the first path varies slowest)'],
        ['zip', 'mapping', 'none', '`path: [values]`: lists of one length, taken together'],
        ['random', 'mapping', 'none', '`{n, seed, space: {path: {min, max, integer, log} or [choices]}}`: `n` seeded draws (`seed` defaults to the base seed)'],
      ],
    },
  ];
}

function range(spec: ParamSpec): string {
  if (spec.choices !== undefined) return spec.choices.join(' \\| ');
  if (typeof spec.default === 'boolean') return 'true \\| false';
  if (typeof spec.default === 'string') return 'string';
  const kind = spec.integer === true ? 'integer' : 'number';
  const open = spec.exclusiveMin === true;
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} in ${open ? '(' : '['}${spec.min}, ${spec.max}]`;
  if (spec.min !== undefined) return `${kind} ${open ? '>' : '≥'} ${spec.min}`;
  if (spec.max !== undefined) return `${kind} ≤ ${spec.max}`;
  return kind;
}

/** The reference as markdown (what README.md holds between its markers). */
export function renderYamlReference(): string {
  const out: string[] = [
    '## Experiment file reference',
    '',
    '_Generated from the schema and the agent registry by `src/experiment/config/yaml-reference.ts`; do not edit by hand._',
    '',
    "**Durations** are whole microseconds (`250`) or a number with a unit: `us`, `ms`, `s`, `m`, `h`, `d` (`250us`, `5ms`, `30s`, `10m`, `6.5h`, `2d`). Agent parameters whose name ends in `Us` take durations too.",
    '',
    '**Paths** (`--set`, `sweep`, `interventions[].set`) are dotted, with indices or names: `horizon`, `credit.closeFactor`, `agents.1.params.maxQty`, `agents[1].params.maxQty`, `agents.noise.params.maxQty`, `instruments.ABC.fundamental.sigma`. Values are written as in the file.',
    '',
    '**Parameter values** of agents are a number, string or boolean, or a distribution drawn once per agent from its own stream: `{dist: uniform, min, max}`, `{dist: int, min, max}`, `{dist: normal, mean, sd}`, `{dist: lognormal, mu, sigma}`, `{dist: choice, values: [...]}`; or `{dist: each, values: [...]}`, which gives member i of the group values[i mod n] (a grid across the group, e.g. the ten funds’ β = 5, 10, …, 50 of Thurner, Farmer & Geanakoplos 2012).',
    '',
  ];
  for (const s of referenceSections()) {
    out.push(`### ${s.title}`, '', s.intro, '', table(s.rows), '');
  }
  out.push('### Agent types', '');
  for (const type of AGENT_TYPES.values()) {
    out.push(`#### \`${type.type}\``, '', `${type.summary}.`, '', '| parameter | default | range | meaning |', '|---|---|---|---|');
    for (const [key, spec] of Object.entries(type.params)) {
      const def = typeof spec.default === 'string' ? JSON.stringify(spec.default) : String(spec.default);
      out.push(`| \`${key}\` | \`${def}\` | ${range(spec)} | ${spec.doc.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** README text with the reference between the markers (appended with them when missing). */
export function withReference(readme: string): string {
  const block = `${REFERENCE_START}\n${renderYamlReference()}\n${REFERENCE_END}`;
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start >= 0 && end > start) return readme.slice(0, start) + block + readme.slice(end + REFERENCE_END.length);
  return `${readme.replace(/\n*$/, '\n\n')}${block}\n`;
}

function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(resolve(process.argv[1]))).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const path = process.argv[2] ?? 'README.md';
  writeFileSync(path, withReference(readFileSync(path, 'utf8')));
}
