import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dft } from '../../src/stats/fourier.js';

/** The O(n²) definition, X_k = Σ_j x_j e^{−2πi jk/n}. */
function naiveDft(re: number[], im: number[]): { re: number[]; im: number[] } {
  const n = re.length;
  const out = { re: new Array<number>(n).fill(0), im: new Array<number>(n).fill(0) };
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j * k) / n;
      out.re[k]! += re[j]! * Math.cos(a) - im[j]! * Math.sin(a);
      out.im[k]! += re[j]! * Math.sin(a) + im[j]! * Math.cos(a);
    }
  }
  return out;
}

const values = (n: number) => fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n });

describe('Dft', () => {
  it('should equal the definition at every length, powers of two or not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }).chain((n) => fc.tuple(values(n), values(n))),
        ([re, im]) => {
          const want = naiveDft(re, im);
          const r = Float64Array.from(re);
          const i = Float64Array.from(im);
          new Dft(re.length).transform(r, i, false);
          for (let k = 0; k < re.length; k++) {
            expect(r[k]).toBeCloseTo(want.re[k]!, 8);
            expect(i[k]).toBeCloseTo(want.im[k]!, 8);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('should invert: the inverse of the transform, divided by n, is the input', () => {
    for (const n of [1, 2, 3, 7, 64, 100, 1000]) {
      const x = Array.from({ length: n }, (_, j) => Math.sin(j * 0.37) + (j % 5));
      const re = Float64Array.from(x);
      const im = new Float64Array(n);
      const dft = new Dft(n);
      dft.transform(re, im, false);
      dft.transform(re, im, true);
      for (let j = 0; j < n; j++) {
        expect(re[j]! / n).toBeCloseTo(x[j]!, 9);
        expect(im[j]! / n).toBeCloseTo(0, 9);
      }
    }
  });

  it('should refuse lengths the DFT cannot take', () => {
    expect(() => new Dft(0)).toThrow(/length ≥ 1/);
    expect(() => new Dft(4).transform(new Float64Array(3), new Float64Array(3), false)).toThrow(/length 4/);
  });
});
