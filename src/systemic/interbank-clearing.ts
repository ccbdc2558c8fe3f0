/**
 * The Eisenberg–Noe (2001) clearing vector of a network of obligations.
 *
 * Bank `i` owes `L[i][j]` to bank `j` and `ext[i]` to creditors outside the
 * network; its total obligation is `p̄_i = Σ_j L[i][j] + ext[i]` and its
 * relative liabilities `Π[i][j] = L[i][j] / p̄_i`. It holds outside assets
 * `e_i ≥ 0`. A clearing vector `p` satisfies, for every bank (limited
 * liability and absolute priority of debt over equity, creditors paid
 * pro rata):
 *
 *     p_i = min( p̄_i , e_i + Σ_j Π[j][i] · p_j )
 *
 * Eisenberg & Noe (2001), "Systemic risk in financial systems", Management
 * Science 47(2): the greatest clearing vector exists and is found by the
 * *fictitious default algorithm* (their Section 3): assume everyone pays in
 * full; find the banks that cannot; solve the linear system for the payments
 * of the defaulting set with the others paying in full; repeat with the
 * enlarged set until no new bank defaults (at most n rounds). Banks that
 * default in round 1 fail on their own; a bank first defaulting in a later
 * round fails only because of others' defaults (contagion).
 *
 * Floating point: payments are reals; the caller rounds write-downs to
 * minor units (see `CreditMarket`).
 *
 * @packageDocumentation
 */

/** The network to clear. All numbers ≥ 0; `liabilities` is n × n with a zero diagonal. */
export interface ClearingProblem {
  /** `liabilities[i][j]`: what bank i owes bank j. */
  readonly liabilities: readonly (readonly number[])[];
  /** What each bank owes outside the network (e.g. deposits). */
  readonly externalLiabilities: readonly number[];
  /** Each bank's assets outside the interbank network (`e_i`). */
  readonly externalAssets: readonly number[];
}

/** The greatest clearing vector and what it implies. */
export interface ClearingResult {
  /** Clearing payments `p_i`. */
  readonly payments: number[];
  /** Total obligations `p̄_i`. */
  readonly obligations: number[];
  /** Recovery rate `p_i / p̄_i` (1 for a bank that owes nothing). */
  readonly recovery: number[];
  /** `p_i < p̄_i`. */
  readonly defaulted: boolean[];
  /** Round of the fictitious default algorithm in which the bank defaulted (0: never; 1: fundamental; >1: contagion). */
  readonly defaultRound: number[];
  /** Equity after clearing `e_i + Σ_j Π[j][i] p_j − p_i` (≥ 0). */
  readonly equity: number[];
  /** Rounds run. */
  readonly rounds: number;
}

/** Relative tolerance under which a payment counts as full. */
const TOLERANCE = 1e-12;

/**
 * Computes the greatest Eisenberg–Noe clearing vector by the fictitious
 * default algorithm.
 *
 * @throws RangeError on a malformed problem (ragged matrix, negative or non-finite numbers)
 */
export function clearingVector(problem: ClearingProblem): ClearingResult {
  const n = problem.externalAssets.length;
  const L = problem.liabilities;
  if (L.length !== n || problem.externalLiabilities.length !== n) throw new RangeError('clearing: dimensions differ');
  const obligations = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    const row = L[i] as readonly number[];
    if (row.length !== n) throw new RangeError(`clearing: row ${i} has ${row.length} entries, expected ${n}`);
    let s = checkNonNegative(problem.externalLiabilities[i], 'external liability');
    checkNonNegative(problem.externalAssets[i], 'external asset');
    for (let j = 0; j < n; j++) s += checkNonNegative(row[j], 'liability');
    obligations[i] = s;
  }
  // Π[i][j] = L[i][j] / p̄_i (0 for a bank that owes nothing).
  const pi = (i: number, j: number): number => {
    const ob = obligations[i];
    return ob > 0 ? ((L[i] as readonly number[])[j] as number) / ob : 0;
  };

  const payments = obligations.slice();
  const defaulted = new Array<boolean>(n).fill(false);
  const defaultRound = new Array<number>(n).fill(0);
  let rounds = 0;
  for (;;) {
    rounds++;
    // Who cannot pay in full given the current payments?
    let grew = false;
    for (let i = 0; i < n; i++) {
      if (defaulted[i]) continue;
      const ob = obligations[i];
      if (ob === 0) continue;
      const assets = inflow(i) + problem.externalAssets[i];
      if (assets < ob * (1 - TOLERANCE)) {
        defaulted[i] = true;
        defaultRound[i] = rounds;
        grew = true;
      }
    }
    if (!grew) break;
    solveDefaulting();
    if (rounds > n + 1) break;
  }
  for (let i = 0; i < n; i++) if (!defaulted[i]) payments[i] = obligations[i];

  const recovery = payments.map((p, i) => (obligations[i] > 0 ? Math.min(1, p / obligations[i]) : 1));
  const equity = payments.map((p, i) => Math.max(0, problem.externalAssets[i] + inflow(i) - p));
  return { payments, obligations, recovery, defaulted, defaultRound, equity, rounds };

  function inflow(i: number): number {
    let s = 0;
    for (let j = 0; j < n; j++) if (j !== i) s += pi(j, i) * payments[j];
    return s;
  }

  /**
   * Solves `p_D = e_D + Π_{·D}ᵀ p` for the defaulting set D with the others
   * paying in full, by Gaussian elimination with partial pivoting; falls back
   * to the monotone Picard iteration if the system is singular.
   */
  function solveDefaulting(): void {
    const D: number[] = [];
    for (let i = 0; i < n; i++) if (defaulted[i]) D.push(i);
    const k = D.length;
    const a: number[][] = [];
    for (let r = 0; r < k; r++) {
      const i = D[r];
      const row = new Array<number>(k + 1).fill(0);
      let rhs = problem.externalAssets[i];
      for (let j = 0; j < n; j++) if (!defaulted[j] && j !== i) rhs += pi(j, i) * obligations[j];
      for (let c = 0; c < k; c++) {
        const j = D[c];
        row[c] = (r === c ? 1 : 0) - (j === i ? 0 : pi(j, i));
      }
      row[k] = rhs;
      a.push(row);
    }
    const x = gauss(a, k);
    if (x === null) {
      picard();
      return;
    }
    for (let r = 0; r < k; r++) {
      const i = D[r];
      payments[i] = Math.min(obligations[i], Math.max(0, x[r]));
    }
  }

  /** Iterates `p ← min(p̄, e + Πᵀp)` from the current p (monotone decreasing to the greatest fixed point). */
  function picard(): void {
    for (let it = 0; it < 10_000; it++) {
      let change = 0;
      for (let i = 0; i < n; i++) {
        const next = Math.min(obligations[i], problem.externalAssets[i] + inflow(i));
        change = Math.max(change, Math.abs(next - payments[i]));
        payments[i] = next;
      }
      if (change <= 1e-9) return;
    }
  }
}

/** Solves the k × (k+1) augmented system in place; null when singular. */
function gauss(a: number[][], k: number): number[] | null {
  for (let c = 0; c < k; c++) {
    let best = c;
    for (let r = c + 1; r < k; r++) if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[best] as number[])[c] as number)) best = r;
    const pivotRow = a[best] as number[];
    const pivot = pivotRow[c];
    if (Math.abs(pivot) < 1e-14) return null;
    a[best] = a[c] as number[];
    a[c] = pivotRow;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const row = a[r] as number[];
      const f = row[c] / pivot;
      if (f === 0) continue;
      for (let col = c; col <= k; col++) row[col] = row[col] - f * pivotRow[col];
    }
  }
  const x = new Array<number>(k);
  for (let r = 0; r < k; r++) x[r] = ((a[r] as number[])[k] as number) / ((a[r] as number[])[r] as number);
  return x;
}

function checkNonNegative(x: number, what: string): number {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`clearing: ${what} must be a finite number ≥ 0, got ${x}`);
  return x;
}
