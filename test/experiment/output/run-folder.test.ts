import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCell, formatNumber, parseCsv, rowsToCsv, toCsv } from '../../../src/experiment/output/csv-writer.js';
import { loadExperimentText } from '../../../src/experiment/config/load-config.js';
import { columnsFromCells, parquetBytes } from '../../../src/experiment/output/parquet-writer.js';
import { runExperiment } from '../../../src/experiment/run/run.js';
import { OutputError } from '../../../src/experiment/output/output-error.js';
import { TABLE_COLUMNS } from '../../../src/experiment/output/table-columns.js';
import { isCompleteRun, writeFolderAtomically } from '../../../src/experiment/output/durable-write.js';
import { readRunFolder } from '../../../src/experiment/output/read-run-folder.js';
import { summaryJson, writeRunFolder } from '../../../src/experiment/output/run-folder.js';
import { smallExperimentText } from '../../helpers/small-experiment.js';
import { emptyLiquidations } from '../../../src/stats/output-tables.js';
import { groupEpisodes } from '../../../src/stats/episodes.js';
import { episodePriceDrops } from '../../../src/stats/episode-price-drops.js';

const scratch = mkdtempSync(join(tmpdir(), 'levsim-sinks-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('CSV numbers', () => {
  it('should write integers as integers and floats with at most 10 significant digits', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(2 ** 53)).toBe('9007199254740992');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3)).toBe('0.3333333333');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(123456789.123456)).toBe('123456789.1');
    expect(formatNumber(Number.NaN)).toBe('');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('inf');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('-inf');
  });

  it('should quote only the strings that need it, and parse back what it writes', () => {
    expect(formatCell('mm/0')).toBe('mm/0');
    expect(formatCell('a,b')).toBe('"a,b"');
    expect(formatCell('say "hi"')).toBe('"say ""hi"""');
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }), (rows) => {
        const text = rowsToCsv(['a', 'b'], rows);
        expect(parseCsv(text)).toEqual([['a', 'b'], ...rows]);
      }),
    );
  });

  it('should format a table with a header and a final newline', () => {
    expect(toCsv([{ name: 'x', cell: (r) => r / 2 }, { name: 'y', cell: () => Number.NaN }], 2)).toBe('x,y\n0,\n0.5,\n');
  });
});

describe('Parquet', () => {
  it('should write the same bytes for the same table, typed from the cells', () => {
    const header = ['i', 'f', 's'];
    const rows = [
      ['1', '0.5', 'a'],
      ['2', '', 'b'],
    ];
    const columns = columnsFromCells(header, rows);
    expect(columns.map((c) => c.kind)).toEqual(['int', 'float', 'string']);
    const bytes = parquetBytes(columns);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(parquetBytes(columnsFromCells(header, rows))).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('summary.json', () => {
  it('should write NaN and infinities as null and keep key order', () => {
    expect(summaryJson({ b: Number.NaN, a: [1, Number.POSITIVE_INFINITY] })).toBe('{\n  "b": null,\n  "a": [\n    1,\n    null\n  ]\n}\n');
  });
});

describe('writeFolderAtomically', () => {
  it('should leave no folder, and no temporary folder, when filling throws', async () => {
    const parent = join(scratch, 'atomic');
    const target = join(parent, 'run');
    await expect(
      writeFolderAtomically(target, false, (dir) => {
        writeFileSync(join(dir, 'half.csv'), 'x');
        throw new Error('disk on fire');
      }),
    ).rejects.toThrow('disk on fire');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('should keep a complete folder unless asked to replace it', async () => {
    const target = join(scratch, 'keep', 'run');
    const fill = (content: string) => (dir: string) => {
      writeFileSync(join(dir, 'config.yaml'), content);
      writeFileSync(join(dir, 'summary.json'), content);
    };
    expect(await writeFolderAtomically(target, false, fill('one'))).toBe(true);
    expect(await writeFolderAtomically(target, false, fill('two'))).toBe(false);
    expect(readFileSync(join(target, 'summary.json'), 'utf8')).toBe('one');
    expect(await writeFolderAtomically(target, true, fill('three'))).toBe(true);
    expect(readFileSync(join(target, 'summary.json'), 'utf8')).toBe('three');
    expect(readdirSync(join(scratch, 'keep'))).toEqual(['run']);
  });

  it('should fail with a one-line OutputError when the folder cannot be written', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    await expect(writeFolderAtomically(join(file, 'run'), false, () => {})).rejects.toThrow(OutputError);
    await expect(writeFolderAtomically(join(file, 'run'), false, () => {})).rejects.toThrow(/^.*a-file: cannot write here \(.+\)$/);
  });
});

describe('writeRunFolder', () => {
  const config = loadExperimentText(smallExperimentText('sink'), 'sink.yaml').config;

  it('should write every file of the output contract with the exact column names', async () => {
    const result = runExperiment(config);
    const dir = join(scratch, 'runs', 'r1');
    await writeRunFolder(result, dir);
    expect(readdirSync(dir).sort()).toEqual(
      ['cascades', 'episodes', 'liquidations', 'sessions', 'timeseries', 'trades'].flatMap((t) => [`${t}.csv`, `${t}.parquet`]).concat(['config.yaml', 'report.html', 'summary.json', 'timing.json']).sort(),
    );
    const header = (name: string) => readFileSync(join(dir, `${name}.csv`), 'utf8').split('\n')[0];
    expect(header('timeseries')).toBe('time_us,instrument,mid,last,bid,ask,bid_depth,ask_depth,volume,fundamental,realized_vol,aggregate_leverage,levered_leverage,levered_assets,debt_to_equity,mean_haircut,total_debt,lender_equity');
    expect(header('trades')).toBe('time_us,instrument,price,qty,buyer,seller,aggressor,cause_id');
    expect(header('liquidations')).toBe('time_us,loan_id,borrower,lender,liquidator,instrument,qty,price,debt_repaid,bad_debt,cascade_id,cause_id,trigger');
    expect(header('cascades')).toBe('cascade_id,start_us,end_us,liquidations,depth,notional,price_drop_pct');
    expect(header('episodes')).toBe('episode_id,start_us,end_us,liquidations,notional,cascades,largest_cascade,price_drop_pct');
    expect(TABLE_COLUMNS.episodes.join(',')).toBe(header('episodes'));
    // No credit, no liquidation: the table is its header.
    expect(readFileSync(join(dir, 'episodes.csv'), 'utf8')).toBe(`${header('episodes')}\n`);
    expect(header('sessions')).toBe('day,instrument,start_us,end_us,open,high,low,close,close_mid,volume,total_debt,aggregate_leverage,levered_leverage,debt_to_equity,mean_haircut,lender_equity,liquidations');
    // A one-session run has one row.
    expect(readFileSync(join(dir, 'sessions.csv'), 'utf8').trim().split('\n').length).toBe(2);
    expect(TABLE_COLUMNS.trades.join(',')).toBe(header('trades'));
    const trades = parseCsv(readFileSync(join(dir, 'trades.csv'), 'utf8')).slice(1);
    expect(trades.length).toBe(result.trades.length);
    for (const row of trades) {
      expect(row[1]).toBe('ABC');
      expect(row[4]).toMatch(/^(mm|noise\/[0-4])$/);
    }
    expect(isCompleteRun(dir)).toBe(true);
    expect(readdirSync(join(scratch, 'runs'))).toEqual(['r1']);
  });

  it('should leave the trades table out with outputs.trades false, and read such a folder back with no trades', async () => {
    const quiet = { ...config, outputs: { trades: false } };
    const result = runExperiment(quiet);
    expect(result.trades.length).toBeGreaterThan(0);
    const dir = join(scratch, 'runs', 'no-trades');
    await writeRunFolder(result, dir);
    const files = readdirSync(dir);
    expect(files.filter((f) => f.startsWith('trades'))).toEqual([]);
    expect(files).toContain('sessions.csv');
    // The daily bar still comes from the trades.
    const [, bar] = parseCsv(readFileSync(join(dir, 'sessions.csv'), 'utf8'));
    expect(Number(bar?.[9])).toBe(result.trades.volume);
    expect(isCompleteRun(dir)).toBe(true);
    const back = readRunFolder(dir);
    expect(back.config.outputs.trades).toBe(false);
    expect(back.trades.length).toBe(0);
    expect(back.summary.trades).toBe(result.trades.length);
  });

  it('should give byte-identical files but timing.json for two runs of one config, and read them back', async () => {
    const a = join(scratch, 'twice', 'a');
    const b = join(scratch, 'twice', 'b');
    const result = runExperiment(config);
    await writeRunFolder(result, a);
    await writeRunFolder(runExperiment(config), b);
    for (const file of readdirSync(a)) {
      if (file !== 'timing.json') expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), file).toBe(true);
    }
    const back = readRunFolder(a);
    expect(back.config).toEqual(config);
    expect(back.timeseries.timeUs.length).toBeGreaterThan(0);
    expect(back.timeseries.mid).toEqual(result.timeseries.mid);
    const [backTrades, ranTrades] = [back.trades.toTable(), result.trades.toTable()];
    expect(backTrades.timeUs).toEqual(ranTrades.timeUs);
    expect(backTrades.price).toEqual(ranTrades.price);
    expect(backTrades.qty).toEqual(ranTrades.qty);
    expect(backTrades.aggressor).toEqual(ranTrades.aggressor);
    const name = (run: { agentNames: readonly string[] }, id: number) => run.agentNames[id];
    expect(backTrades.buyer.map((id) => name(back, id))).toEqual(ranTrades.buyer.map((id) => name(result, id)));
    expect(back.summary).toEqual(JSON.parse(JSON.stringify(result.summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))));
  });

  it('should write episodes.csv and read it back, and derive it for a folder written before it existed', async () => {
    const result = runExperiment(config);
    // Liquidations made up on the run's trades (a run without credit has none): two episodes of a minute's gap.
    const trades = result.trades.toTable();
    const liquidations = emptyLiquidations();
    const at = [trades.timeUs[3]!, trades.timeUs[3]!, trades.timeUs[3]! + 1_000_000, trades.timeUs[3]! + 70_000_000];
    at.forEach((t, i) => {
      liquidations.timeUs.push(t);
      liquidations.loanId.push(i + 1);
      liquidations.borrower.push(1);
      liquidations.lender.push(2);
      liquidations.liquidator.push(3);
      liquidations.instrument.push(0);
      liquidations.qty.push(5);
      liquidations.price.push(trades.price[3]!);
      liquidations.debtRepaid.push(1000 * (i + 1));
      liquidations.badDebt.push(i === 3 ? 7 : 0);
      liquidations.cascadeId.push(i === 1 ? 2 : 1);
      liquidations.causeId.push(0);
    });
    const episodes = groupEpisodes(liquidations, config.episodeGapUs, episodePriceDrops(result.trades, liquidations, config.episodeGapUs));
    expect(episodes.liquidations).toEqual([3, 1]);
    const dir = join(scratch, 'episodes', 'r');
    await writeRunFolder({ ...result, liquidations, episodes }, dir);
    // The CSV keeps 10 significant digits of a float.
    const sameEpisodes = (got: typeof episodes) => {
      expect({ ...got, priceDropPct: [] }).toEqual({ ...episodes, priceDropPct: [] });
      got.priceDropPct.forEach((d, i) => expect(d).toBeCloseTo(episodes.priceDropPct[i]!, 8));
    };
    sameEpisodes(readRunFolder(dir).episodes);
    // The second episode is after the 30 s horizon: no trade, no drop.
    expect(parseCsv(readFileSync(join(dir, 'episodes.csv'), 'utf8'))[2]).toEqual(['2', String(at[3]), String(at[3]), '1', '4007', '1', '1', '0']);
    // An older folder has no episodes.csv: they are derived from its liquidations and trades, the same.
    const old = join(scratch, 'episodes', 'old');
    cpSync(dir, old, { recursive: true });
    rmSync(join(old, 'episodes.csv'));
    rmSync(join(old, 'episodes.parquet'));
    sameEpisodes(readRunFolder(old).episodes);
  });
});
