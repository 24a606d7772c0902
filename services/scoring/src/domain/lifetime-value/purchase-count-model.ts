import {
  type BgNbdParameters,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  type PurchaseHistory,
  probabilityAlive,
} from "./bg-nbd.js";
import { fitBgNbd } from "./fit-bg-nbd.js";
import { fitMbgNbd } from "./fit-mbg-nbd.js";
import { fitParetoNbd } from "./fit-pareto-nbd.js";
import type { FitOptions, ModelFit } from "./maximum-likelihood.js";
import {
  type MbgNbdParameters,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNewCustomer,
  mbgNbdProbabilityAlive,
} from "./mbg-nbd.js";
import {
  type ParetoNbdParameters,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdProbabilityAlive,
} from "./pareto-nbd.js";

/**
 * The models of how often and how long customers buy that a population can be fitted with. Each
 * answers the same three questions, so the value model, the backtest and the model choice treat
 * them alike.
 */
export type PurchaseCountModelName = "bg-nbd" | "mbg-nbd" | "pareto-nbd";

export const purchaseCountModelNames: readonly PurchaseCountModelName[] = ["bg-nbd", "mbg-nbd", "pareto-nbd"];

/** One fitted model, tagged with its name so a recorded fit says which one it is. */
export type PurchaseCountFit =
  | { model: "bg-nbd"; fit: ModelFit<BgNbdParameters> }
  | { model: "mbg-nbd"; fit: ModelFit<MbgNbdParameters> }
  | { model: "pareto-nbd"; fit: ModelFit<ParetoNbdParameters> };

export function fitPurchaseCounts(
  model: PurchaseCountModelName,
  customers: readonly PurchaseHistory[],
  options: FitOptions = {},
): PurchaseCountFit {
  switch (model) {
    case "bg-nbd":
      return { model, fit: fitBgNbd(customers, options) };
    case "mbg-nbd":
      return { model, fit: fitMbgNbd(customers, options) };
    case "pareto-nbd":
      return { model, fit: fitParetoNbd(customers, options) };
  }
}

/** P(alive at T | x, tₓ, T). */
export function probabilityAliveOf(counts: PurchaseCountFit, customer: PurchaseHistory): number {
  switch (counts.model) {
    case "bg-nbd":
      return probabilityAlive(counts.fit.parameters, customer);
    case "mbg-nbd":
      return mbgNbdProbabilityAlive(counts.fit.parameters, customer);
    case "pareto-nbd":
      return paretoNbdProbabilityAlive(counts.fit.parameters, customer);
  }
}

/** E[purchases in (T, T + days] | x, tₓ, T]. */
export function expectedPurchasesOf(
  counts: PurchaseCountFit,
  customer: PurchaseHistory,
  days: number,
): number {
  return purchaseOutlookOf(counts, customer).expectedPurchases(days);
}

/** What a model expects of one customer: P(alive), and purchases over any horizon. */
export type PurchaseOutlook = { probabilityAlive: number; expectedPurchases: (days: number) => number };

/**
 * P(alive) computed once for a customer, and E[purchases in (T, T + days]] for any number of
 * horizons from it: each model's expectation is P(alive) times what a living customer buys, and
 * P(alive) is the costly part (Pareto/NBD's needs a hypergeometric function).
 */
export function purchaseOutlookOf(counts: PurchaseCountFit, customer: PurchaseHistory): PurchaseOutlook {
  switch (counts.model) {
    case "bg-nbd": {
      const { parameters } = counts.fit;
      const alive = probabilityAlive(parameters, customer);
      return {
        probabilityAlive: alive,
        expectedPurchases: (days) => expectedPurchases(parameters, customer, days, alive),
      };
    }
    case "mbg-nbd": {
      const { parameters } = counts.fit;
      const alive = mbgNbdProbabilityAlive(parameters, customer);
      return {
        probabilityAlive: alive,
        expectedPurchases: (days) => mbgNbdExpectedPurchases(parameters, customer, days, alive),
      };
    }
    case "pareto-nbd": {
      const { parameters } = counts.fit;
      const alive = paretoNbdProbabilityAlive(parameters, customer);
      return {
        probabilityAlive: alive,
        expectedPurchases: (days) => paretoNbdExpectedPurchases(parameters, customer, days, alive),
      };
    }
  }
}

/** E[repeat purchases in (0, days]] of a customer who made their first purchase at 0. */
export function expectedPurchasesOfNewCustomer(counts: PurchaseCountFit, days: number): number {
  switch (counts.model) {
    case "bg-nbd":
      return expectedPurchasesNewCustomer(counts.fit.parameters, days);
    case "mbg-nbd":
      return mbgNbdExpectedPurchasesNewCustomer(counts.fit.parameters, days);
    case "pareto-nbd":
      return paretoNbdExpectedPurchasesNewCustomer(counts.fit.parameters, days);
  }
}
