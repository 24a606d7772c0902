import { describe, expect, it } from "vitest";
import {
  expectedPurchases,
  expectedPurchasesNewCustomer,
  expectedPurchasesOf,
  expectedPurchasesOfNewCustomer,
  fitPurchaseCounts,
  mbgNbdExpectedPurchases,
  mbgNbdExpectedPurchasesNewCustomer,
  mbgNbdProbabilityAlive,
  type PurchaseCountFit,
  type PurchaseHistory,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdProbabilityAlive,
  probabilityAlive,
  probabilityAliveOf,
  purchaseCountModelNames,
} from "../../src/domain/lifetime-value/index.js";
import { simulateParetoNbdCustomers } from "./simulate-customers.js";

const customers = simulateParetoNbdCustomers({
  customers: 2000,
  seed: 9,
  parameters: { r: 0.5, alpha: 20, s: 0.8, beta: 200 },
  minAgeDays: 30,
  maxAgeDays: 730,
});
const lapsed: PurchaseHistory = { repeatPurchases: 4, recencyDays: 120, ageDays: 400 };

/** What the model's own functions answer, from the fitted parameters. */
function ownAnswers(counts: PurchaseCountFit): [number, number, number] {
  switch (counts.model) {
    case "bg-nbd": {
      const { parameters } = counts.fit;
      return [
        probabilityAlive(parameters, lapsed),
        expectedPurchases(parameters, lapsed, 90),
        expectedPurchasesNewCustomer(parameters, 90),
      ];
    }
    case "mbg-nbd": {
      const { parameters } = counts.fit;
      return [
        mbgNbdProbabilityAlive(parameters, lapsed),
        mbgNbdExpectedPurchases(parameters, lapsed, 90),
        mbgNbdExpectedPurchasesNewCustomer(parameters, 90),
      ];
    }
    case "pareto-nbd": {
      const { parameters } = counts.fit;
      return [
        paretoNbdProbabilityAlive(parameters, lapsed),
        paretoNbdExpectedPurchases(parameters, lapsed, 90),
        paretoNbdExpectedPurchasesNewCustomer(parameters, 90),
      ];
    }
  }
}

describe("the purchase-count models", () => {
  it("are BG/NBD, MBG/NBD and Pareto/NBD", () => {
    expect(purchaseCountModelNames).toEqual(["bg-nbd", "mbg-nbd", "pareto-nbd"]);
  });

  it.each(purchaseCountModelNames)(
    "%s: is fitted, tagged and asked by its name",
    { timeout: 30_000 },
    (model) => {
      const counts = fitPurchaseCounts(model, customers);

      expect(counts.model).toBe(model);
      expect(counts.fit.converged).toBe(true);
      expect([
        probabilityAliveOf(counts, lapsed),
        expectedPurchasesOf(counts, lapsed, 90),
        expectedPurchasesOfNewCustomer(counts, 90),
      ]).toEqual(ownAnswers(counts));
    },
  );
});
