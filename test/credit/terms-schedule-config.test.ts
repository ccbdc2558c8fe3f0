import { describe, expect, it } from 'vitest';
import { ExperimentError, formatProblem, loadExperimentText } from '../../src/experiment/config/load-config.js';
import { Lender } from '../../src/agents/lender.js';
import { FixedHaircut } from '../../src/agents/fixed-haircut.js';
import { buildScenario } from '../../src/experiment/run/scenario.js';
import { Kernel } from '../../src/engine/kernel.js';
import { FakeCreditVenue } from '../agents/fake-credit-venue.js';

/** A file with one lender group whose params are `params` (YAML flow mapping body). */
const file = (params: string) => ['horizon: 1h', 'agents:', '  - type: lender', '    name: lenders', `    params: { ${params} }`, ''].join('\n');

/** Column (1-based) of the value of `key` on line 5 of `file(params)`. */
const col = (params: string, key: string) => file(params).split('\n')[4]!.indexOf(`${key}: `) + key.length + 3;

/** The one-line problems of loading `text` (as the CLI prints them). */
function problems(text: string): string[] {
  try {
    loadExperimentText(text, 'x.yaml', { sets: [] });
  } catch (e) {
    if (e instanceof ExperimentError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('lender terms schedule in YAML', () => {
  it('should refuse zero and negative intervals and a step outside (0, 1], at the value, naming the key', () => {
    /** The one problem of `params`, which must be at the value of `key`, say `message` about it and end with `got`. */
    const refused = (params: string, key: string, message: string, got: string) => {
      const found = problems(file(params));
      expect(found).toHaveLength(1);
      expect(found[0]!.startsWith(`x.yaml:5:${col(params, key)}: agents[0].params.${key}: ${message}`)).toBe(true);
      expect(found[0]!.endsWith(`got ${got}`)).toBe(true);
    };
    expect(col('termsApply: roll, rollIntervalUs: 0', 'rollIntervalUs')).toBe(49);
    refused('termsApply: roll, rollIntervalUs: 0', 'rollIntervalUs', "must be ≥ 1000 (roll: calendar time between a loan's rolls", '0');
    refused('termsApply: roll, rollIntervalUs: -1', 'rollIntervalUs', 'must be ≥ 1000', '-1');
    refused('termsApply: notice, noticeUs: 0', 'noticeUs', 'must be ≥ 1 (notice: time from a posting to its application', '0');
    refused('termsApply: notice, noticeUs: -5', 'noticeUs', 'must be ≥ 1', '-5');
    refused('maxHaircutStep: 0', 'maxHaircutStep', "must be > 0 (largest change of a loan's maintenance haircut in one application", '0');
    refused('maxHaircutStep: -0.1', 'maxHaircutStep', 'must be > 0', '-0.1');
    refused('maxHaircutStep: 1.5', 'maxHaircutStep', 'must be ≤ 1', '1.5');
    refused('termsApply: weekly', 'termsApply', 'expected one of immediate, roll, notice', "'weekly'");
    expect(problems(file('termsApply: roll, rollIntervalUs: 1d, maxHaircutStep: 0.05'))).toEqual([]);
    expect(problems(file('termsApply: notice, noticeUs: 2h, maxHaircutStep: 1'))).toEqual([]);
  });

  it('should build lenders that post their schedule, and leave it out for the default', () => {
    const built = (params: string) => {
      const { config } = loadExperimentText(file(params), 'x.yaml', { sets: [] });
      return buildScenario(config).groups.find((g) => g.name === 'lenders')!.agents[0] as Lender;
    };
    expect(built('termsApply: roll, rollIntervalUs: 12h, maxHaircutStep: 0.05').termsSchedule).toEqual({ apply: 'roll', rollIntervalUs: 12 * 3_600_000_000, noticeUs: 86_400_000_000, maxHaircutStep: 0.05 });
    expect(built('termsApply: notice, noticeUs: 30m').termsSchedule).toEqual({ apply: 'notice', rollIntervalUs: 86_400_000_000, noticeUs: 1_800_000_000, maxHaircutStep: 1 });
    expect(built('policy: fixed').termsSchedule).toBeNull();
    expect(() => new Lender('l', { credit: 1, exchange: 0, instruments: [0], haircutPolicy: new FixedHaircut(0.2), maxHaircutStep: 0 })).toThrow(RangeError);
    expect(() => new Lender('l', { credit: 1, exchange: 0, instruments: [0], haircutPolicy: new FixedHaircut(0.2), termsApply: 'roll', rollIntervalUs: 0 })).toThrow(RangeError);
  });

  it('should send its schedule with every posting, and none under the default', () => {
    const posted = (options: Partial<ConstructorParameters<typeof Lender>[1]>) => {
      const kernel = new Kernel({ seed: 1 });
      const venue = kernel.register(new FakeCreditVenue('venue', { mid: 1000 }));
      kernel.register(new Lender('lender', { credit: venue.id, exchange: venue.id, instruments: [0], haircutPolicy: new FixedHaircut(0.2), repriceIntervalUs: 1_000_000, ...options }));
      kernel.runUntil(2_500_000);
      return venue.terms;
    };
    const roll = posted({ termsApply: 'roll', rollIntervalUs: 3_600_000_000, maxHaircutStep: 0.05 });
    expect(roll).toHaveLength(3);
    for (const t of roll) expect(t.schedule).toEqual({ apply: 'roll', rollIntervalUs: 3_600_000_000, noticeUs: 86_400_000_000, maxHaircutStep: 0.05 });
    expect(posted({}).map((t) => 'schedule' in t)).toEqual([false, false, false]);
    expect(posted({ termsApply: 'immediate', maxHaircutStep: 1 }).map((t) => 'schedule' in t)).toEqual([false, false, false]);
  });
});
