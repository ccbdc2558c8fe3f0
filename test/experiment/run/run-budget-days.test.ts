import { describe, expect, it } from 'vitest';
import { BudgetExceeded, formatSimTime } from '../../../src/experiment/run/run-budget.js';

const H = 3_600_000_000;

describe('run budget in a run of sessions', () => {
  it('tells where a run stopped as a trading day and the time into its session', () => {
    expect(formatSimTime(2 * 6.5 * H + H + 123_500_000, 6.5 * H)).toBe('1h 02m 3.5s into trading day 3');
    expect(formatSimTime(H + 123_500_000)).toBe('1h 02m 3.5s simulated');
    const e = new BudgetExceeded('event', '10', 6.5 * H, 11, '--max-events', 6.5 * H);
    expect(e.message).toBe('run stopped: event budget of 10 exceeded at 0s into trading day 2, after 11 events; raise it with --max-events');
  });
});
