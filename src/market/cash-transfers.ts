import type { Message } from '../engine/message.js';

/**
 * Command to the venue that keeps the sender's account: move `amount` minor
 * units between that account and outside the simulation — investors
 * subscribing to a fund (`amount` > 0) or redeeming from it (`amount` < 0).
 * Booked in the ledger as an external flow (a deposit or a withdrawal), so
 * Σ cash = deposits − withdrawals still holds. A redemption is paid only
 * out of available cash (cash not held for open orders); a larger one is
 * refused whole, and the fund raises the cash first.
 */
export interface TransferCash extends Message {
  readonly type: 'TransferCash';
  /** The sender's number for this transfer, echoed in the report. */
  readonly transferId: number;
  readonly amount: number;
}

/** Report: the transfer was booked (`booked` true, `amount` as asked) or refused (`booked` false, `amount` 0). */
export interface CashTransferred extends Message {
  readonly type: 'CashTransferred';
  readonly transferId: number;
  readonly amount: number;
  readonly booked: boolean;
}
