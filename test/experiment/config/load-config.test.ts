import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baselineExperiment, cascadeExperiment, defaultCredit, defaultExperiment } from '../../../src/experiment/config/defaults.js';
import { formatDuration, parseDuration } from '../../../src/experiment/config/duration.js';
import { ExperimentError, formatProblem, loadExperiment, loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { AGENT_TYPES } from '../../../src/experiment/registry/agent-types.js';
import { configYaml } from '../../../src/experiment/output/run-folder.js';
import { parseExperiment } from '../../../src/experiment/config/resolve-document.js';
import { toDocument } from '../../../src/experiment/config/to-document.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

/** The one-line problems of loading a file (as the CLI prints them, without `levsim: `). */
function problems(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ExperimentError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the experiment to be refused');
}

const fileProblems = (name: string) => problems(() => loadExperiment(fixture(name)));
const textProblems = (text: string, sets: string[] = []) => problems(() => loadExperimentText(text, 'x.yaml', { sets }));

describe('loadExperiment on malformed files', () => {
  it('should report bad indentation at the offending line and column', () => {
    expect(fileProblems('bad-indentation.yaml')).toEqual([`${fixture('bad-indentation.yaml')}:6:4: bad indentation: Sequence item without - indicator`]);
  });

  it('should report a wrong type with the path and what was expected', () => {
    expect(fileProblems('wrong-type.yaml')).toEqual([`${fixture('wrong-type.yaml')}:3:12: volWindow: expected a number, got 'thirty'`]);
  });

  it('should refuse an unknown key with a suggestion, pointing at the key', () => {
    expect(fileProblems('unknown-key.yaml')).toEqual([`${fixture('unknown-key.yaml')}:2:1: horizn: unknown key 'horizn' (did you mean 'horizon'?)`]);
  });

  it('should refuse an unknown agent parameter through the registry', () => {
    expect(fileProblems('unknown-param.yaml')).toEqual([`${fixture('unknown-param.yaml')}:10:7: agents[2].params.maxQt: unknown parameter of 'value' (did you mean 'maxQty'?)`]);
  });

  it('should refuse __proto__ keys', () => {
    expect(fileProblems('proto-key.yaml')).toEqual([`${fixture('proto-key.yaml')}:5:7: agents[0].params.__proto__: key '__proto__' is not allowed`]);
  });

  it('should refuse out-of-bounds counts rather than exhaust memory', () => {
    expect(fileProblems('out-of-bounds-count.yaml')).toEqual([`${fixture('out-of-bounds-count.yaml')}:4:12: agents[0].count: must be ≤ 100000, got 200000`]);
  });

  it('should refuse a malformed duration', () => {
    expect(fileProblems('bad-duration.yaml')).toEqual([
      `${fixture('bad-duration.yaml')}:2:10: horizon: expected trading time (whole µs or a number with a unit: us, ms, s, m, h, e.g. '6.5h') or whole trading days (e.g. '5d'), got '2 weeks'`,
    ]);
  });

  it('should report a missing file in one line', () => {
    expect(fileProblems('no-such-file.yaml')).toEqual([`${fixture('no-such-file.yaml')}: no such file`]);
  });

  it('should report every problem of a file, sorted by position', () => {
    const text = ['horizon: 4000d', 'sampling: 1x', 'agents:', '  - type: nois', '  - type: noise', '    constructor: 1', ''].join('\n');
    // A forbidden key, a bad value and an unknown agent type: all of them in one go.
    expect(textProblems(text)).toEqual([
      'x.yaml:1:10: horizon: must be at most 2,520 trading days (ten years), got 4000',
      "x.yaml:2:11: sampling: expected a duration: whole µs or a number with a unit (us, ms, s, m, h, d), e.g. '5ms', '30s', '6.5h', got '1x'",
      `x.yaml:4:11: agents[0].type: unknown agent type 'nois' (did you mean 'noise'?); known types: ${[...AGENT_TYPES.keys()].join(', ')}`,
      "x.yaml:6:5: agents[1].constructor: key 'constructor' is not allowed",
    ]);
    const text2 = ['horizon: 4000d', 'sampling: 1x', 'agents:', '  - type: nois', '  - type: noise', '    count: -1', 'stp: cancel-maker', ''].join('\n');
    expect(textProblems(text2)).toEqual([
      'x.yaml:1:10: horizon: must be at most 2,520 trading days (ten years), got 4000',
      "x.yaml:2:11: sampling: expected a duration: whole µs or a number with a unit (us, ms, s, m, h, d), e.g. '5ms', '30s', '6.5h', got '1x'",
      `x.yaml:4:11: agents[0].type: unknown agent type 'nois' (did you mean 'noise'?); known types: ${[...AGENT_TYPES.keys()].join(', ')}`,
      'x.yaml:6:12: agents[1].count: must be ≥ 0, got -1',
    ]);
  });

  it('should check agent types, names, holdings and totals across fields', () => {
    const text = [
      'agents:',
      '  - type: nois',
      '  - { type: noise, count: 60000 }',
      '  - { type: noise, count: 60000, holdings: { XYZ: 1 } }',
      '  - { type: value, params: { maxQty: 1.5, instrument: ABD } }',
      '',
    ].join('\n');
    const lines = textProblems(text);
    expect(lines[0]).toBe('x.yaml:1:1: agents: 120,002 agents in all exceed the limit of 100,000');
    expect(lines[1]).toMatch(/^x\.yaml:2:11: agents\[0\]\.type: unknown agent type 'nois' \(did you mean 'noise'\?\)/);
    expect(lines).toContain("x.yaml:4:13: agents[2].type: duplicate agent group name 'noise' (also agents[1]); give the group a 'name'");
    expect(lines).toContain("x.yaml:4:46: agents[2].holdings.XYZ: unknown instrument 'XYZ'; instruments: ABC");
    expect(lines).toContain('x.yaml:5:38: agents[3].params.maxQty: expected a whole number (largest order, lots), got 1.5');
    expect(lines).toContain("x.yaml:5:55: agents[3].params.instrument: unknown instrument 'ABD' (did you mean 'ABC'?)");
  });

  it('should refuse more timeseries rows than the limit', () => {
    // 30 trading days of 6.5 h.
    expect(textProblems('horizon: 30d\nsampling: 1ms\nagents: [{ type: noise }]\n')).toEqual(["x.yaml:2:11: sampling: 702,000,001 timeseries rows (horizon / sampling × instruments) exceed the limit of 1,000,000, which keeps a run's tables within memory (~1 GB per million rows); sample less often (at least 702ms)"]);
  });

  it('should check distributions of agent parameters', () => {
    const lines = textProblems('agents:\n  - type: noise\n    params: { maxQty: {dist: normal, mean: 5, sd: 1}, minQty: {dist: int, min: 5, max: 1}, offsetSdTicks: {dist: foo} }\n');
    expect(lines).toEqual([
      "x.yaml:3:114: agents[0].params.offsetSdTicks.dist: expected one of 'uniform', 'int', 'normal', 'lognormal', 'choice', 'each', got 'foo'",
    ]);
    expect(textProblems('agents:\n  - type: noise\n    params: { maxQty: {dist: normal, mean: 5, sd: 1}, minQty: {dist: int, min: 5, max: 1} }\n')).toEqual([
      "x.yaml:3:15: agents[0].params.maxQty: 'maxQty' is a whole number: use {dist: int, …} or {dist: choice, …}",
      'x.yaml:3:55: agents[0].params.minQty: distribution min (5) is above max (1)',
    ]);
  });
});

describe('loadExperiment on valid files', () => {
  it('should fill every default of defaults.ts', () => {
    const { config } = loadExperimentText('agents: [{ type: noise }]\n', 'empty.yaml');
    expect(config).toEqual({ ...defaultExperiment(), name: 'empty', agents: [{ type: 'noise', name: 'noise', count: 1, cash: 0, holdings: {}, params: {} }] });
  });

  it('should fill group and instrument defaults and parse durations', () => {
    const { config } = loadExperimentText(
      ['name: t', 'horizon: 2h', 'instruments: [{ symbol: XYZ, initialPrice: 5000 }]', 'agents: [{ type: noise, params: { meanInterArrivalUs: 1.5s } }]', 'credit: { gracePeriod: 90s }', ''].join('\n'),
      'x.yaml',
    );
    expect(config.horizonUs).toBe(7_200_000_000);
    expect(config.instruments[0]).toMatchObject({ symbol: 'XYZ', initialPrice: 5000, fundamental: { process: 'ou', mean: 5000 } });
    expect(config.agents[0]).toEqual({ type: 'noise', name: 'noise', count: 1, cash: 0, holdings: {}, params: { meanInterArrivalUs: 1_500_000 } });
    expect(config.credit).toEqual({ ...defaultCredit(), gracePeriodUs: 90_000_000 });
  });

  it('should give back the same config from config.yaml (round trip)', () => {
    const base = baselineExperiment(3);
    const again = loadExperimentText(configYaml(base), 'config.yaml').config;
    expect(again).toEqual(base);
    const file = loadExperiment(fixture('tiny.yaml')).config;
    expect(loadExperimentText(configYaml(file), 'config.yaml').config).toEqual(file);
  });

  it('should read episodeGap as a duration (60s by default), keep it in config.yaml and load it back', () => {
    expect(loadExperimentText('agents: [{ type: noise }]\n', 'x.yaml').config.episodeGapUs).toBe(60_000_000);
    const config = loadExperimentText('episodeGap: 2.5m\nagents: [{ type: noise }]\n', 'x.yaml').config;
    expect(config.episodeGapUs).toBe(150_000_000);
    expect(configYaml(config)).toContain('\nepisodeGap: 2.5m\n');
    expect(configYaml(defaultExperiment())).toContain('\nepisodeGap: 1m\n');
    expect(loadExperimentText(configYaml(config), 'config.yaml').config).toEqual(config);
    expect(loadExperimentText('agents: [{ type: noise }]\n', 'x.yaml', { sets: ['episodeGap=250ms'] }).config.episodeGapUs).toBe(250_000);
    expect(loadExperimentText('episodeGap: 7\nagents: [{ type: noise }]\n', 'x.yaml').config.episodeGapUs).toBe(7);
  });

  it('should read outputs.trades (true by default), keep it in config.yaml, take it from --set, and refuse anything but a boolean', () => {
    expect(loadExperimentText('agents: [{ type: noise }]\n', 'x.yaml').config.outputs).toEqual({ trades: true });
    const config = loadExperimentText('outputs: { trades: false }\nagents: [{ type: noise }]\n', 'x.yaml').config;
    expect(config.outputs.trades).toBe(false);
    expect(loadExperimentText(configYaml(config), 'config.yaml').config).toEqual(config);
    expect(loadExperimentText('agents: [{ type: noise }]\n', 'x.yaml', { sets: ['outputs.trades=false'] }).config.outputs.trades).toBe(false);
    expect(textProblems('outputs: { trades: "no" }\nagents: [{ type: noise }]\n')).toEqual(['x.yaml:1:20: outputs.trades: expected true or false']);
    expect(textProblems('outputs:\n  trade: false\nagents: [{ type: noise }]\n')).toEqual(["x.yaml:2:3: outputs.trade: unknown key 'trade' (did you mean 'trades'?)"]);
  });

  it('should refuse an episodeGap of 0 or less where it is written, in a plain sentence', () => {
    const why = 'the gap that separates liquidation episodes must be longer than 0 (liquidations closer than it in time form one episode)';
    expect(textProblems('agents: [{ type: noise }]\nepisodeGap: 0s\n')).toEqual([`x.yaml:2:13: episodeGap: ${why}, got '0s'`]);
    expect(textProblems('episodeGap: 0\nagents: [{ type: noise }]\n')).toEqual([`x.yaml:1:13: episodeGap: ${why}, got 0`]);
    expect(textProblems('episodeGap: -5s\nagents: [{ type: noise }]\n')).toEqual([`x.yaml:1:13: episodeGap: ${why}, got '-5s'`]);
    expect(textProblems('episodeGap: -3\nagents: [{ type: noise }]\n')).toEqual([`x.yaml:1:13: episodeGap: ${why}, got -3`]);
    expect(textProblems('episodeGap: soon\nagents: [{ type: noise }]\n')).toEqual([
      "x.yaml:1:13: episodeGap: expected a duration: whole µs or a number with a unit (us, ms, s, m, h, d), e.g. '5ms', '30s', '6.5h', got 'soon'",
    ]);
    expect(problems(() => loadExperimentText('agents: [{ type: noise }]\n', 'x.yaml', { sets: ['episodeGap=0s'] }))).toEqual([`--set episodeGap=0s: episodeGap: ${why}, got '0s'`]);
  });

  it('should apply --set overrides and --seed', () => {
    const { config } = loadExperiment(fixture('tiny.yaml'), { sets: ['agents.noise.params.maxQty=3', 'agents[2].count=4', 'horizon=2m', 'instruments.ABC.fundamental={process: gbm}'], seed: 99 });
    expect(config.agents[1]!.params.maxQty).toBe(3);
    expect(config.agents[2]!.count).toBe(4);
    expect(config.horizonUs).toBe(120_000_000);
    expect(config.instruments[0]!.fundamental).toEqual({ process: 'gbm', mu: 0, sigma: 1e-4, dtUs: 1_000_000, jumps: null });
    expect(loadExperimentText('latency: { us: 5ms }\nagents: [{ type: noise }]\n', 'x.yaml', { sets: ['latency={model: jittered}'] }).config.latency).toEqual({ model: 'jittered', baseUs: 100, meanJitterUs: 50 });
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['latency={model: jittered}'] }))).toEqual([`${fixture('tiny.yaml')}:29:5: sweep.zip.latency.us: unknown key 'us'`]);
    expect(config.seed).toBe(99);
  });

  it('should refuse an unknown --set path with a suggestion', () => {
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['agents.noise.params.maxQt=3'] }))).toEqual([
      "--set agents.noise.params.maxQt=3: agents.noise.params.maxQt: unknown parameter 'maxQt' of 'noise' (did you mean 'maxQty'?)",
    ]);
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['agents.nosie.count=3'] }))).toEqual([
      "--set agents.nosie.count=3: agents.nosie: no agent group named 'nosie' (did you mean 'noise'?); agent groups: mm, noise, value",
    ]);
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['horizn=3m'] }))).toEqual(["--set horizn=3m: horizn: unknown key 'horizn' (did you mean 'horizon'?)"]);
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['horizon=4000d'] }))).toEqual(['--set horizon=4000d: horizon: must be at most 2,520 trading days (ten years), got 4000']);
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['horizon'] }))).toEqual(['--set horizon: expected path=value, e.g. --set agents.noise.params.maxQty=20']);
    expect(problems(() => loadExperiment(fixture('tiny.yaml'), { sets: ['__proto__.x=1'] }))).toEqual(["--set __proto__.x=1: __proto__: '__proto__' is not an allowed key"]);
  });

  it('should normalise intervention paths and values, and refuse unknown ones where they are written', () => {
    const ok = loadExperimentText(
      ['agents: [{ type: noise, name: n }]', 'interventions:', '  - at: 1h', '    set: { agents.n.params.maxQty: 3, credit.gracePeriod: 1m }', '  - { at: 2h, event: { type: halt } }', ''].join('\n'),
      'x.yaml',
    ).config;
    expect(ok.interventions).toEqual([
      { atUs: 3_600_000_000, set: { 'agents.0.params.maxQty': 3, 'credit.gracePeriodUs': 60_000_000 }, event: null },
      { atUs: 7_200_000_000, set: {}, event: { type: 'halt', instrument: 'ABC', halted: true } },
    ]);
    expect(loadExperimentText(configYaml(ok), 'config.yaml').config).toEqual(ok);
    expect(textProblems(['agents: [{ type: noise, name: n }]', 'interventions:', '  - at: 1h', '    set: { agents.n.params.maxQt: 3, credit.closeFactor: 2 }', ''].join('\n'))).toEqual([
      "x.yaml:4:12: interventions[0].set.agents.n.params.maxQt: unknown parameter 'maxQt' of 'noise' (did you mean 'maxQty'?)",
      'x.yaml:4:58: interventions[0].set.credit.closeFactor: must be ≤ 1, got 2',
    ]);
    expect(textProblems('interventions: [{ at: 1h }]\nagents: [{ type: noise }]\n')).toEqual(["x.yaml:1:17: interventions[0]: needs exactly one of 'set' or 'event'"]);
  });

  it('should check sweep paths and values where they are written', () => {
    const text = ['agents: [{ type: noise }]', 'sweep:', '  grid: { agents.noise.params.maxQt: [1, 2], agents.noise.count: [1, -1] }', ''].join('\n');
    expect(textProblems(text)).toEqual([
      "x.yaml:3:11: sweep.grid.agents.noise.params.maxQt: unknown parameter 'maxQt' of 'noise' (did you mean 'maxQty'?)",
      'x.yaml:3:70: sweep.grid.agents.noise.count[1]: agents[0].count: must be ≥ 0, got -1',
    ]);
    expect(textProblems('sweep: { zip: { horizon: [1m, 2m], sampling: [1s] } }\nagents: [{ type: noise }]\n')).toEqual(["x.yaml:1:10: sweep.zip: the lists of 'zip' must have one length; got horizon: 2, sampling: 1"]);
  });

  it('should load the shipped experiments', () => {
    for (const name of ['no-leverage', 'abides-rmsc04', 'leverage-cycle', 'cascade', 'policy-comparison']) {
      const file = fileURLToPath(new URL(`../../../experiments/${name}.yaml`, import.meta.url));
      expect(loadExperiment(file).config.name).toBe(name);
    }
    const rmsc04 = loadExperiment(fileURLToPath(new URL('../../../experiments/abides-rmsc04.yaml', import.meta.url))).config;
    const baseline = baselineExperiment();
    expect(rmsc04.agents).toEqual(baseline.agents);
    expect({ ...rmsc04, name: baseline.name, description: baseline.description }).toEqual(baseline);
  });

  it('should ship TFG 2012 on a batch market with the paper’s λ_max sweep, h = 1/λ_max', () => {
    const loaded = loadExperiment(fileURLToPath(new URL('../../../experiments/tfg-2012.yaml', import.meta.url)));
    expect(loaded.config.auctions?.batchUs).toBe(10_000_000);
    const grid = loaded.sweep.grid[0]!;
    expect(grid.path).toBe('agents.bank.params.h');
    expect(grid.values.map((h) => Math.round((1 / Number(h)) * 1e4) / 1e4)).toEqual([1, 2, 5, 7.5, 10, 15, 20]);
  });

  it('should ship abides-rmsc04-x5 and -x20 as the rmsc04 day with every group 5× and 20× as large, nothing else changed', () => {
    const load = (name: string) => loadExperiment(fileURLToPath(new URL(`../../../experiments/${name}.yaml`, import.meta.url))).config;
    const base = load('abides-rmsc04');
    for (const k of [5, 20]) {
      const scaled = load(`abides-rmsc04-x${k}`);
      expect(scaled.name).toBe(`abides-rmsc04-x${k}`);
      expect(scaled.agents).toEqual(base.agents.map((g) => ({ ...g, count: g.count * k })));
      expect({ ...scaled, name: base.name, description: base.description, agents: base.agents }).toEqual(base);
    }
  });

  it('should ship the control as the flagship with lenders that do not lend, and cascade as its preset', () => {
    const file = (name: string) => fileURLToPath(new URL(`../../../experiments/${name}.yaml`, import.meta.url));
    const flagship = loadExperiment(file('leverage-cycle')).config;
    const control = loadExperiment(file('no-leverage')).config;
    // Same market, seed, horizon and calendar; only the lenders' policy (and the names) differ.
    const lenders = (c: typeof flagship) => c.agents.findIndex((g) => g.type === 'lender');
    const strip = (c: typeof flagship) => ({ ...c, name: '', description: '', agents: c.agents.filter((_, i) => i !== lenders(c)) });
    expect(strip(control)).toEqual(strip(flagship));
    expect(control.agents[lenders(control)]?.params).toMatchObject({ policy: 'fixed', h: 1 });
    expect(flagship.agents[lenders(flagship)]?.params).toMatchObject({ policy: 'var', termsApply: 'immediate' });
    expect(flagship.instruments[0]?.fundamental.jumps ?? null).toBeNull();
    // A year, without the one table that grows with every trade.
    expect(flagship.horizonUs).toBe(250 * 23_400e6);
    expect(flagship.outputs.trades).toBe(false);
    // leverage-targeting.yaml is the flagship's model over 20 days with lenders that move terms at the roll, and funds that never close.
    const twenty = loadExperiment(file('leverage-targeting')).config;
    const mortal = (c: typeof flagship) => ({
      ...strip(c),
      horizonUs: 0,
      horizonDays: 0,
      outputs: null,
      agents: strip(c).agents.map((g) => (g.type === 'leverage-targeter' ? { ...g, params: { ...g.params, bankruptcyFloor: 0.1, reentryDelayUs: 20 * 23_400e6 } } : g)),
    });
    expect(mortal(twenty)).toEqual(mortal(flagship));
    expect(flagship.agents.find((g) => g.type === 'leverage-targeter')?.params).toMatchObject({ bankruptcyFloor: 0.1, reentryDelayUs: 20 * 23_400e6 });
    expect(twenty.agents[lenders(twenty)]?.params).toMatchObject({ policy: 'var', termsApply: 'roll' });
    // The impact probe runs on the control's market for issue 12's five days.
    const probe = loadExperiment(file('impact-probe')).config;
    expect({ ...probe, name: '', description: '', horizonUs: 0, horizonDays: 0, outputs: null, agents: probe.agents.filter((g) => g.type !== 'impact-probe') }).toEqual({ ...control, name: '', description: '', horizonUs: 0, horizonDays: 0, outputs: null });
    expect(loadExperiment(file('cascade')).config).toEqual(cascadeExperiment(1));
  });

  it('should ship the policy comparison, the ablation and the leverage sweep as leverage-targeting.yaml with only lenders, liquidators or the cap changed', () => {
    const file = (name: string) => fileURLToPath(new URL(`../../../experiments/${name}.yaml`, import.meta.url));
    const base = loadExperiment(file('leverage-targeting')).config;
    const market = (c: typeof base) => ({ ...c, name: '', description: '', agents: c.agents.filter((g) => g.type !== 'lender' && g.type !== 'liquidator' && g.type !== 'leverage-targeter') });
    const banks = (c: typeof base) => {
      const { leverageCap: _cap, ...rest } = c.agents.find((g) => g.type === 'leverage-targeter')!.params;
      return rest;
    };
    for (const name of ['policy-comparison', 'ablation', 'leverage-sweep']) {
      const c = loadExperiment(file(name)).config;
      expect(market(c), name).toEqual(market(base));
      expect(banks(c), name).toEqual(banks(base));
    }
    const arms = (name: string) => Object.fromEntries(loadExperiment(file(name)).sweep.zip.map((a) => [a.path, a.values]));
    expect(arms('policy-comparison')['agents.lenders.params.policy']).toEqual(['fixed', 'var', 'var', 'countercyclical', 'countercyclical']);
    expect(arms('policy-comparison')['agents.lenders.params.termsApply']).toEqual(['roll', 'immediate', 'roll', 'roll', 'roll']);
    expect(arms('ablation')).toEqual({
      'agents.liquidators.count': [3, 0, 3, 3],
      'agents.lenders.params.policy': ['var', 'var', 'fixed', 'fixed'],
      'agents.lenders.params.h': [1, 1, 0.102, 1],
    });
    expect(loadExperiment(file('leverage-sweep')).sweep.grid).toEqual([{ path: 'agents.banks.params.leverageCap', values: [1, 2, 3, 4, 5, 6] }]);
  });
});

describe('durations', () => {
  it('should parse every unit to whole µs', () => {
    expect(parseDuration('250us')).toEqual({ us: 250 });
    expect(parseDuration('5ms')).toEqual({ us: 5_000 });
    expect(parseDuration('30s')).toEqual({ us: 30_000_000 });
    expect(parseDuration('10m')).toEqual({ us: 600_000_000 });
    expect(parseDuration('6.5h')).toEqual({ us: 23_400_000_000 });
    expect(parseDuration('2d')).toEqual({ us: 172_800_000_000 });
    expect(parseDuration(1234)).toEqual({ us: 1234 });
    expect(parseDuration('0.1s')).toEqual({ us: 100_000 });
  });

  it('should refuse fractions of a µs and non-durations', () => {
    expect(parseDuration('1.5us')).toEqual({ problem: "'1.5us' is not a whole number of microseconds" });
    expect('problem' in parseDuration(1.5)).toBe(true);
    expect('problem' in parseDuration(-1)).toBe(true);
    expect('problem' in parseDuration('5 weeks')).toBe(true);
    expect('problem' in parseDuration(true)).toBe(true);
  });

  it('should format durations exactly (parse ∘ format = id)', () => {
    for (const us of [0, 1, 999, 1000, 1500, 60_000_000, 23_400_000_000, 172_800_000_000, 123_456_789, 7]) {
      expect(parseDuration(formatDuration(us))).toEqual({ us });
    }
    expect(formatDuration(23_400_000_000)).toBe('6.5h');
    expect(formatDuration(100)).toBe('100us');
  });
});

describe('toDocument', () => {
  it('should be the inverse of parsing', () => {
    const config = baselineExperiment(5);
    expect(parseExperiment(toDocument(config), config.name).config).toEqual(config);
  });
});
