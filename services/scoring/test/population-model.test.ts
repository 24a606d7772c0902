import { describe, expect, it } from "vitest";
import { profileOf } from "../src/domain/customer-profile.js";
import type { CustomerSignals } from "../src/domain/customer-signals.js";
import {
  fitPopulationModel,
  minimumRepeatBuyers,
  type PopulationModel,
} from "../src/domain/population-model.js";
import { simulateCustomers } from "./lifetime-value/simulate-customers.js";
import { day, historyOf, order, settings } from "./scoring-fixtures.js";

const asOf = Date.parse(day(365));

/** Buyers drawn from known BG/NBD and Gamma-Gamma parameters, as the population model sees them. */
function population(customers: number): CustomerSignals[] {
  return simulateCustomers({
    customers,
    seed: 7,
    bgNbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15_000 },
    minAgeDays: 30,
    maxAgeDays: 365,
  }).map((pattern, i) => ({
    rfm: {
      recencyDays: pattern.ageDays - pattern.recencyDays,
      frequency: pattern.repeatPurchases + 1,
      monetaryMinor: Math.round(pattern.meanRepeatSpend * pattern.repeatPurchases) + 10_000,
    },
    grid: {
      revenueLastYearMinor: (i % 10) * 10_000,
      ordersLastYear: pattern.repeatPurchases + 1,
      positiveResponses: 0,
      responseSignals: 0,
    },
    purchasePattern: pattern,
  }));
}

describe("the population model", () => {
  it("fits RFM breakpoints, grid medians and the purchase models on the buyers", () => {
    const model = fitPopulationModel(population(2_000), asOf, "bg-nbd");

    expect(model).toMatchObject({ modelId: `model-${day(365)}`, customers: 2_000, buyingCustomers: 2_000 });
    expect(model.grid.purchasingPowerMinor).toBe(40_000);
    expect(model.rfmBreakpoints.frequency).toHaveLength(4);
    expect(model.purchases?.purchaseCounts).toMatchObject({ model: "bg-nbd", fit: { converged: true } });
    expect(model.purchases?.gammaGamma.parameters.q).toBeGreaterThan(1);
  });

  it("leaves out the purchase models until enough customers bought again", () => {
    const few = population(200)
      .filter((customer) => (customer.purchasePattern?.repeatPurchases ?? 0) > 0)
      .slice(0, minimumRepeatBuyers - 1);
    expect(fitPopulationModel(few, asOf, "bg-nbd").purchases).toBeUndefined();
  });

  it("gives a buyer P(alive), expected purchases, predicted value and a churn band under the model", () => {
    const model: PopulationModel = {
      ...fitPopulationModel(population(2_000), asOf, "bg-nbd"),
      fitDurationMs: 0,
    };
    const regular = historyOf(
      [0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360].map((d) =>
        order(day(d), `O-${d}`, 20_000),
      ),
    );
    const gone = historyOf([order(day(0), "A-1", 20_000), order(day(10), "A-2", 20_000)]);

    const loyal = profileOf(
      { customerId: "cus_regular", mergedCustomerIds: [], history: regular },
      asOf,
      model,
      settings,
    );
    const lapsed = profileOf(
      { customerId: "cus_gone", mergedCustomerIds: [], history: gone },
      asOf,
      model,
      settings,
    );

    expect(loyal.predicted?.probabilityAlive).toBeGreaterThan(0.9);
    expect(loyal.predicted?.churnRiskBand).toBe("low");
    expect(lapsed.predicted?.probabilityAlive).toBeLessThan(loyal.predicted?.probabilityAlive ?? 0);
    expect(loyal.predicted?.predictedPurchases365d).toBeGreaterThan(
      loyal.predicted?.predictedPurchases90d ?? Infinity,
    );
    expect(loyal.predicted?.predictedValueMinor).toBeGreaterThan(
      lapsed.predicted?.predictedValueMinor ?? Infinity,
    );
    expect(loyal.rfm?.segment).toBe("champions");
    expect(loyal.segment?.policy).toBeDefined();
  });
});
