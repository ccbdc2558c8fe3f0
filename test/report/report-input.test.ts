import { describe, expectTypeOf, it } from 'vitest';
import type { RunResult } from '../../src/experiment/run.js';
import type { ReportInput } from '../../src/report/report-input.js';

/** How the experiment layer hands a finished run to the report: its own objects, unconverted. */
function reportInputOf(run: RunResult): ReportInput {
  return {
    name: run.config.name,
    description: run.config.description,
    summary: run.summary,
    timeseries: run.timeseries,
    trades: run.trades,
    liquidations: run.liquidations,
    cascades: run.cascades,
    config: run.config,
  };
}

describe('ReportInput', () => {
  it("should accept the experiment's tables and summary as they are (checked by the compiler)", () => {
    expectTypeOf(reportInputOf).returns.toEqualTypeOf<ReportInput>();
  });
});
