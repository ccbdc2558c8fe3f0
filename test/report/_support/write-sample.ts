/**
 * Writes sample reports from synthetic data, for looking at them in a
 * browser (not a test). After compiling the project to JS:
 *   node test/report/_support/write-sample.js [INSTRUMENTS] [RUN_HTML] [SWEEP_HTML]
 * e.g. `ACME,BETA /tmp/report.html /tmp/sweep.html`. Prints the render times.
 */
import { writeFileSync } from 'node:fs';
import { renderRunReport } from '../../../src/report/run-report.js';
import { renderSweepReport } from '../../../src/report/sweep-report.js';
import type { SweepRow } from '../../../src/report/sweep-groups.js';
import { syntheticRun } from './synthetic.js';

const instruments = (process.argv[2] ?? 'ACME').split(',');
let t0 = performance.now();
const run = await renderRunReport(syntheticRun({ samples: 400, trades: 100_000, instruments }));
console.log(`run report: ${run.length} chars in ${(performance.now() - t0).toFixed(0)} ms`);
writeFileSync(process.argv[3] ?? '/tmp/report.html', run);

const runs: SweepRow[] = [];
let id = 0;
for (const policy of ['fixed', 'volatility']) {
  for (const a of [0.02, 0.05, 0.1, 0.2, 0.5]) {
    for (let seed = 1; seed <= 5; seed++) {
      const noise = Math.sin(seed * 12.9898 + a * 78.233) * 0.5;
      runs.push({
        run_id: id++,
        seed,
        'lender.haircut.a': a,
        'lender.haircut.policy': policy,
        'returns.excessKurtosis': (policy === 'volatility' ? 8 : 3) / (1 + 10 * a) + noise,
        'returns.absAcf.1': 0.1 + (policy === 'volatility' ? 0.2 : 0.05) * (1 - a) + noise / 20,
        'leverage.max': 1 / a + noise,
        'cascades.count': Math.round((policy === 'volatility' ? 40 : 10) * (1 - a) + 3 * noise),
        'invariants.violations': 0,
      });
    }
  }
}
t0 = performance.now();
const sweep = await renderSweepReport({ name: 'haircut-sweep', description: 'Haircut level × policy, 5 seeds each.', parameters: ['lender.haircut.a', 'lender.haircut.policy'], runs });
console.log(`sweep report: ${sweep.length} chars in ${(performance.now() - t0).toFixed(0)} ms`);
writeFileSync(process.argv[4] ?? '/tmp/sweep.html', sweep);
