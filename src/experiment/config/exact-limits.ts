/**
 * Money and quantities are integers that must stay exact (below 2^53): the
 * ledger and the venue refuse, mid-run, any amount beyond it. This module
 * finds, at validation, the configs that would get there: more cash or lots
 * in all than 2^53, or an order size that at a plausible price is worth more
 * than the venue can hold. Each problem is a key path and a sentence, located
 * by the loader.
 *
 * @module
 */

import { makeInstrument, orderValueFits } from '../../market/instrument.js';
import type { AgentGroupConfig, InstrumentConfig, InterventionConfig } from './experiment-config.js';

/**
 * How far above its initial price (and its fundamental's mean) an instrument
 * may trade while its largest order still fits: a crash or a bubble of this
 * size must not turn orders into refusals.
 */
export const PRICE_HEADROOM = 10;

const LIMIT = '2^53 (the largest exact integer)';

type Add = (path: (string | number)[], message: string) => void;

/** Reports the configs whose cash, lots or largest order could leave exact integer arithmetic. */
export function exactArithmeticIssues(instruments: readonly InstrumentConfig[], agents: readonly AgentGroupConfig[], interventions: readonly InterventionConfig[], add: Add): void {
  instruments.forEach((spec, i) => checkLargestOrder(spec, i, add));

  let cash = 0;
  for (let g = 0; g < agents.length; g++) {
    const group = agents[g] as AgentGroupConfig;
    cash += group.count * group.cash;
    if (cash > Number.MAX_SAFE_INTEGER) {
      add(['agents', g, 'cash'], `the agents' cash adds up to more than ${LIMIT} minor units; give them less`);
      break;
    }
  }

  for (const spec of instruments) {
    let lots = 0;
    const over = (path: (string | number)[], what: string) => {
      add(path, `the lots of '${spec.symbol}' (${what}) add up to more than ${LIMIT}`);
    };
    for (let g = 0; g < agents.length && lots <= Number.MAX_SAFE_INTEGER; g++) {
      const group = agents[g] as AgentGroupConfig;
      lots += group.count * (Object.hasOwn(group.holdings, spec.symbol) ? group.holdings[spec.symbol] : 0);
      if (lots > Number.MAX_SAFE_INTEGER) over(['agents', g, 'holdings', spec.symbol], 'holdings');
    }
    for (let v = 0; v < interventions.length && lots <= Number.MAX_SAFE_INTEGER; v++) {
      const e = interventions[v]?.event;
      if (e?.type !== 'market-sell' || e.instrument !== spec.symbol) continue;
      lots += e.qty;
      if (lots > Number.MAX_SAFE_INTEGER) over(['interventions', v, 'event', 'qty'], 'holdings and market sells');
    }
  }
}

/** The largest order at {@link PRICE_HEADROOM} times the instrument's reference price must be one the venue can hold. */
function checkLargestOrder(spec: InstrumentConfig, i: number, add: Add): void {
  let instrument;
  try {
    instrument = makeInstrument(i, spec);
  } catch {
    return; // its tick and lot sizes are reported elsewhere
  }
  const reference = Math.max(spec.initialPrice, spec.fundamental.process === 'ou' ? spec.fundamental.mean : 0);
  const price = Math.ceil(reference * PRICE_HEADROOM);
  if (orderValueFits(instrument, price, spec.maxOrderQty)) return;
  const value = price * spec.maxOrderQty * instrument.minorPerTickLot;
  add(
    ['instruments', i, 'maxOrderQty'],
    `an order of maxOrderQty (${spec.maxOrderQty.toLocaleString('en-US')} lots) at ${PRICE_HEADROOM}× the price (${price.toLocaleString('en-US')} ticks × ${instrument.minorPerTickLot} minor units per tick-lot) is worth ${value.toExponential(2)} minor units; with its fee that passes ${LIMIT}: lower maxOrderQty or initialPrice`,
  );
}
