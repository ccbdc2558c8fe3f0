import { ABIDES_RMSC04, FLAGSHIP, FLAGSHIP_BENCH_HORIZON, MATCHED_DAYS, benchDayInChild, formatDays, perDay } from './day.js';
import { benchKernel } from './kernel.js';
import { benchDayMemory, benchLongRunMemory, formatMemory } from './memory.js';
import { benchOrderBook, formatOrderBookResult } from './orderbook.js';
import { benchOutputs, benchSweepInChild, type SweepBench } from './sweep.js';
import { YEAR_TARGET, benchYear, formatYear } from './year.js';

/**
 * `npm run bench`: every benchmark in one process, as a table, or as one
 * JSON object with `--json`. Benchmarks are not tests: they print figures.
 * `npm run bench -- memory [--days N]` runs the memory
 * benchmark alone (bench/memory.ts; N trading days, default 20), and
 * `npm run bench -- year [--days N]` the year benchmark (bench/year.ts;
 * default 250 days: minutes, so not part of the full run).
 */
async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  if (process.argv.includes('memory')) return memory(json);
  if (process.argv.includes('year')) return year(json);
  const log = (line: string) => {
    if (!json) console.log(line);
  };
  log('levsim benchmarks (node ' + process.version + ')\n');

  const orderbook = await benchOrderBook();
  log(formatOrderBookResult(orderbook));

  const kernel = await benchKernel();
  log(`\nkernel: ${fmt(kernel.eventsPerSecond)} events/s (dispatch only)`);

  // Whole days, each in a fresh process (its own peak RSS, a cold JIT, as ABIDES is measured).
  const days = MATCHED_DAYS.flatMap((e) => [benchDayInChild(e, 'bare'), benchDayInChild(e, 'cli')]);
  log('\none 6.5-h day at matched activity beside ABIDES rmsc04 (bare: kernel only, no outputs; cli: levsim run with CSV, Parquet, report), one process per run:');
  log(formatDays(days));
  const day = days[0]!;

  const lev = benchDayInChild(FLAGSHIP, 'bare', FLAGSHIP_BENCH_HORIZON);
  const levDay = perDay(lev);
  log(`\nflagship (experiments/${FLAGSHIP}.yaml: lenders, liquidators, leverage-targeting funds), its first ${FLAGSHIP_BENCH_HORIZON}, bare, own process:`);
  log(`  ${fmt(levDay.eventsPerDay)} kernel events per simulated day, ${fmt(levDay.eventsPerSecond)} kernel events/s, ${levDay.runSecondsPerDay.toFixed(2)} s wall per simulated day (${lev.cpuSeconds.toFixed(1)} s CPU for the process, peak RSS ${lev.peakRssMb.toFixed(0)} MB)`);
  log(`  ${fmt(lev.orderActions)} order actions, ${fmt(lev.trades)} trades, ${fmt(lev.liquidations)} liquidations; ${(levDay.eventsPerSecond / perDay(day).eventsPerSecond).toFixed(2)}× the matched rmsc04 day's events/s`);

  // Fresh processes: the benchmarks above leave a warm JIT and a large heap behind.
  const sweep = benchSweepInChild();
  log(`\nsweep of ${sweep.runs} short runs, 2 worker threads vs 1: speed-up ${sweep.speedup.toFixed(2)}×`);
  log(formatSweepTimings(sweep));
  const sweepSingleThreadedV8 = benchSweepInChild(['--single-threaded']);
  log(`  the same with V8's background compiler and GC threads off (node --single-threaded): speed-up ${sweepSingleThreadedV8.speedup.toFixed(2)}×`);
  log(formatSweepTimings(sweepSingleThreadedV8));
  const outputs = await benchOutputs();
  log(`flagship outputs: simulate ${outputs.simulateSeconds.toFixed(2)} s, write ${outputs.writeSeconds.toFixed(2)} s (CSV, Parquet, report): ${(outputs.writeShare * 100).toFixed(1)} % of wall time`);

  if (json) {
    console.log(
      JSON.stringify({
        orderbook,
        kernel,
        days: days.map((r) => ({ ...r, ...perDay(r) })),
        abides: ABIDES_RMSC04,
        flagship: { ...lev, ...perDay(lev) },
        sweep,
        sweepSingleThreadedV8,
        outputs,
      }),
    );
  }
}

function year(json: boolean): void {
  const run = benchYear(daysOption(YEAR_TARGET.days));
  console.log(json ? JSON.stringify({ year: run }) : formatYear(run));
}

/** `--days N`, or `fallback`. */
function daysOption(fallback: number): number {
  const at = process.argv.indexOf('--days');
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function memory(json: boolean): void {
  const at = process.argv.indexOf('--days');
  const days = at >= 0 ? Number(process.argv[at + 1]) : 20;
  if (!(Number.isInteger(days) && days >= 1)) throw new Error(`--days wants a whole number of days ≥ 1, got ${process.argv[at + 1]}`);
  const day = benchDayMemory();
  const long = benchLongRunMemory(days);
  console.log(json ? JSON.stringify({ memory: { day, long } }) : formatMemory(day, long));
}

function formatSweepTimings(s: SweepBench): string {
  const line = (label: string, t: SweepBench['oneWorker']) => `    ${label}: ${t.wallSeconds.toFixed(2)} s wall, ${t.cpuSeconds.toFixed(2)} s CPU, ${t.cores.toFixed(2)} cores busy`;
  return `${line('1 worker ', s.oneWorker)}\n${line('2 workers', s.twoWorkers)}`;
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

await main();
