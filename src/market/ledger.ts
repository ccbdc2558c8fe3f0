/**
 * The double-entry ledger: cash and positions of every account, in integers.
 *
 * Units: cash in the quote currency's minor unit, positions in lots of each
 * instrument. Accounts and instruments are dense integer ids (`0..n-1`).
 *
 * Every change is either an explicit external flow (deposit, withdraw, issue,
 * retire) or a transfer that debits one account and credits another by the
 * same integer. Hence, at all times:
 *
 * - Σ cash over accounts = net external cash (deposits − withdrawals);
 * - Σ position[i] over accounts = supply[i] (issued − retired; zero for a
 *   derivative that is never issued);
 * - for every account: `heldCash ≥ 0`, `cash − heldCash ≥ cashFloor`, and per
 *   instrument `heldPosition ≥ 0`, `position − heldPosition ≥ positionFloor`;
 * - every number is a safe integer.
 *
 * An operation that would break any of these is refused with a result code and
 * changes nothing; nothing throws except on a bug (e.g. a bad floor at
 * `openAccount`). Holds are the first phase of exchange-core's two-phase
 * settlement: an order reserves cash or position, then the fill settles from
 * the reservation (`fromHeld`) or the cancel releases it.
 *
 * Balances live in plain number arrays so the accessors the exchange calls on
 * every order allocate nothing.
 *
 * Past ~500 lines on purpose: one concept read top to bottom (each balance
 * operation next to the invariants it keeps), which splitting would scatter.
 */

import { StateHasher } from '../engine/state-hasher.js';

/** Outcome of a ledger operation; anything but `'OK'` means nothing changed. */
export type LedgerResult =
  | 'OK'
  /** An account id is not an opened account. */
  | 'UNKNOWN_ACCOUNT'
  /** An instrument id is not a registered instrument. */
  | 'UNKNOWN_INSTRUMENT'
  /** An amount is not a safe integer. */
  | 'NOT_SAFE_INTEGER'
  /** An amount that must be positive is zero or negative. */
  | 'NON_POSITIVE_AMOUNT'
  /** An amount that may be zero is negative. */
  | 'NEGATIVE_AMOUNT'
  /** Two roles that must be different accounts are the same account. */
  | 'SAME_ACCOUNT'
  /** The debited balance would fall below its floor (net of holds). */
  | 'BELOW_FLOOR'
  /** Less is held than the operation consumes or releases. */
  | 'INSUFFICIENT_HELD'
  /** A balance or a total would leave the safe-integer range. */
  | 'OVERFLOW';

/** Floors of a new account; both ≤ 0. */
export interface AccountOptions {
  /**
   * Lowest cash allowed, minor units, ≤ 0 (default 0). Negative = overdraft,
   * for special accounts such as a venue's insurance fund or a market's
   * clearing account.
   */
  cashFloor?: number;
  /** Lowest position allowed in every instrument, lots, ≤ 0 (default 0). Negative allows shorting. */
  positionFloor?: number;
}

/** Construction options of a {@link Ledger}. */
export interface LedgerOptions {
  /** Number of instruments registered up front, ids `0..instruments-1` (default 0). */
  instruments?: number;
}

/** Aggregate external flows; `Σ cash = netExternalCash`, `Σ position[i] = supply[i]`. */
export interface LedgerTotals {
  /** Deposits minus withdrawals, minor units. */
  readonly netExternalCash: number;
  /** Issued minus retired lots, per instrument. */
  readonly supply: readonly number[];
}

/**
 * One fill to settle, by named legs (see {@link Ledger.settleTrade}). Cash in
 * minor units, quantities in lots. Mutable so that a venue can fill in one
 * record per fill instead of allocating one.
 */
export interface TradeSettlement {
  /** Account that receives the lots and pays the cash. */
  buyer: number;
  /** Account that delivers the lots and receives the cash. */
  seller: number;
  instrument: number;
  /** Lots traded, > 0. */
  qty: number;
  /** Cash for the lots, > 0. */
  cash: number;
  /** Fee the buyer pays to `feeAccount`; negative = a rebate it receives. */
  buyerFee: number;
  /** Fee the seller pays to `feeAccount`; negative = a rebate it receives. */
  sellerFee: number;
  /** Account that collects fees and pays rebates. */
  feeAccount: number;
  /** Part of the buyer's debit taken out of its held cash, ≥ 0 (0: all from available cash). */
  buyerHeldCash: number;
  /** Part of the lots taken out of the seller's held position, ≥ 0 (0: all from available lots). */
  sellerHeldLots: number;
}

/** Double-entry integer ledger of cash, positions and holds. */
export class Ledger {
  private readonly names: string[] = [];
  private readonly cashOf: number[] = [];
  private readonly heldCashOf: number[] = [];
  private readonly cashFloorOf: number[] = [];
  private readonly positionFloorOf: number[] = [];
  /** `positionOf[instrument][account]`. */
  private readonly positionOf: number[][] = [];
  /** `heldPositionOf[instrument][account]`. */
  private readonly heldPositionOf: number[][] = [];
  private readonly supplyOf: number[] = [];
  private externalCash = 0;
  private revisionCount = 0;

  constructor(options: LedgerOptions = {}) {
    const n = options.instruments ?? 0;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`instruments must be a count, got ${n}`);
    for (let i = 0; i < n; i++) this.addInstrument();
  }

  // ---------------------------------------------------------------- set-up

  /** Registers a new instrument with zero supply; returns its id. */
  addInstrument(): number {
    const accounts = this.names.length;
    this.positionOf.push(new Array<number>(accounts).fill(0));
    this.heldPositionOf.push(new Array<number>(accounts).fill(0));
    this.supplyOf.push(0);
    this.revisionCount++;
    return this.supplyOf.length - 1;
  }

  /**
   * Opens an account with zero balances; returns its id (ids are dense, in
   * opening order).
   *
   * @throws RangeError (a bug) when a floor is not a safe integer ≤ 0
   */
  openAccount(name: string, options: AccountOptions = {}): number {
    const cashFloor = options.cashFloor ?? 0;
    const positionFloor = options.positionFloor ?? 0;
    if (!Number.isSafeInteger(cashFloor) || cashFloor > 0) {
      throw new RangeError(`cashFloor must be a safe integer ≤ 0, got ${cashFloor}`);
    }
    if (!Number.isSafeInteger(positionFloor) || positionFloor > 0) {
      throw new RangeError(`positionFloor must be a safe integer ≤ 0, got ${positionFloor}`);
    }
    this.names.push(name);
    this.cashOf.push(0);
    this.heldCashOf.push(0);
    // `+ 0` turns -0 into 0 so the state hash never sees a negative zero.
    this.cashFloorOf.push(cashFloor + 0);
    this.positionFloorOf.push(positionFloor + 0);
    this.revisionCount++;
    for (let i = 0; i < this.positionOf.length; i++) {
      (this.positionOf[i] as number[]).push(0);
      (this.heldPositionOf[i] as number[]).push(0);
    }
    return this.names.length - 1;
  }

  // ------------------------------------------------------------- accessors

  /** Number of opened accounts. */
  get accountCount(): number {
    return this.names.length;
  }

  /** Number of registered instruments. */
  get instrumentCount(): number {
    return this.supplyOf.length;
  }

  /** True when `acct` is an opened account id. */
  hasAccount(acct: number): boolean {
    return Number.isInteger(acct) && acct >= 0 && acct < this.names.length;
  }

  /** True when `instrument` is a registered instrument id. */
  hasInstrument(instrument: number): boolean {
    return Number.isInteger(instrument) && instrument >= 0 && instrument < this.supplyOf.length;
  }

  /** The name given at `openAccount`. */
  accountName(acct: number): string {
    this.check(acct);
    return this.names[acct] as string;
  }

  /** Cash, minor units (includes held cash). */
  cash(acct: number): number {
    this.check(acct);
    return this.cashOf[acct];
  }

  /** Cash reserved for resting orders, minor units, ≥ 0. */
  heldCash(acct: number): number {
    this.check(acct);
    return this.heldCashOf[acct];
  }

  /** Lowest cash allowed, minor units, ≤ 0. */
  cashFloor(acct: number): number {
    this.check(acct);
    return this.cashFloorOf[acct];
  }

  /** Cash that may still be withdrawn, transferred or held: `cash − heldCash − cashFloor`, ≥ 0. */
  availableCash(acct: number): number {
    this.check(acct);
    return this.cashOf[acct] - this.heldCashOf[acct] - this.cashFloorOf[acct];
  }

  /** Position in `instrument`, lots (includes held lots; negative = short). */
  position(acct: number, instrument: number): number {
    this.check(acct);
    return (this.posRow(instrument)[acct] as number);
  }

  /** Lots of `instrument` reserved for resting orders, ≥ 0. */
  heldPosition(acct: number, instrument: number): number {
    this.check(acct);
    return (this.heldRow(instrument)[acct] as number);
  }

  /** Lowest position allowed in any instrument, lots, ≤ 0. */
  positionFloor(acct: number): number {
    this.check(acct);
    return this.positionFloorOf[acct];
  }

  /** Lots that may still be transferred or held: `position − heldPosition − positionFloor`, ≥ 0. */
  availablePosition(acct: number, instrument: number): number {
    this.check(acct);
    const pos = this.posRow(instrument)[acct] as number;
    return pos - (this.heldPositionOf[instrument]![acct] as number) - this.positionFloorOf[acct];
  }

  /** Net external cash: deposits minus withdrawals, minor units. */
  get netExternalCash(): number {
    return this.externalCash;
  }

  /** Issued minus retired lots of `instrument`. */
  supply(instrument: number): number {
    this.posRow(instrument);
    return this.supplyOf[instrument];
  }

  /**
   * Moves on every change of state, so a checker can skip a state it has
   * already validated (invariants are functions of the state alone).
   */
  get revision(): number {
    return this.revisionCount;
  }

  /** A snapshot of the external totals (allocates; not for hot paths). */
  totals(): LedgerTotals {
    return { netExternalCash: this.externalCash, supply: this.supplyOf.slice() };
  }

  // -------------------------------------------------------- external flows

  /** Credits `amount` minor units from outside the system. */
  deposit(acct: number, amount: number): LedgerResult {
    const bad = this.checkAccountAmount(acct, amount);
    if (bad !== 'OK') return bad;
    const cash = this.cashOf[acct] + amount;
    const ext = this.externalCash + amount;
    if (!Number.isSafeInteger(cash) || !Number.isSafeInteger(ext)) return 'OVERFLOW';
    this.cashOf[acct] = cash;
    this.externalCash = ext;
    this.revisionCount++;
    return 'OK';
  }

  /** Debits `amount` minor units to outside the system, from available cash. */
  withdraw(acct: number, amount: number): LedgerResult {
    const bad = this.checkAccountAmount(acct, amount);
    if (bad !== 'OK') return bad;
    if (this.availableCash(acct) < amount) return 'BELOW_FLOOR';
    const ext = this.externalCash - amount;
    if (!Number.isSafeInteger(ext)) return 'OVERFLOW';
    this.cashOf[acct] = this.cashOf[acct] - amount;
    this.externalCash = ext;
    this.revisionCount++;
    return 'OK';
  }

  /** Creates `qty` lots of spot supply of `instrument` in `acct`. */
  issue(acct: number, instrument: number, qty: number): LedgerResult {
    const bad = this.checkAccountInstrumentAmount(acct, instrument, qty);
    if (bad !== 'OK') return bad;
    const row = this.positionOf[instrument] as number[];
    const pos = row[acct] + qty;
    const supply = this.supplyOf[instrument] + qty;
    if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(supply)) return 'OVERFLOW';
    row[acct] = pos;
    this.supplyOf[instrument] = supply;
    this.revisionCount++;
    return 'OK';
  }

  /** Destroys `qty` lots of `instrument` from the available position of `acct`. */
  retire(acct: number, instrument: number, qty: number): LedgerResult {
    const bad = this.checkAccountInstrumentAmount(acct, instrument, qty);
    if (bad !== 'OK') return bad;
    if (this.availablePosition(acct, instrument) < qty) return 'BELOW_FLOOR';
    const supply = this.supplyOf[instrument] - qty;
    if (!Number.isSafeInteger(supply)) return 'OVERFLOW';
    const row = this.positionOf[instrument] as number[];
    row[acct] = row[acct] - qty;
    this.supplyOf[instrument] = supply;
    this.revisionCount++;
    return 'OK';
  }

  // ------------------------------------------------------------- transfers

  /**
   * Moves `amount` minor units of cash from one account to another. With
   * `fromHeld`, the amount is taken out of the payer's held cash (settling a
   * reservation); otherwise out of its available cash.
   */
  transferCash(from: number, to: number, amount: number, fromHeld = false): LedgerResult {
    const bad = this.checkAccountAmount(from, amount);
    if (bad !== 'OK') return bad;
    if (!this.hasAccount(to)) return 'UNKNOWN_ACCOUNT';
    if (from === to) return 'SAME_ACCOUNT';
    if (fromHeld) {
      if (this.heldCashOf[from] < amount) return 'INSUFFICIENT_HELD';
    } else if (this.availableCash(from) < amount) {
      return 'BELOW_FLOOR';
    }
    const credited = this.cashOf[to] + amount;
    if (!Number.isSafeInteger(credited)) return 'OVERFLOW';
    this.cashOf[from] = this.cashOf[from] - amount;
    if (fromHeld) this.heldCashOf[from] = this.heldCashOf[from] - amount;
    this.cashOf[to] = credited;
    this.revisionCount++;
    return 'OK';
  }

  /**
   * Moves `qty` lots of `instrument` from one account to another; `fromHeld`
   * as in {@link transferCash}.
   */
  transferPosition(from: number, to: number, instrument: number, qty: number, fromHeld = false): LedgerResult {
    const bad = this.checkAccountInstrumentAmount(from, instrument, qty);
    if (bad !== 'OK') return bad;
    if (!this.hasAccount(to)) return 'UNKNOWN_ACCOUNT';
    if (from === to) return 'SAME_ACCOUNT';
    const row = this.positionOf[instrument] as number[];
    const held = this.heldPositionOf[instrument] as number[];
    if (fromHeld) {
      if (held[from] < qty) return 'INSUFFICIENT_HELD';
    } else if (this.availablePosition(from, instrument) < qty) {
      return 'BELOW_FLOOR';
    }
    const credited = row[to] + qty;
    if (!Number.isSafeInteger(credited)) return 'OVERFLOW';
    row[from] = row[from] - qty;
    if (fromHeld) held[from] = held[from] - qty;
    row[to] = credited;
    this.revisionCount++;
    return 'OK';
  }

  // ----------------------------------------------------------------- holds

  /** Reserves `amount` of available cash (e.g. for a resting buy order). */
  holdCash(acct: number, amount: number): LedgerResult {
    const bad = this.checkAccountAmount(acct, amount);
    if (bad !== 'OK') return bad;
    if (this.availableCash(acct) < amount) return 'BELOW_FLOOR';
    this.heldCashOf[acct] = this.heldCashOf[acct] + amount;
    this.revisionCount++;
    return 'OK';
  }

  /** Returns `amount` of held cash to available cash (e.g. on a cancel). */
  releaseCash(acct: number, amount: number): LedgerResult {
    const bad = this.checkAccountAmount(acct, amount);
    if (bad !== 'OK') return bad;
    if (this.heldCashOf[acct] < amount) return 'INSUFFICIENT_HELD';
    this.heldCashOf[acct] = this.heldCashOf[acct] - amount;
    this.revisionCount++;
    return 'OK';
  }

  /** Reserves `qty` available lots of `instrument` (e.g. for a resting sell order). */
  holdPosition(acct: number, instrument: number, qty: number): LedgerResult {
    const bad = this.checkAccountInstrumentAmount(acct, instrument, qty);
    if (bad !== 'OK') return bad;
    if (this.availablePosition(acct, instrument) < qty) return 'BELOW_FLOOR';
    const held = this.heldPositionOf[instrument] as number[];
    held[acct] = held[acct] + qty;
    this.revisionCount++;
    return 'OK';
  }

  /** Returns `qty` held lots of `instrument` to the available position. */
  releasePosition(acct: number, instrument: number, qty: number): LedgerResult {
    const bad = this.checkAccountInstrumentAmount(acct, instrument, qty);
    if (bad !== 'OK') return bad;
    const held = this.heldPositionOf[instrument] as number[];
    if (held[acct] < qty) return 'INSUFFICIENT_HELD';
    held[acct] = held[acct] - qty;
    this.revisionCount++;
    return 'OK';
  }

  // ------------------------------------------------------------ settlement

  /**
   * Settles one fill atomically: every leg is checked on the resulting state
   * first, then all legs are applied, so a refused settlement changes nothing.
   *
   * Legs (see {@link TradeSettlement}):
   * - cash `cash` (> 0) buyer → seller; position `qty` (> 0) seller → buyer;
   * - `buyerFee` buyer → `feeAccount` and `sellerFee` seller → `feeAccount`;
   *   a negative fee is a rebate paid by `feeAccount` (which must afford it,
   *   down to its floor), so fees never create money.
   *
   * Reservations: `buyerHeldCash` of the buyer's debit comes out of its held
   * cash and `sellerHeldLots` of the lots out of the seller's held position;
   * the rest comes from available balances. Whoever booked the holds says how
   * much each fill consumes (for the exchange, its pre-trade risk). The
   * seller's fee is always netted against its proceeds.
   *
   * Buyer, seller and fee account must be three distinct accounts
   * (self-trades are prevented upstream). The ledger reads `s` and keeps no
   * reference to it, so a caller may reuse one record for every fill.
   */
  settleTrade(s: Readonly<TradeSettlement>): LedgerResult {
    const { buyer, seller, instrument, qty, cash: cashAmount, buyerFee, sellerFee, feeAccount, buyerHeldCash, sellerHeldLots } = s;
    if (!this.hasAccount(buyer) || !this.hasAccount(seller) || !this.hasAccount(feeAccount)) {
      return 'UNKNOWN_ACCOUNT';
    }
    if (!this.hasInstrument(instrument)) return 'UNKNOWN_INSTRUMENT';
    if (
      !Number.isSafeInteger(qty) ||
      !Number.isSafeInteger(cashAmount) ||
      !Number.isSafeInteger(buyerFee) ||
      !Number.isSafeInteger(sellerFee) ||
      !Number.isSafeInteger(buyerHeldCash) ||
      !Number.isSafeInteger(sellerHeldLots)
    ) {
      return 'NOT_SAFE_INTEGER';
    }
    if (qty <= 0 || cashAmount <= 0) return 'NON_POSITIVE_AMOUNT';
    if (buyerHeldCash < 0 || sellerHeldLots < 0) return 'NEGATIVE_AMOUNT';
    if (buyer === seller || feeAccount === buyer || feeAccount === seller) return 'SAME_ACCOUNT';

    const row = this.positionOf[instrument] as number[];
    const heldRow = this.heldPositionOf[instrument] as number[];

    // Resulting balances, each checked before anything is written.
    const buyerDebit = cashAmount + buyerFee;
    const buyerCash = this.cashOf[buyer] - buyerDebit;
    const buyerHeld = this.heldCashOf[buyer] - buyerHeldCash;
    const buyerPos = row[buyer] + qty;
    const sellerCash = this.cashOf[seller] + cashAmount - sellerFee;
    const sellerPos = row[seller] - qty;
    const sellerHeldPos = heldRow[seller] - sellerHeldLots;
    const feeCash = this.cashOf[feeAccount] + buyerFee + sellerFee;

    if (
      !Number.isSafeInteger(buyerDebit) ||
      !Number.isSafeInteger(buyerCash) ||
      !Number.isSafeInteger(buyerPos) ||
      !Number.isSafeInteger(sellerCash) ||
      !Number.isSafeInteger(feeCash)
    ) {
      return 'OVERFLOW';
    }
    if (buyerHeld < 0 || sellerHeldPos < 0) return 'INSUFFICIENT_HELD';
    if (
      buyerCash - buyerHeld < this.cashFloorOf[buyer] ||
      sellerCash - this.heldCashOf[seller] < this.cashFloorOf[seller] ||
      sellerPos - sellerHeldPos < this.positionFloorOf[seller] ||
      feeCash - this.heldCashOf[feeAccount] < this.cashFloorOf[feeAccount]
    ) {
      return 'BELOW_FLOOR';
    }

    this.cashOf[buyer] = buyerCash;
    this.heldCashOf[buyer] = buyerHeld;
    row[buyer] = buyerPos;
    this.cashOf[seller] = sellerCash;
    row[seller] = sellerPos;
    heldRow[seller] = sellerHeldPos;
    this.cashOf[feeAccount] = feeCash;
    this.revisionCount++;
    return 'OK';
  }

  // ------------------------------------------------------------ self-check

  /**
   * Checks every invariant listed on the class, exactly (sums in BigInt).
   * Not for hot paths: O(accounts × instruments).
   *
   * @returns one message per violation; empty when the ledger is sound
   */
  validateInvariants(): string[] {
    const errors: string[] = [];
    const n = this.names.length;
    if (!Number.isSafeInteger(this.externalCash)) errors.push(`net external cash ${this.externalCash} is not a safe integer`);
    let sumCash = 0n;
    for (let a = 0; a < n; a++) {
      const cash = this.cashOf[a];
      const held = this.heldCashOf[a];
      const floor = this.cashFloorOf[a];
      if (!Number.isSafeInteger(cash) || !Number.isSafeInteger(held) || !Number.isSafeInteger(floor)) {
        errors.push(`account ${a}: cash ${cash}, held ${held} or floor ${floor} is not a safe integer`);
        continue;
      }
      if (held < 0) errors.push(`account ${a}: held cash ${held} < 0`);
      if (cash - held < floor) errors.push(`account ${a}: cash ${cash} − held ${held} below floor ${floor}`);
      sumCash += BigInt(cash);
    }
    if (Number.isSafeInteger(this.externalCash) && sumCash !== BigInt(this.externalCash)) {
      errors.push(`Σ cash ${sumCash} ≠ net external cash ${this.externalCash}`);
    }
    for (let i = 0; i < this.supplyOf.length; i++) this.validateInstrument(i, errors);
    return errors;
  }

  /**
   * A deterministic 64-bit FNV-1a hash (16 hex digits) of the whole state:
   * instrument supplies, net external cash, and every account in id order
   * (name, floors, cash, held cash, then positions and held positions by
   * instrument). Equal states hash equally on any machine.
   */
  stateHash(): string {
    const h = new StateHasher();
    h.num(this.names.length);
    h.num(this.supplyOf.length);
    h.num(this.externalCash);
    for (const s of this.supplyOf) h.num(s);
    for (let a = 0; a < this.names.length; a++) {
      h.str(this.names[a] as string);
      h.num(this.cashFloorOf[a]);
      h.num(this.positionFloorOf[a]);
      h.num(this.cashOf[a]);
      h.num(this.heldCashOf[a]);
      for (let i = 0; i < this.supplyOf.length; i++) {
        h.num(this.positionOf[i]![a] as number);
        h.num(this.heldPositionOf[i]![a] as number);
      }
    }
    return h.hex();
  }

  // --------------------------------------------------------------- private

  private validateInstrument(i: number, errors: string[]): void {
    const row = this.positionOf[i] as number[];
    const held = this.heldPositionOf[i] as number[];
    const supply = this.supplyOf[i];
    let sum = 0n;
    for (let a = 0; a < this.names.length; a++) {
      const pos = row[a];
      const h = held[a];
      const floor = this.positionFloorOf[a];
      if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(h) || !Number.isSafeInteger(floor)) {
        errors.push(`account ${a} instrument ${i}: position ${pos}, held ${h} or floor ${floor} is not a safe integer`);
        continue;
      }
      if (h < 0) errors.push(`account ${a} instrument ${i}: held position ${h} < 0`);
      if (pos - h < floor) errors.push(`account ${a} instrument ${i}: position ${pos} − held ${h} below floor ${floor}`);
      sum += BigInt(pos);
    }
    if (!Number.isSafeInteger(supply)) errors.push(`instrument ${i}: supply ${supply} is not a safe integer`);
    else if (sum !== BigInt(supply)) errors.push(`instrument ${i}: Σ position ${sum} ≠ supply ${supply}`);
  }

  /** Throws on an unknown account: accessors are only called with ids the caller was given. */
  private check(acct: number): void {
    if (!this.hasAccount(acct)) throw new RangeError(`unknown account ${acct}`);
  }

  private posRow(instrument: number): number[] {
    const row = this.positionOf[instrument];
    if (row === undefined || !Number.isInteger(instrument)) throw new RangeError(`unknown instrument ${instrument}`);
    return row;
  }

  private heldRow(instrument: number): number[] {
    const row = this.heldPositionOf[instrument];
    if (row === undefined || !Number.isInteger(instrument)) throw new RangeError(`unknown instrument ${instrument}`);
    return row;
  }

  private checkAccountAmount(acct: number, amount: number): LedgerResult {
    if (!this.hasAccount(acct)) return 'UNKNOWN_ACCOUNT';
    if (!Number.isSafeInteger(amount)) return 'NOT_SAFE_INTEGER';
    if (amount <= 0) return 'NON_POSITIVE_AMOUNT';
    return 'OK';
  }

  private checkAccountInstrumentAmount(acct: number, instrument: number, qty: number): LedgerResult {
    if (!this.hasAccount(acct)) return 'UNKNOWN_ACCOUNT';
    if (!this.hasInstrument(instrument)) return 'UNKNOWN_INSTRUMENT';
    if (!Number.isSafeInteger(qty)) return 'NOT_SAFE_INTEGER';
    if (qty <= 0) return 'NON_POSITIVE_AMOUNT';
    return 'OK';
  }
}

