/**
 * The `day` benchmark: whole simulated trading days at matched activity
 * beside ABIDES, and the leveraged flagship.
 *
 * Each run is a fresh Node process (`node dist/bench/day.js --child FILE
 * MODE`), so its peak RSS is its own (a process' peak only grows) and no
 * earlier benchmark has warmed its JIT — as ABIDES is measured, one process
 * per day. Two modes:
 * - `bare`: the scenario as `levsim run` builds it, the kernel run to the
 *   horizon, counting trades only: no sampler, no tables, no outputs (the
 *   counterpart of ABIDES' event loop);
 * - `cli`: `levsim run FILE --out TMP --quiet` through the command's own
 *   entry point: simulation, measurement, CSV, Parquet and the HTML report.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { MICROS_PER_HOUR } from '../src/engine/time.js';
import { loadExperiment } from '../src/experiment/config/load-config.js';
import { buildScenario } from '../src/experiment/run/scenario.js';

/** One simulated trading day: 6.5 hours (09:30–16:00), as in ABIDES' rmsc04 and levsim's shipped days. */
const TRADING_DAY_US = 6.5 * MICROS_PER_HOUR;

/** The matched-activity days, smallest first: ABIDES rmsc04's day and the same at 5× and 20× the population. */
export const MATCHED_DAYS = ['abides-rmsc04', 'abides-rmsc04-x5', 'abides-rmsc04-x20'] as const;

/** The leveraged flagship. */
export const FLAGSHIP = 'leverage-cycle';

/**
 * The flagship's own horizon is a year (the `year` benchmark); its per-day
 * figures come from its first twenty days, the cost a long run sees (its
 * first five days run at about three quarters of that speed while the JIT
 * warms up).
 */
export const FLAGSHIP_BENCH_HORIZON = '20d';

/** Figures of one run in its own process. */
export interface DayRun {
  experiment: string;
  mode: 'bare' | 'cli';
  simulatedDays: number;
  /** Kernel deliveries (messages and wake-ups). */
  events: number;
  /** Order commands the venue handled (places + cancels + modifies). */
  orderActions: number;
  places: number;
  cancels: number;
  trades: number;
  liquidations: number;
  /** bare: `kernel.run` alone; cli: `levsim run` from its entry point to its exit code, outputs written. */
  runSeconds: number;
  /** The child process from spawn to exit, as measured by the parent (Node's start-up and module loading included). */
  processSeconds: number;
  /** CPU time of the child, user + system, s: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMb: number;
}

/** The per-day and per-action figures of a run. */
export function perDay(r: DayRun): { runSecondsPerDay: number; processSecondsPerDay: number; runMicrosPerAction: number; eventsPerDay: number; eventsPerSecond: number } {
  return {
    runSecondsPerDay: r.runSeconds / r.simulatedDays,
    processSecondsPerDay: r.processSeconds / r.simulatedDays,
    runMicrosPerAction: (r.runSeconds / r.orderActions) * 1e6,
    eventsPerDay: r.events / r.simulatedDays,
    eventsPerSecond: r.events / r.runSeconds,
  };
}

/**
 * ABIDES' own rmsc04 day, measured by this project on its 2-core machine on
 * 2026-12-06 (not by the bench: it must run without ABIDES). To reproduce:
 * a work tree of jpmorganchase/abides-jpmc-public; Debian's python3-numpy,
 * -pandas, -scipy, -pomegranate, -coloredlogs, -termcolor; and with
 * PYTHONPATH=abides-core:abides-markets,
 *
 *   /usr/bin/time -v /usr/bin/python3 -c "from abides_markets.configs import rmsc04; from abides_core import abides; abides.run(rmsc04.build_config(seed=1, end_time='16:00:00'))"
 *
 * (its README's Python example with the market's full day; kernel seed 0,
 * as `abides.run` defaults). `eventLoopSeconds` is the "Event Queue elapsed"
 * it logs; `processSeconds`, `cpuSeconds` and `peakRssMb` come from
 * `/usr/bin/time -v`; the order counts from the agents' logs after the run:
 * ORDER_SUBMITTED (limit orders), CANCEL_SUBMITTED (cancels) and
 * ORDER_EXECUTED (fills, one per side of each match).
 */
export const ABIDES_RMSC04 = {
  measuredOn: '2026-12-06',
  /** rmsc04's config seed (its own default is the clock); seed 1 gives the counts issue 12 quotes. */
  seed: 1,
  simulatedDays: 1,
  /** Wall times on a shared machine at a 1-min load average of about 10 on 2 cores: compare CPU time first. */
  eventLoopSeconds: 77.11,
  processSeconds: 92.1,
  cpuSeconds: 38.25,
  peakRssMb: 291,
  messages: 474_993,
  limitOrders: 31_633,
  cancels: 11_833,
  fills: 37_460,
  /** Limit orders + cancels: what levsim counts as order actions. */
  orderActions: 43_466,
} as const;

/** Runs one experiment file in a fresh Node process, at its own horizon or `horizon`, and returns its figures. */
export function benchDayInChild(experiment: string, mode: 'bare' | 'cli', horizon?: string): DayRun {
  const started = process.hrtime.bigint();
  const args = [fileURLToPath(import.meta.url), '--child', experiment, mode, ...(horizon === undefined ? [] : [horizon])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...(JSON.parse(out) as Omit<DayRun, 'processSeconds'>), processSeconds };
}

function experimentFile(experiment: string): string {
  return fileURLToPath(new URL(`../../experiments/${experiment}.yaml`, import.meta.url));
}

/** The `bare` mode, in this process: build, run the kernel to the horizon, count. */
function runBare(experiment: string, sets: string[]): Omit<DayRun, 'processSeconds' | 'cpuSeconds' | 'peakRssMb'> {
  const { config } = loadExperiment(experimentFile(experiment), { sets });
  const scenario = buildScenario(config);
  const { kernel, exchange } = scenario;
  let trades = 0;
  let liquidations = 0;
  kernel.eventsOf('TradeExecuted').subscribe(() => trades++);
  kernel.eventsOf('PositionLiquidated').subscribe(() => liquidations++);
  const started = process.hrtime.bigint();
  kernel.run({ until: config.horizonUs });
  kernel.stop();
  const runSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const s = exchange.stats;
  return {
    experiment,
    mode: 'bare',
    simulatedDays: config.horizonUs / TRADING_DAY_US,
    events: kernel.stats.messages + kernel.stats.wakeups,
    orderActions: s.orderActions,
    places: s.places,
    cancels: s.cancels,
    trades,
    liquidations,
    runSeconds,
  };
}

/** The folder of the one run `levsim run --out out` wrote: `<out>/<name>/<run id>`. */
export function onlyRunFolder(out: string): string {
  const [name] = readdirSync(out);
  const dir = join(out, name as string);
  const [runId] = readdirSync(dir);
  return join(dir, runId as string);
}

/** The `cli` mode, in this process: `levsim run` with outputs, the counts read back from the run folder. */
async function runCli(experiment: string, sets: string[]): Promise<Omit<DayRun, 'processSeconds' | 'cpuSeconds' | 'peakRssMb'>> {
  const dir = mkdtempSync(join(tmpdir(), 'levsim-bench-day-'));
  try {
    const errors: string[] = [];
    const started = process.hrtime.bigint();
    const code = await main(['run', experimentFile(experiment), ...sets.flatMap((s) => ['--set', s]), '--out', dir, '--quiet'], { out: () => undefined, err: (l) => errors.push(l), tty: false });
    const runSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0) throw new Error(`levsim run ${experiment} exited ${code}: ${errors.join('; ')}`);
    const runDir = onlyRunFolder(dir);
    const timing = JSON.parse(readFileSync(join(runDir, 'timing.json'), 'utf8')) as { events: number; orderActions: { total: number; places: number; cancels: number } };
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { trades: number };
    const config = loadExperiment(experimentFile(experiment), { sets }).config;
    const liquidations = readFileSync(join(runDir, 'liquidations.csv'), 'utf8').trim().split('\n').length - 1;
    return {
      experiment,
      mode: 'cli',
      simulatedDays: config.horizonUs / TRADING_DAY_US,
      events: timing.events,
      orderActions: timing.orderActions.total,
      places: timing.orderActions.places,
      cancels: timing.orderActions.cancels,
      trades: summary.trades,
      liquidations,
      runSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table of the matched days beside ABIDES, one line per run. */
export function formatDays(runs: readonly DayRun[]): string {
  const lines = [
    '  experiment          mode  order actions (places + cancels)  trades    run s/day  process s/day  CPU s  µs/action  peak RSS',
  ];
  for (const r of runs) {
    const d = perDay(r);
    lines.push(
      `  ${r.experiment.padEnd(18)}  ${r.mode.padEnd(4)}  ${fmt(r.orderActions).padStart(9)} (${fmt(r.places)} + ${fmt(r.cancels)})`.padEnd(62) +
        `  ${fmt(r.trades).padStart(7)}  ${d.runSecondsPerDay.toFixed(2).padStart(9)}  ${d.processSecondsPerDay.toFixed(2).padStart(13)}  ${r.cpuSeconds.toFixed(1).padStart(5)}  ${d.runMicrosPerAction.toFixed(1).padStart(9)}  ${r.peakRssMb.toFixed(0).padStart(5)} MB`,
    );
  }
  const a = ABIDES_RMSC04;
  lines.push(
    `  ABIDES rmsc04       loop  ${fmt(a.orderActions).padStart(9)} (${fmt(a.limitOrders)} + ${fmt(a.cancels)})`.padEnd(62) +
      `  ${fmt(a.fills / 2).padStart(7)}  ${a.eventLoopSeconds.toFixed(2).padStart(9)}  ${a.processSeconds.toFixed(2).padStart(13)}  ${a.cpuSeconds.toFixed(1).padStart(5)}  ${((a.eventLoopSeconds / a.orderActions) * 1e6).toFixed(1).padStart(9)}  ${a.peakRssMb.toFixed(0).padStart(5)} MB`,
  );
  lines.push(`  (ABIDES: measured by this project on this machine on ${a.measuredOn}, seed ${a.seed}, not by this bench; trades = its ${fmt(a.fills)} fills / 2; see ABIDES_RMSC04 in bench/day.ts for the command)`);
  return lines.join('\n');
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    const experiment = process.argv[i + 1] as string;
    const mode = process.argv[i + 2] === 'cli' ? 'cli' : 'bare';
    const horizon = process.argv[i + 3];
    const sets = horizon === undefined ? [] : [`horizon=${horizon}`];
    const result = mode === 'cli' ? await runCli(experiment, sets) : runBare(experiment, sets);
    const usage = process.resourceUsage();
    console.log(JSON.stringify({ ...result, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: usage.maxRSS / 1024 }));
  } else {
    const runs = MATCHED_DAYS.flatMap((e) => [benchDayInChild(e, 'bare'), benchDayInChild(e, 'cli')]);
    console.log(formatDays(runs));
  }
}
