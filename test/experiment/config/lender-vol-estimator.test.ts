import { describe, expect, it } from 'vitest';
import { EwmaVolEstimator } from '../../../src/agents/ewma-vol-estimator.js';
import { GarchVolEstimator } from '../../../src/agents/garch-vol-estimator.js';
import type { Lender } from '../../../src/agents/lender.js';
import { RealizedVolEstimator } from '../../../src/agents/realized-vol-estimator.js';
import { ExperimentError, formatProblem, loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { buildScenario } from '../../../src/experiment/run/scenario.js';

/** A market with one lender whose params are `params` (YAML flow mapping body), on line 7 of the file. */
function experiment(params: string): string {
  return [
    'horizon: 10m',
    'sampling: 10s',
    'agents:',
    '  - { type: market-maker, name: mm, cash: 100000000, holdings: { ABC: 5000 }, params: { qty: 20 } }',
    '  - { type: noise, name: noise, count: 5, cash: 10000000, holdings: { ABC: 100 }, params: { meanInterArrivalUs: 1s } }',
    '  - { type: liquidator, name: liquidators, cash: 100000000 }',
    `  - { type: lender, name: lenders, cash: 2000000000, params: { policy: volatility, a: 356, hMin: 0.1, sampleIntervalUs: 10s, ${params} } }`,
    '',
  ].join('\n');
}

function problems(params: string): string[] {
  try {
    loadExperimentText(experiment(params), 'x.yaml');
  } catch (e) {
    if (e instanceof ExperimentError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected the experiment to be refused');
}

/** The lender built from `params`, after `untilUs` of its run. */
function lenderAfter(params: string, untilUs: number): Lender {
  const scenario = buildScenario(loadExperimentText(experiment(params), 'x.yaml').config);
  scenario.kernel.runUntil(untilUs);
  return scenario.groups.find((g) => g.name === 'lenders')!.agents[0] as Lender;
}

describe('lender volEstimator in the experiment file', () => {
  it('should refuse λ outside (0, 1), naming the key at its line and column (that of the value)', () => {
    expect(problems('volEstimator: ewma, ewmaLambda: 1')).toEqual([
      'x.yaml:7:158: agents[3].params.ewmaLambda: λ must lie strictly between 0 and 1 (λ = 1 never moves from its start, λ = 0 keeps only the last return), got 1',
    ]);
    expect(problems('volEstimator: ewma, ewmaLambda: 0')[0]).toMatch(/^x\.yaml:7:\d+: agents\[3\]\.params\.ewmaLambda: λ must lie strictly between 0 and 1 .*got 0$/);
    expect(problems('ewmaLambda: -0.2')[0]).toMatch(/params\.ewmaLambda: λ must lie strictly between 0 and 1 .*got -0\.2$/);
    expect(problems('ewmaLambda: { dist: uniform, min: 0.9, max: 1 }')[0]).toMatch(/params\.ewmaLambda: .*got draws in \[0\.9, 1\]$/);
  });

  it('should refuse α + β ≥ 1 with the reason, and a long run ≤ 0', () => {
    expect(problems('volEstimator: garch, garchAlpha: 0.2, garchBeta: 0.8')).toEqual([
      'x.yaml:7:175: agents[3].params.garchBeta: garchAlpha + garchBeta must be < 1, got 0.2 + 0.8 = 1: at 1 or more the GARCH variance has no long run ω/(1 − α − β) to revert to (it is not stationary)',
    ]);
    expect(problems('volEstimator: garch, garchAlpha: 0.99')[0]).toMatch(/params\.garchAlpha: garchAlpha \+ garchBeta must be < 1, got 0\.99 \+ 0\.9 = 1\.89/);
    expect(problems('volEstimator: garch, garchLongRunSigma: 0')[0]).toMatch(/params\.garchLongRunSigma: must be > 0, got 0: it is the volatility GARCH reverts to/);
  });

  it('should refuse both λ and a half-life, a half-life that rounds λ to 0, and an unknown estimator', () => {
    expect(problems('volEstimator: ewma, ewmaLambda: 0.9, ewmaHalfLifeUs: 5m')[0]).toMatch(/params\.ewmaLambda: give ewmaLambda or ewmaHalfLifeUs, not both/);
    expect(problems('volEstimator: ewma, ewmaHalfLifeUs: 1us')[0]).toMatch(/params\.ewmaHalfLifeUs: a half-life of 1us with samples every 10s makes λ = .* = 0 in floating point/);
    expect(problems('volEstimator: garh')[0]).toMatch(/params\.volEstimator: expected one of realized, ewma, garch \(did you mean 'garch'\?\), got 'garh'/);
    expect(problems('priorSigma: -0.001')[0]).toMatch(/params\.priorSigma: must be ≥ 0/);
  });

  it('should keep today’s estimator by default: realised over volWindow returns, no prior, fallback haircut until it is ready', () => {
    const lender = lenderAfter('volWindow: 30', 0);
    const est = lender.estimatorOf(0) as RealizedVolEstimator;
    expect(est).toBeInstanceOf(RealizedVolEstimator);
    expect(est.window).toBe(30);
    expect(est.minReturns).toBe(30);
    expect(est.priorSigma).toBeNaN();
    expect(lender.initialHaircut(0)).toBe(1); // hMax: no credit until the window fills
  });

  it('should build EWMA from a half-life and a prior, posting a finite haircut from its first repricing', () => {
    const lender = lenderAfter('volEstimator: ewma, ewmaHalfLifeUs: 2m, priorSigma: 0.0005', 0);
    const est = lender.estimatorOf(0) as EwmaVolEstimator;
    expect(est).toBeInstanceOf(EwmaVolEstimator);
    expect(est.lambda).toBeCloseTo(Math.pow(0.5, 10 / 120), 15);
    expect(lender.termsPosted).toBe(1);
    expect(lender.initialHaircut(0)).toBeCloseTo(356 * 0.0005, 12); // 0.178, not the fallback 1
  });

  it('should build GARCH from its long run, α and β, and realised with a prior', () => {
    const garch = lenderAfter('volEstimator: garch, garchAlpha: 0.1, garchBeta: 0.8, garchLongRunSigma: 0.0002, priorSigma: 0.0002', 0).estimatorOf(0) as GarchVolEstimator;
    expect(garch).toBeInstanceOf(GarchVolEstimator);
    expect(garch.omega).toBeCloseTo(0.0002 ** 2 * 10 * 0.1, 20);
    expect(garch.sigma).toBeCloseTo(0.0002, 15);
    const realized = lenderAfter('priorSigma: 0.0004, volWindow: 12', 0);
    expect(realized.estimatorOf(0)).toBeInstanceOf(RealizedVolEstimator);
    expect(realized.initialHaircut(0)).toBeCloseTo(356 * 0.0004, 12);
  });

  it('should make the estimator something an intervention cannot change mid-run', () => {
    const text = `${experiment('volEstimator: ewma')}interventions:\n  - { at: 1m, set: { agents.lenders.params.volEstimator: garch } }\n`;
    expect(() => buildScenario(loadExperimentText(text, 'x.yaml').config)).toThrow(/cannot change during a run/);
  });
});
