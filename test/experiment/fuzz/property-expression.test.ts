import { describe, expect, it } from 'vitest';
import { leverageCycleExperiment } from '../../../src/experiment/config/defaults.js';
import { parseExpressionProperty, summaryShape } from '../../../src/experiment/fuzz/fuzz-properties.js';
import { ExpressionError, evaluateExpression, fieldsOf, lookupField, parseExpression } from '../../../src/experiment/fuzz/property-expression.js';

const summary = {
  trades: 57,
  events: 1000,
  badDebt: 0,
  returns: { std: 0.01, absAcf: [0.3, 0.2] },
  cascades: { count: 2, maxLiquidations: 4, powerLaw: null },
  defaults: { borrowers: 1, lenders: 0 },
  leverage: { max: 3, mean: 1.5 },
  instruments: { ABC: { lastMid: 9_900 } },
  nan: Number.NaN,
};

const value = (source: string, data: unknown = summary) => evaluateExpression(parseExpression(source, { type: /^[^<>=!&|]*$/.test(source) ? 'number' : 'boolean' }), data).value;

function errorOf(source: string, options = {}): ExpressionError {
  try {
    parseExpression(source, options);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`'${source}' parsed`);
}

describe('parseExpression / evaluateExpression', () => {
  it('should give * and / precedence over + and -, and be left-associative', () => {
    expect(value('1 + 2 * 3')).toBe(7);
    expect(value('(1 + 2) * 3')).toBe(9);
    expect(value('10 - 4 - 3')).toBe(3);
    expect(value('8 / 4 / 2')).toBe(1);
    expect(value('-2 * -3')).toBe(6);
    expect(value('2 - -3')).toBe(5);
    expect(value('1.5e2 + .5')).toBe(150.5);
  });

  it('should bind comparison tighter than == and &&, && tighter than ||, ! tightest', () => {
    expect(value('trades < 50 || trades > 56 && events == 1000')).toBe(true);
    expect(value('(trades < 50 || trades > 56) && events == 999')).toBe(false);
    expect(value('trades > 50 == events > 10')).toBe(true);
    expect(value('!(trades < 50) && !false')).toBe(true);
    expect(value('!!true')).toBe(true);
    expect(value('trades + 3 >= 60 && cascades.maxLiquidations * 2 <= 8')).toBe(true);
    expect(value('leverage.max < 2 * leverage.mean')).toBe(false);
  });

  it('should read nested fields and list indices of the data', () => {
    expect(value('returns.absAcf.0')).toBe(0.3);
    expect(value('instruments.ABC.lastMid')).toBe(9_900);
    expect(value('defaults.borrowers + defaults.lenders')).toBe(1);
    const ev = evaluateExpression(parseExpression('trades < 50 && badDebt == 0'), summary);
    expect(ev).toEqual({ value: false, fields: { trades: 57, badDebt: 0 } });
  });

  it('should read a missing, null or non-number field as NaN, for which comparisons are false', () => {
    expect(value('cascades.powerLaw.alpha > 2')).toBe(false);
    expect(value('!(cascades.powerLaw.alpha > 2)')).toBe(true);
    expect(value('nan == nan')).toBe(false);
    expect(value('returns.absAcf.9 < 1')).toBe(false);
    expect(Number.isNaN(lookupField(summary, ['returns', 'absAcf', 'length']))).toBe(true);
    expect(Number.isNaN(lookupField(summary, ['trades', 'toFixed']))).toBe(true);
  });

  it('should report the column of a syntax error', () => {
    expect(errorOf('trades < (50))').column).toBe(14);
    expect(errorOf('trades < (50))').problem).toMatch(/no '\(' to close/);
    expect(errorOf('trades < ').column).toBe(10);
    expect(errorOf('trades = 5').column).toBe(8);
    expect(errorOf('trades = 5').problem).toMatch(/use '=='/);
    expect(errorOf('trades & 5').problem).toMatch(/use '&&'/);
    expect(errorOf('(trades < 5').column).toBe(12);
    expect(errorOf('(trades < 5').problem).toMatch(/expected '\)' to close the '\(' at column 1/);
    expect(errorOf('trades < 5 5').column).toBe(12);
    expect(errorOf('cascades. < 3').column).toBe(11);
    expect(errorOf('').problem).toBe('empty expression');
    expect(errorOf('trades # 3').column).toBe(8);
  });

  it('should type-check: conditions and numbers do not mix', () => {
    expect(errorOf('trades').problem).toMatch(/must be a condition/);
    expect(errorOf('1 + (trades < 3) > 0').column).toBe(5);
    expect(errorOf('!trades').problem).toMatch(/operand of '!' must be a condition/);
    expect(errorOf('trades < 3 < 4').problem).toMatch(/comparisons do not chain/);
    expect(errorOf('trades < 3 < 4').column).toBe(12);
    expect(errorOf('trades == true').problem).toMatch(/compares a number with a condition/);
    expect(errorOf('trades && true').column).toBe(1);
  });

  it('should refuse prototype keys wherever they appear in a path', () => {
    for (const [source, column] of [
      ['__proto__.x > 1', 1],
      ['trades.constructor > 1', 8],
      ['returns.prototype.x < 2', 9],
      ['a.__proto__ < 1', 3],
    ] as const) {
      const e = errorOf(source);
      expect(e.column, source).toBe(column);
      expect(e.problem).toMatch(/not an allowed field name/);
    }
  });

  it('should never reach outside the data: no globals, no functions, no prototype chain', () => {
    const data = Object.create({ inherited: 5 }) as Record<string, unknown>;
    data['own'] = 1;
    expect(value('inherited == 5', data)).toBe(false);
    expect(value('own == 1', data)).toBe(true);
    expect(errorOf('process.exit(1)').problem).toMatch(/unexpected '\('/);
    expect(errorOf('trades < 5; 1').problem).toMatch(/unexpected character ';'/);
    expect(errorOf('"a" < 1').problem).toMatch(/unexpected character '"'/);
    expect(errorOf('trades[0] < 1').problem).toMatch(/unexpected character '\['/);
    expect(errorOf('1e999 > 0').problem).toMatch(/out of range/);
  });

  it('should refuse fields the checker does not know, at the bad segment, with a suggestion', () => {
    const fields = fieldsOf(summary, { 'cascades.powerLaw': { alpha: 0 } });
    expect(parseExpression('cascades.powerLaw.alpha > 1', { fields }).fields).toEqual(['cascades.powerLaw.alpha']);
    const e = errorOf('trades < 5 && cascades.maxLiquidatons < 3', { fields });
    expect(e.column).toBe(24);
    expect(e.problem).toMatch(/unknown field of 'cascades' 'maxLiquidatons' \(did you mean 'maxLiquidations'\?\)/);
    expect(errorOf('trade < 5', { fields }).problem).toMatch(/unknown summary field 'trade' \(did you mean 'trades'\?\)/);
    expect(errorOf('cascades < 5', { fields }).problem).toMatch(/'cascades' is a group of fields/);
    expect(errorOf('returns.absAcf.7 < 5', { fields }).problem).toMatch(/is a list: use an index 0\.\.1/);
    expect(errorOf('trades.x < 5', { fields }).problem).toMatch(/'trades' is a number, it has no field 'x'/);
  });
});

describe('expression properties over summary.json', () => {
  it('should know every numeric field of the summary of a config, instruments by symbol', () => {
    const config = leverageCycleExperiment();
    const shape = summaryShape(config);
    expect(Object.keys(shape)).toEqual(expect.arrayContaining(['seed', 'events', 'trades', 'returns', 'leverage', 'cascades', 'episodes', 'defaults', 'badDebt', 'invariants']));
    for (const source of [
      'trades < 50',
      'cascades.maxLiquidations <= 3 && defaults.lenders == 0',
      'instruments.ABC.returns.std < 0.01',
      'returns.absAcf.19 < 1',
      'cascades.powerLaw.alpha > 2',
      'invariants.violations == 0',
      'episodes.maxLiquidations <= 10 && cascades.shareIn3Plus < episodes.shareIn3Plus',
    ]) {
      expect(() => parseExpressionProperty(source, config), source).not.toThrow();
    }
    expect(() => parseExpressionProperty('instruments.XYZ.lastMid > 0', config)).toThrow(/unknown field of 'instruments' 'XYZ'/);
    expect(() => parseExpressionProperty('invariants.problems.0 > 0', config)).toThrow(/is a list/);
  });
});
