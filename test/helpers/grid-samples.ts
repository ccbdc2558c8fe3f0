/** The previous-tick samples on the grid k·Δ, from the first grid point at or after the first observation up to `until`. */
export function gridSamples(obs: readonly (readonly [number, number])[], intervalUs: number, until: number): number[] {
  const out: number[] = [];
  if (obs.length === 0) return out;
  let g = Math.ceil((obs[0] as readonly [number, number])[0] / intervalUs) * intervalUs;
  for (; g <= until; g += intervalUs) {
    let last = Number.NaN;
    for (const [t, p] of obs) if (t <= g) last = p;
    out.push(last);
  }
  return out;
}
