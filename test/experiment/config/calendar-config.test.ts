/**
 * The `calendar:` section and horizons in trading days.
 */
import { describe, expect, it } from 'vitest';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { configYaml } from '../../../src/experiment/output/run-folder.js';
import { getConfigValue } from '../../../src/experiment/config/config-path.js';

const H = 3_600_000_000;
const MIN = 60_000_000;
const AGENTS = 'agents:\n  - { type: noise, count: 2 }\n';

describe('calendar config', () => {
  it('reads `Nd` as N trading sessions of the calendar’s length, not N × 24 h', () => {
    expect(loadExperimentText(`horizon: 5d\n${AGENTS}`, 'x.yaml').config.horizonUs).toBe(5 * 6.5 * H);
    const short = loadExperimentText(`horizon: 3d\nsampling: 30s\ncalendar: { session: 10m }\n${AGENTS}`, 'x.yaml').config;
    expect(short.horizonUs).toBe(30 * MIN);
    expect(short.calendar).toEqual({ sessionUs: 10 * MIN, overnightUs: 17.5 * H, tradingDaysPerWeek: 5, startWeekday: 'monday', overnightVarianceShare: 0.25, timeInForce: 'gtc' });
    // Other durations keep their units: `d` is 24 h there.
    expect(loadExperimentText(`horizon: 1d\ncredit: { gracePeriod: 1d }\n${AGENTS}`, 'x.yaml').config.credit.gracePeriodUs).toBe(24 * H);
  });

  it('leaves a config without a calendar section as it was (no calendar key, config.yaml unchanged)', () => {
    const config = loadExperimentText(`horizon: 6.5h\n${AGENTS}`, 'x.yaml').config;
    expect('calendar' in config).toBe(false);
    expect(configYaml(config)).not.toMatch(/calendar/);
    expect(getConfigValue(config, 'calendar.session')).toBe(6.5 * H);
  });

  it('round-trips a calendar through config.yaml, and --set opens a calendar section', () => {
    const loaded = loadExperimentText(`horizon: 2d\nsampling: 30s\ncalendar: { session: 10m, startWeekday: friday, tradingDaysPerWeek: 5, overnightVarianceShare: 0.3 }\n${AGENTS}`, 'x.yaml').config;
    expect(loadExperimentText(configYaml(loaded), 'config.yaml').config).toEqual(loaded);
    const set = loadExperimentText(`horizon: 6.5h\n${AGENTS}`, 'x.yaml', { sets: ['calendar.session=1h'] }).config;
    expect(set.calendar?.sessionUs).toBe(H);
    expect(set.horizonUs).toBe(6.5 * H);
  });

  it('keeps a horizon in days a number of days when the session length changes afterwards', () => {
    const days = loadExperimentText(`horizon: 4d\nsampling: 1m\n${AGENTS}`, 'x.yaml', { sets: ['calendar.session=1h'] }).config;
    expect(days.horizonUs).toBe(4 * H);
    expect(configYaml(days)).toMatch(/^horizon: 4d$/m);
    const hours = loadExperimentText(`horizon: 13h\nsampling: 1m\n${AGENTS}`, 'x.yaml', { sets: ['calendar.session=1h'] }).config;
    expect(hours.horizonUs).toBe(13 * H);
    expect('horizonDays' in hours).toBe(false);
  });
});
