/**
 * The discrete Fourier transform of any length by Bluestein's chirp
 * z-transform (Bluestein 1970): a DFT of length n written as a convolution,
 * computed with iterative radix-2 FFTs (Cooley & Tukey 1965) of a power-of-two
 * length ≥ 2n − 1. Used for spectrum-preserving surrogates
 * (`cycle-asymmetry.ts`), where the series length is whatever the run
 * sampled.
 *
 * @module
 */

/** cos and sin of −2πk/n for k < n/2, computed directly so rounding does not accumulate. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  const half = Math.max(1, n >> 1);
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / n);
    sin[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  return { cos, sin };
}

/** In-place iterative Cooley–Tukey FFT of `re + i·im` (length a power of two) over a twiddle table of that length (bit reversal, then butterflies block by block); the inverse is unscaled. */
function radix2(re: Float64Array, im: Float64Array, inverse: boolean, cos: Float64Array, sin: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i] as number;
      re[i] = re[j] as number;
      re[j] = r;
      const m = im[i] as number;
      im[i] = im[j] as number;
      im[j] = m;
    }
  }
  const sign = inverse ? -1 : 1;
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step] as number;
        const wi = sign * (sin[k * step] as number);
        const a = start + k;
        const b = a + half;
        const xr = (re[b] as number) * wr - (im[b] as number) * wi;
        const xi = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr;
        im[a] = (im[a] as number) + xi;
      }
    }
  }
}

/** A DFT of one fixed length n ≥ 1, with its chirp precomputed for repeated use. */
export class Dft {
  /** Radix-2 length of the convolution (a power of two ≥ 2n − 1; n itself when n is one). */
  private readonly m: number;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  /** FFT of the conjugate chirp, laid out for circular convolution. */
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;
  private readonly bufRe: Float64Array;
  private readonly bufIm: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`a DFT needs a length ≥ 1, got ${n}`);
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    this.m = m;
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // w_j = e^{−iπ j²/n}; j² mod 2n keeps the angle exact for long series.
      const angle = (Math.PI * ((j * j) % (2 * n))) / n;
      this.chirpRe[j] = Math.cos(angle);
      this.chirpIm[j] = -Math.sin(angle);
    }
    this.kernelRe = new Float64Array(m);
    this.kernelIm = new Float64Array(m);
    for (let j = 0; j < n; j++) {
      this.kernelRe[j] = this.chirpRe[j] as number;
      this.kernelIm[j] = -(this.chirpIm[j] as number);
      if (j > 0) {
        this.kernelRe[m - j] = this.chirpRe[j] as number;
        this.kernelIm[m - j] = -(this.chirpIm[j] as number);
      }
    }
    const table = twiddles(m);
    this.cos = table.cos;
    this.sin = table.sin;
    radix2(this.kernelRe, this.kernelIm, false, this.cos, this.sin);
    this.bufRe = new Float64Array(m);
    this.bufIm = new Float64Array(m);
  }

  /**
   * Transforms `re + i·im` (length n) in place: X_k = Σ_j x_j e^{∓2πi jk/n}
   * (− forward, + inverse; the inverse is unscaled, divide by n).
   */
  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const { n, m, chirpRe, chirpIm, bufRe, bufIm } = this;
    if (re.length !== n || im.length !== n) throw new RangeError(`this DFT has length ${n}, got ${re.length} and ${im.length}`);
    // The inverse is the conjugate of the forward transform of the conjugate.
    const s = inverse ? -1 : 1;
    bufRe.fill(0);
    bufIm.fill(0);
    for (let j = 0; j < n; j++) {
      const xr = re[j] as number;
      const xi = s * (im[j] as number);
      bufRe[j] = xr * (chirpRe[j] as number) - xi * (chirpIm[j] as number);
      bufIm[j] = xr * (chirpIm[j] as number) + xi * (chirpRe[j] as number);
    }
    radix2(bufRe, bufIm, false, this.cos, this.sin);
    for (let k = 0; k < m; k++) {
      const ar = bufRe[k] as number;
      const ai = bufIm[k] as number;
      const br = this.kernelRe[k] as number;
      const bi = this.kernelIm[k] as number;
      bufRe[k] = ar * br - ai * bi;
      bufIm[k] = ar * bi + ai * br;
    }
    radix2(bufRe, bufIm, true, this.cos, this.sin);
    for (let k = 0; k < n; k++) {
      const cr = (bufRe[k] as number) / m;
      const ci = (bufIm[k] as number) / m;
      re[k] = cr * (chirpRe[k] as number) - ci * (chirpIm[k] as number);
      im[k] = s * (cr * (chirpIm[k] as number) + ci * (chirpRe[k] as number));
    }
  }
}
