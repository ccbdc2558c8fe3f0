/**
 * Memory benchmark, opt-in: `npm run bench -- memory [--days N]`.
 *
 * 1. One flagship day (experiments/leverage-cycle.yaml at `horizon=1d`) in a fresh process,
 *    as `levsim run` does it: peak RSS when the simulation ends and after
 *    the outputs are written, and the RSS of the bare process for scale.
 * 2. A long flagship run in a fresh process: `horizon` = N trading days of
 *    6.5 h back to back (plain trading time until sessions exist), with the
 *    sampler and the liquidation log of a run; RSS, live heap after a full
 *    GC, CPU and wall seconds at the end of each day. Memory that does not
 *    grow with finished work shows as flat figures from day 5 on. The trade
 *    log is recorded as a run records it: in chunks spilled to disk
 *    (`trade-store.ts`), so it no longer grows the heap.
 *
 * Each part runs in its own child process so that neither sees the other's
 * heap or the parent's.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../src/experiment/config/load-config.js';
import { LiquidationLog } from '../src/experiment/run/liquidation-log.js';
import { creditProbe, runExperiment } from '../src/experiment/run/run.js';
import { Sampler } from '../src/experiment/run/sampler.js';
import { buildScenario } from '../src/experiment/run/scenario.js';
import { TradeLog } from '../src/experiment/run/trade-log.js';
import { writeRunFolder } from '../src/experiment/output/run-folder.js';
import { tuneHeap } from '../src/cli/heap-tuning.js';

/** One trading day of the flagship, µs. */
const DAY_US = 6.5 * 3600 * 1e6;
const FLAGSHIP = fileURLToPath(new URL('../../experiments/leverage-cycle.yaml', import.meta.url));

/** Peak RSS of one flagship day, MB. */
export interface DayMemory {
  /** RSS of this process before loading anything of levsim's beyond this module. */
  startRssMb: number;
  /** Peak RSS when the simulation (and cascade reconstruction, summary) ended: timing.json's `peakRssMb`. */
  simulatedPeakRssMb: number;
  /** Peak RSS after writing CSV, Parquet and report.html. */
  writtenPeakRssMb: number;
  events: number;
  cpuSeconds: number;
  wallSeconds: number;
}

/** Figures at the end of one simulated day of a long run. */
export interface DayCheckpoint {
  day: number;
  rssMb: number;
  /** Live JavaScript heap after a full GC, MB. */
  liveHeapMb: number;
  /** JavaScript heap V8 keeps after that GC (live and free pages), MB. */
  heapTotalMb: number;
  /** Typed arrays and other off-heap buffers, MB. */
  arrayBuffersMb: number;
  events: number;
  /** CPU seconds (user + system) of this day alone: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  wallSeconds: number;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1_048_576) * 10) / 10;
}

function maxRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

async function measureDay(): Promise<DayMemory> {
  const startRssMb = mb(process.memoryUsage().rss);
  // One trading day, as the budget counts it (the shipped file runs five).
  const { config } = loadExperiment(FLAGSHIP, { sets: ['horizon=1d'] });
  const cpu = process.cpuUsage();
  const result = runExperiment(config);
  const used = process.cpuUsage(cpu);
  const simulatedPeakRssMb = maxRssMb();
  const dir = mkdtempSync(join(tmpdir(), 'levsim-bench-memory-'));
  try {
    await writeRunFolder(result, join(dir, 'run'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { startRssMb, simulatedPeakRssMb, writtenPeakRssMb: maxRssMb(), events: result.timing.events, cpuSeconds: (used.user + used.system) / 1e6, wallSeconds: result.timing.wallSeconds };
}

function measureLongRun(days: number): DayCheckpoint[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the long-run child with --expose-gc');
  const { config } = loadExperiment(FLAGSHIP, { sets: [`horizon=${days * 6.5}h`] });
  const scenario = buildScenario(config);
  const { kernel } = scenario;
  kernel.register(new Sampler(scenario.exchange, scenario.fundamentals, config.samplingUs, config.horizonUs, config.volWindow, creditProbe(scenario)));
  new LiquidationLog(kernel);
  new TradeLog(kernel);
  const out: DayCheckpoint[] = [];
  let events = 0;
  for (let day = 1; day <= days; day++) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    kernel.runUntil(Math.min(day * DAY_US, config.horizonUs));
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const rssMb = mb(process.memoryUsage().rss);
    gc();
    const m = process.memoryUsage();
    const total = kernel.stats.messages + kernel.stats.wakeups;
    out.push({ day, rssMb, liveHeapMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), arrayBuffersMb: mb(m.arrayBuffers), events: total - events, cpuSeconds: (used.user + used.system) / 1e6, wallSeconds });
    events = total;
    process.stderr.write(`  day ${day}: RSS ${rssMb} MB, live heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU\n`);
  }
  kernel.stop();
  return out;
}

function child<T>(args: readonly string[], nodeFlags: readonly string[] = []): T {
  const out = execFileSync(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 1 << 22, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as T;
}

/** One flagship day in a fresh process. */
export function benchDayMemory(): DayMemory {
  return child<DayMemory>(['--memory-day-json']);
}

/** A long flagship run in a fresh process, `days` trading days. */
export function benchLongRunMemory(days: number): DayCheckpoint[] {
  return child<DayCheckpoint[]>(['--memory-long-json', String(days)], ['--expose-gc']);
}

/** The table `npm run bench -- memory` prints. */
export function formatMemory(day: DayMemory, long: readonly DayCheckpoint[]): string {
  const lines = [
    `memory: one flagship day (${day.events.toLocaleString('en-US')} events, ${day.cpuSeconds.toFixed(1)} s CPU, ${day.wallSeconds.toFixed(1)} s wall)`,
    `  peak RSS ${day.simulatedPeakRssMb} MB when simulated, ${day.writtenPeakRssMb} MB after writing outputs (bare process ${day.startRssMb} MB)`,
    `memory: flagship run of ${long.length} trading days (6.5 h each), recording every trade as a run does`,
    '  day   RSS MB   live heap MB   heap total MB   buffers MB   events/day   CPU s/day   wall s/day',
  ];
  for (const c of long) {
    lines.push(`  ${String(c.day).padStart(3)}   ${c.rssMb.toFixed(0).padStart(6)}   ${c.liveHeapMb.toFixed(1).padStart(12)}   ${c.heapTotalMb.toFixed(1).padStart(13)}   ${c.arrayBuffersMb.toFixed(1).padStart(10)}   ${c.events.toLocaleString('en-US').padStart(10)}   ${c.cpuSeconds.toFixed(2).padStart(9)}   ${c.wallSeconds.toFixed(2).padStart(10)}`);
  }
  const from = long.find((c) => c.day === 5);
  const last = long.at(-1);
  if (from !== undefined && last !== undefined && last.day > 5) {
    const change = ((last.rssMb - from.rssMb) / from.rssMb) * 100;
    lines.push(`  RSS day 5 → day ${last.day}: ${from.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (${change >= 0 ? '+' : ''}${change.toFixed(1)} %)`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv;
  // The children measure a process as `levsim` runs it: with its heap tuning.
  if (argv.includes('--memory-day-json') || argv.includes('--memory-long-json')) tuneHeap();
  if (argv.includes('--memory-day-json')) console.log(JSON.stringify(await measureDay()));
  else if (argv.includes('--memory-long-json')) {
    const days = Number(argv[argv.indexOf('--memory-long-json') + 1]);
    console.log(JSON.stringify(measureLongRun(days)));
  }
}
