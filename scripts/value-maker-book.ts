/**
 * Quick measurement of the value-maker (issue 12, item 2) on
 * `test/fixtures/value-maker-book.yaml`: samples the book and each maker's
 * inventory once a second and prints the quoted spread (median, 95th
 * percentile, share of samples with a side empty), each maker's drawn
 * parameters, its largest |inventory| against its limit, and the makers'
 * share of traded volume.
 *
 *   npx tsc -p tsconfig.build.json && node dist/scripts/value-maker-book.js [file] [seed]
 *
 * @module
 */

import { fileURLToPath } from 'node:url';
import { ValueMaker } from '../src/agents/value-maker.js';
import { loadExperiment } from '../src/experiment/config/load-config.js';
import { buildScenario } from '../src/experiment/run/scenario.js';

const SECOND = 1_000_000;

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function main(): void {
  const file = process.argv[2] ?? fileURLToPath(new URL('../../test/fixtures/value-maker-book.yaml', import.meta.url));
  const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const { config } = loadExperiment(file, seed === undefined ? {} : { seed });
  const scenario = buildScenario(config);
  const makers = scenario.groups.flatMap((g) => g.agents).filter((a): a is ValueMaker => a instanceof ValueMaker);
  const book = scenario.exchange.book(0);
  const spreads: number[] = [];
  let oneSided = 0;
  const maxAbs = makers.map(() => 0);
  const traded0 = makers.map((m) => m.tracker.tradedQty);
  for (let t = SECOND; t <= config.horizonUs; t += SECOND) {
    scenario.kernel.runUntil(t);
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid === undefined || ask === undefined) oneSided++;
    else spreads.push(ask - bid);
    makers.forEach((m, i) => {
      maxAbs[i] = Math.max(maxAbs[i]!, Math.abs(m.inventory));
    });
  }
  spreads.sort((a, b) => a - b);
  const samples = spreads.length + oneSided;
  const volume = scenario.exchange.volume(0);
  console.log(`${config.name} seed ${config.seed}: ${samples} one-second samples`);
  console.log(`quoted spread, ticks: median ${quantile(spreads, 0.5)}, p95 ${quantile(spreads, 0.95)}, max ${spreads[spreads.length - 1]}; a side empty in ${oneSided} samples`);
  makers.forEach((m, i) => {
    const traded = m.tracker.tradedQty - traded0[i]!;
    console.log(
      `${m.name}: ${m.fairValueSource}, base ${m.baseHalfSpreadTicks.toFixed(2)}, maxSkew ${m.maxSkewTicks.toFixed(2)}, qty ${m.qty}; ` +
        `max |inventory| ${maxAbs[i]} of ${m.maxInventory} (${((100 * maxAbs[i]!) / m.maxInventory).toFixed(0)} %), final ${m.inventory}; ` +
        `traded ${traded} lots (${((100 * traded) / (2 * volume)).toFixed(1)} % of both sides)`,
    );
  });
}

main();
