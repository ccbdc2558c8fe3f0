import type { InstrumentId } from '../market/instrument.js';

/**
 * A read-only view of the credit terms a lender currently quotes — what a
 * repo dealer shows its clients before they trade. `Lender` implements it.
 * A borrower that is given one reads the haircut from it instead of
 * inferring it from the venue's replies. The view changes when the lender
 * sends `SetCreditTerms`; the venue applies the terms one latency later, so
 * a borrower acting on a just-changed quote may be refused (and backs off).
 */
export interface CreditTermsView {
  /** Initial haircut on `instrument` in [0, 1] (1: not accepted, or credit refused). */
  initialHaircut(instrument: InstrumentId): number;
  /** Maintenance haircut on `instrument` in [0, 1], ≤ the initial one. */
  maintenanceHaircut(instrument: InstrumentId): number;
}
