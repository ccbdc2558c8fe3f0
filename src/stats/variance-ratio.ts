/**
 * Variance ratio VR(q) = Var(q-period returns) / (q · Var(1-period returns))
 * (Lo & MacKinlay 1988, "Stock market prices do not follow random walks",
 * Rev. Financial Studies 1(1):41–66; FACTS.md, "Statistics"). 1 for a
 * martingale; < 1 when returns mean-revert, > 1 when they trend. For
 * stationary returns with autocorrelations ρ_k,
 * VR(q) = 1 + 2 Σ_{k=1}^{q−1} (1 − k/q) ρ_k.
 *
 * The q-period returns are the overlapping sums of q consecutive 1-period
 * returns (Lo–MacKinlay's σ_c², which uses every window rather than n/q of
 * them); a window never crosses a session boundary, so the input is one
 * array per session. Both variances are taken about the common 1-period mean
 * μ (the q-period mean is qμ), with population (1/N) normalisation.
 *
 * @module
 */

/**
 * VR(q) over returns grouped by session.
 *
 * @returns NaN when q < 1, no window fits in any session, or the 1-period
 *   variance is 0.
 */
export function varianceRatio(bySession: readonly ArrayLike<number>[], q: number): number {
  if (!Number.isInteger(q) || q < 1) return Number.NaN;
  let n = 0;
  let sum = 0;
  for (const s of bySession) for (let i = 0; i < s.length; i++, n++) sum += s[i];
  if (n === 0) return Number.NaN;
  const mu = sum / n;
  let ss1 = 0;
  let ssq = 0;
  let windows = 0;
  for (const s of bySession) {
    let acc = 0;
    for (let i = 0; i < s.length; i++) {
      const d = s[i] - mu;
      ss1 += d * d;
      acc += d;
      if (i >= q) acc -= s[i - q] - mu;
      if (i >= q - 1) {
        ssq += acc * acc;
        windows++;
      }
    }
  }
  const var1 = ss1 / n;
  if (windows === 0 || !(var1 > 0)) return Number.NaN;
  return ssq / windows / (q * var1);
}

/** Number of overlapping q-windows within sessions (the sample size of the numerator). */
export function varianceRatioWindows(bySession: readonly ArrayLike<number>[], q: number): number {
  let w = 0;
  for (const s of bySession) w += Math.max(0, s.length - q + 1);
  return w;
}
