import { FatalError } from "../cli-errors.js";
import type { ValuationCheck } from "../import/order-valuation.js";
import { createScoringClient } from "./scoring-client.js";

/**
 * Asks scoring which currencies it can value. An import goes on without the answer: a scoring that
 * cannot be reached (or is too old to answer) makes the check unchecked, with the reason.
 */
export async function checkValuation(address: string, timeoutMs = 5_000): Promise<ValuationCheck> {
  const scoring = createScoringClient({ address, timeoutMs, attempts: 1 });
  try {
    const { reportingCurrency, ratedCurrencies } = await scoring.getValuation();
    return { checked: true, valuation: { reportingCurrency, ratedCurrencies } };
  } catch (error) {
    if (error instanceof FatalError) return { checked: false, reason: error.message };
    throw error;
  } finally {
    scoring.close();
  }
}
