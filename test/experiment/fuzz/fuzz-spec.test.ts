import { describe, expect, it } from 'vitest';
import { fuzzSpecOf, loadFuzzSpecText } from '../../../src/experiment/fuzz/fuzz-spec.js';
import { ExperimentError, formatProblem, loadExperimentText } from '../../../src/experiment/config/load-config.js';

/** A tiny experiment: one market maker, a few noise traders, 30 simulated seconds. */
const BASE = [
  'name: tiny-fuzz',
  'horizon: 30s',
  'sampling: 5s',
  'agents:',
  '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
  '  - { type: noise, name: noise, count: 3, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
];

const file = (...fuzz: string[]) => [...BASE, 'fuzz:', ...fuzz.map((l) => `  ${l}`), ''].join('\n');

function problems(text: string): string[] {
  try {
    loadFuzzSpecText(text, 'f.yaml');
  } catch (e) {
    if (e instanceof ExperimentError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('loaded without problems');
}

describe('loadFuzzSpecText', () => {
  it('should read the space, the properties and the budget', () => {
    const spec = loadFuzzSpecText(
      file(
        'runs: 12',
        'seed: 7',
        'horizon: 20s',
        'space:',
        '  agents.noise.count: { min: 1, max: 9 }',
        '  agents.noise.params.marketOrderProb: { min: 0, max: 1 }',
        '  latency.us: { min: 100, max: 5000, shrinkTowards: max }',
        '  stp: { choices: [cancel-maker, cancel-taker] }',
        'properties:',
        '  - invariants',
        '  - bad-debt-at-most: 0',
        '  - expression: "trades < 50"',
      ),
      'f.yaml',
    );
    expect(spec.runs).toBe(12);
    expect(spec.seed).toBe(7);
    expect(spec.base.horizonUs).toBe(20_000_000);
    expect(spec.horizonCapUs).toBe(20_000_000);
    expect(spec.space).toEqual([
      { kind: 'range', path: 'agents.noise.count', min: 1, max: 9, integer: true, shrinkTowards: 'min' },
      { kind: 'range', path: 'agents.noise.params.marketOrderProb', min: 0, max: 1, integer: true, shrinkTowards: 'min' },
      { kind: 'range', path: 'latency.us', min: 100, max: 5000, integer: true, shrinkTowards: 'max' },
      { kind: 'choices', path: 'stp', values: ['cancel-maker', 'cancel-taker'] },
    ]);
    expect(spec.properties.map((p) => p.kind)).toEqual(['invariants', 'bad-debt-at-most', 'expression']);
    expect(spec.ignoresSweep).toBe(false);
  });

  it('should default runs to 100, seed to 1 and keep the horizon without a cap', () => {
    const spec = loadFuzzSpecText(file('space:', '  seed: { min: 1, max: 1000 }', 'properties: [no-lender-default]'), 'f.yaml');
    expect([spec.runs, spec.seed, spec.horizonCapUs, spec.base.horizonUs]).toEqual([100, 1, null, 30_000_000]);
  });

  it('should name an unknown config path at its key, with did-you-mean', () => {
    const text = file('space:', '  agents.noise.cont: { min: 1, max: 5 }', '  agents.nosie.count: { min: 1, max: 5 }', 'properties: [invariants]');
    expect(problems(text)).toEqual([
      `f.yaml:9:5: fuzz.space."agents.noise.cont": unknown key 'cont' (did you mean 'count'?)`,
      `f.yaml:10:5: fuzz.space."agents.nosie.count": agents.nosie: no agent group named 'nosie' (did you mean 'noise'?); agent groups: mm, noise`,
    ]);
  });

  it('should refuse an empty range and an empty list of choices, at the offending value', () => {
    const text = file('space:', '  agents.noise.count: { min: 9, max: 1 }', '  stp: { choices: [] }', '  horizon: { min: 1.2, max: 1.8, integer: true }', 'properties: [invariants]');
    expect(problems(text)).toEqual([
      `f.yaml:9:32: fuzz.space."agents.noise.count".min: empty range: min (9) is above max (1); to shrink toward the larger end write the range the right way round with 'shrinkTowards: max'`,
      'f.yaml:10:12: fuzz.space."stp".choices: empty choices: list at least one value',
      'f.yaml:11:21: fuzz.space."horizon".min: empty range: no whole number between 1.2 and 1.8',
    ]);
  });

  it('should refuse ends and choices the experiment refuses, and decimals for whole-number parameters', () => {
    const text = file(
      'space:',
      '  agents.noise.count: { min: -1, max: 3 }',
      '  stp: { choices: [cancel-maker, nope] }',
      '  agents.noise.params.maxQty: { min: 1, max: 5, integer: false }',
      'properties: [invariants]',
    );
    const p = problems(text);
    expect(p).toHaveLength(3);
    expect(p[0]).toMatch(/^f\.yaml:9:32: fuzz\.space\."agents\.noise\.count"\.min: agents\[1\]\.count: must be ≥ 0, got -1$/);
    expect(p[1]).toMatch(/^f\.yaml:10:36: fuzz\.space\."stp"\.choices\[1\]: stp: expected one of /);
    expect(p[2]).toMatch(/^f\.yaml:11:5: fuzz\.space\."agents\.noise\.params\.maxQty": a value inside the range \(2\.48\) is refused: .*whole numbers/);
  });

  it('should point at the column of an expression that does not parse', () => {
    const text = file('space:', '  seed: { min: 1, max: 3 }', 'properties:', '  - expression: "trades < (50))"', "  - expression: 'cascades.maxLiquidatons <= 3'", '  - expression: trades = 5');
    expect(problems(text)).toEqual([
      "f.yaml:11:33: fuzz.properties[0].expression: cannot parse the expression at column 14: unexpected ')': no '(' to close: 'trades < (50))'",
      "f.yaml:12:29: fuzz.properties[1].expression: cannot parse the expression at column 10: unknown field of 'cascades' 'maxLiquidatons' (did you mean 'maxLiquidations'?); known: count, maxLiquidations, maxNotional, shareIn3Plus, powerLaw: 'cascades.maxLiquidatons <= 3'",
      "f.yaml:13:26: fuzz.properties[2].expression: cannot parse the expression at column 8: unexpected character '=' (use '==' to compare): 'trades = 5'",
    ]);
  });

  it('should refuse unknown properties and keys, and limits without a number', () => {
    const text = file('run: 5', 'space:', '  seed: { min: 1, max: 3 }', 'properties:', '  - invariant', '  - bad-debt-at-most', '  - leverage-at-most: lots', '  - no-lender-default: true');
    const p = problems(text);
    expect(p).toEqual([`f.yaml:8:3: fuzz.run: unknown key 'run' (did you mean 'runs'?); expected runs, seed, horizon, space, properties`]);
    const q = problems(file('space:', '  seed: { min: 1, max: 3 }', 'properties:', '  - invariant', '  - bad-debt-at-most', '  - leverage-at-most: lots', '  - no-lender-default: true'));
    expect(q).toEqual([
      "f.yaml:11:7: fuzz.properties[0]: unknown property 'invariant' (did you mean 'invariants'?); properties: invariants, no-lender-default, bad-debt-at-most, max-drawdown-at-most, largest-cascade-at-most, leverage-at-most, expression",
      "f.yaml:12:7: fuzz.properties[1]: 'bad-debt-at-most' needs a limit, e.g. '- bad-debt-at-most: 0'",
      "f.yaml:13:25: fuzz.properties[2].leverage-at-most: expected a number, got 'lots'",
      "f.yaml:14:7: fuzz.properties[3].no-lender-default: 'no-lender-default' takes no value: write '- no-lender-default'",
    ]);
  });

  it('should locate alias problems in the fuzz section, not fail inside the YAML library', () => {
    const levels = Array.from({ length: 6 }, (_, i) => `l${i}: &l${i} [${Array(10).fill(i === 0 ? 'x' : `*l${i - 1}`).join(', ')}]`);
    expect(problems(file('space: { agents.noise.count: { min: 1, max: 2 } }', 'properties: [invariants]', 'extra:', ...levels.map((l) => `  ${l}`)))).toEqual([
      "f.yaml:15:49: aliases expand this file to more than 100,000 values (at '*l3'); write the values out or alias less",
    ]);
    expect(problems(file('space: { agents.noise.count: *nowhere }', 'properties: [invariants]'))).toEqual(["f.yaml:8:32: alias '*nowhere' refers to no anchor '&nowhere' defined before it"]);
  });

  it('should say when the fuzz section is missing, and refuse prototype keys in it', () => {
    expect(problems([...BASE, ''].join('\n'))).toEqual(["f.yaml:1:1: no 'fuzz' section: a fuzz file is an experiment plus a 'fuzz:' mapping with 'space' and 'properties'"]);
    expect(problems(file('space:', '  __proto__: { min: 1, max: 2 }', 'properties: [invariants]'))).toEqual(["f.yaml:9:5: fuzz.space.\"__proto__\": key '__proto__' is not allowed"]);
    expect(problems(file('space:', '  agents.constructor.count: { min: 1, max: 2 }', 'properties: [invariants]'))[0]).toMatch(/not allowed/);
  });

  it('should report problems of the experiment part at their own lines, as the normal loader does', () => {
    const text = file('space:', '  seed: { min: 1, max: 3 }', 'properties: [invariants]') + 'horizn: 5s\n';
    expect(problems(text)).toEqual(["f.yaml:11:1: horizn: unknown key 'horizn' (did you mean 'horizon'?)"]);
  });

  it('should refuse a horizon cap that makes the experiment invalid', () => {
    expect(problems(file('horizon: 2s', 'space:', '  seed: { min: 1, max: 3 }', 'properties: [invariants]'))[0]).toMatch(/^f\.yaml:8:12: fuzz\.horizon: the capped experiment is invalid: .*sampling interval \(5s\) is longer than the horizon \(2s\)/);
  });
});

describe('fuzzSpecOf', () => {
  it('should check a section given in code, with unlocated problems', () => {
    const base = loadExperimentText([...BASE, ''].join('\n'), 'base.yaml').config;
    expect(fuzzSpecOf(base, { space: { 'agents.noise.count': { min: 1, max: 4 } }, properties: ['invariants'] }).space).toHaveLength(1);
    expect(() => fuzzSpecOf(base, { space: { 'agents.noise.count': { min: 4, max: 1 } }, properties: [] })).toThrow(/empty range[\s\S]*needs at least one property/);
  });
});
