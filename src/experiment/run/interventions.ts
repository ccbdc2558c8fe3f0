import { produceWithPatches, enablePatches, type Patch } from 'immer';
import { BaseAgent } from '../../engine/agent.js';
import type { AgentId } from '../../engine/agent-id.js';
import { RandomStream } from '../../engine/random-stream.js';
import type { Micros } from '../../engine/time.js';
import type { ReviseLending } from '../../agents/lender.js';
import type { Exchange } from '../../market/exchange.js';
import type { Ledger } from '../../market/ledger.js';
import type { PlaceOrder } from '../../market/order-messages.js';
import type { ValueProcess } from '../../market/value-process.js';
import { drawParams } from '../registry/agent-params.js';
import type { AgentType } from '../registry/agent-registry.js';
import type { ExperimentConfig, InterventionConfig } from '../config/experiment-config.js';
import { ConfigError } from '../config/config-error.js';
import { setIn } from '../config/config-path.js';
import { LIVE_LENDER_PARAMS, lenderRevision } from '../registry/credit-agent-types.js';

enablePatches();

/** A built agent group, as interventions need it. */
export interface InterventionGroup {
  readonly type: AgentType;
  readonly agents: readonly { readonly name: string }[];
  readonly ids: readonly AgentId[];
}

/** What an intervention may act on. */
export interface InterventionTargets {
  readonly config: ExperimentConfig;
  readonly exchange: Exchange;
  readonly ledger: Ledger;
  readonly fundamentals: readonly ValueProcess[];
  readonly groups: readonly InterventionGroup[];
}

/** One applied intervention, for the record. */
export interface AppliedIntervention {
  readonly timeUs: Micros;
  readonly patches: readonly Patch[];
  readonly event: string | null;
}

/** `agents.<i>.params.<name>`: the only config paths that can change while a run goes on. */
const LIVE_PATH = /^agents\.(\d+)\.params\.(\w+)$/;

/**
 * Checks, before the run, that every `set` of every intervention names a
 * parameter that can change live (lender policy parameters); others are
 * refused with the list of what can.
 */
export function checkInterventions(config: ExperimentConfig, types: readonly AgentType[]): void {
  config.interventions.forEach((iv, i) => {
    for (const path of Object.keys(iv.set)) {
      const m = LIVE_PATH.exec(path);
      const type = m === null ? undefined : types[Number(m[1])];
      if (m === null || type === undefined || type.lender !== true || !LIVE_LENDER_PARAMS.has(m[2] as string)) {
        throw new ConfigError(['interventions', i, 'set', path], `cannot change during a run; live parameters are the lenders' ${[...LIVE_LENDER_PARAMS].join(', ')} (use an event for shocks, halts and sales)`);
      }
    }
  });
}

/**
 * The stress-test driver: at each intervention's time it applies the
 * config patch (with immer; the patches are kept as the record of what
 * changed) and tells the affected lenders through `ReviseLending`, or injects
 * an event — a fundamental jump, a trading halt, an exogenous market sell,
 * a haircut shock to every lender. It is an agent so that everything it
 * causes carries its wake-up as cause.
 */
export class InterventionAgent extends BaseAgent {
  readonly applied: AppliedIntervention[] = [];
  private current: ExperimentConfig;
  private readonly schedule: InterventionConfig[];
  private readonly account: number;
  private next = 0;
  private orders = 0;

  constructor(private readonly targets: InterventionTargets) {
    super('interventions');
    this.current = targets.config;
    this.schedule = [...targets.config.interventions].sort((a, b) => a.atUs - b.atUs);
    this.account = targets.ledger.openAccount('interventions');
  }

  override onStart(): void {
    this.targets.exchange.bindAccount(this.id, this.account);
    this.scheduleNext();
  }

  override onWakeup(now: Micros): void {
    while (this.next < this.schedule.length && (this.schedule[this.next] as InterventionConfig).atUs <= now) {
      this.apply(now, this.schedule[this.next] as InterventionConfig);
      this.next++;
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const iv = this.schedule[this.next];
    if (iv !== undefined) this.wakeAt(Math.max(iv.atUs, this.kernel.now));
  }

  private apply(now: Micros, iv: InterventionConfig): void {
    if (iv.event === null) {
      const [next, patches] = produceWithPatches(this.current, (draft) => {
        for (const [path, value] of Object.entries(iv.set)) setIn(draft, path.split('.'), value);
      });
      this.current = next;
      this.applied.push({ timeUs: now, patches, event: null });
      this.reviseLenders(iv.set);
      return;
    }
    this.applied.push({ timeUs: now, patches: [], event: iv.event.type });
    const e = iv.event;
    switch (e.type) {
      case 'fundamental-jump':
        (this.targets.fundamentals[this.instrument(e.instrument)] as ValueProcess).shock(now, e.size);
        return;
      case 'halt':
        this.targets.exchange.setHalted(this.instrument(e.instrument), e.halted);
        return;
      case 'market-sell': {
        // An outside seller arrives with the lots (an explicit external flow of supply) and sells at market.
        const instrument = this.instrument(e.instrument);
        const issued = this.targets.ledger.issue(this.account, instrument, e.qty);
        if (issued !== 'OK') throw new Error(`intervention sale could not be funded: ${issued}`);
        const order: PlaceOrder = { type: 'PlaceOrder', instrument, clientOrderId: ++this.orders, side: 'sell', orderType: 'market', price: 0, qty: e.qty };
        this.send(this.targets.exchange.id, order);
        return;
      }
      case 'haircut-shock': {
        const revision: ReviseLending = { type: 'ReviseLending', haircutAdd: e.add };
        for (const g of this.targets.groups) if (g.type.lender === true) for (const id of g.ids) this.send(id, revision);
        return;
      }
    }
  }

  /** Sends each lender of a changed group its revised terms, drawn as at build time from the patched parameters. */
  private reviseLenders(set: Readonly<Record<string, unknown>>): void {
    // Per agent group: the names of the parameters changed.
    const touched = new Map<number, string[]>();
    for (const path of Object.keys(set)) {
      const m = LIVE_PATH.exec(path) as RegExpExecArray;
      const g = Number(m[1]);
      touched.set(g, [...(touched.get(g) ?? []), m[2] as string]);
    }
    for (const [g, changed] of touched) {
      const groupConfig = this.current.agents[g]!;
      const built = this.targets.groups[g]!;
      built.agents.forEach((agent, k) => {
        const params = drawParams(built.type, groupConfig.params, new RandomStream(this.current.seed, `params/${agent.name}`), k, ['agents', g, 'params']);
        const revision: ReviseLending = { type: 'ReviseLending', ...lenderRevision(params, changed) };
        this.send(built.ids[k] as AgentId, revision);
      });
    }
  }

  private instrument(symbol: string): number {
    const i = this.targets.exchange.instruments.findIndex((x) => x.symbol === symbol);
    if (i < 0) throw new Error(`unknown instrument ${symbol} in an intervention`);
    return i;
  }
}
