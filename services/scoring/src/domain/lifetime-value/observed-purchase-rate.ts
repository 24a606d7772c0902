import type { PurchaseHistory } from "./bg-nbd.js";
import { LifetimeValueFitError } from "./lifetime-value-fit-error.js";

/**
 * Repeat purchases per day of age over a population, where every purchase-count fit starts. Throws
 * LifetimeValueFitError when there is nothing to fit `model` to: no customers, or nobody bought
 * twice (then every model's likelihood is largest where everyone has dropped out at once).
 */
export function observedPurchaseRate(customers: readonly PurchaseHistory[], model: string): number {
  if (customers.length === 0) {
    throw new LifetimeValueFitError("no-customers", `no customers to fit ${model} to`);
  }
  let purchases = 0;
  let days = 0;
  for (const customer of customers) {
    purchases += customer.repeatPurchases;
    days += customer.ageDays;
  }
  if (purchases === 0) {
    throw new LifetimeValueFitError("no-repeat-purchases", "no customer made a repeat purchase");
  }
  return purchases / days;
}
