import type { PopulationModel } from "../src/domain/population-model.js";

/** A population model with every part fitted, as a recorded PopulationModelFitted would carry it. */
export const populationModel: PopulationModel = {
  modelId: "model-2026-03-01T00:00:00.000Z",
  fittedAsOf: "2026-03-01T00:00:00.000Z",
  customers: 500,
  buyingCustomers: 300,
  rfmBreakpoints: {
    recencyDays: [5, 12, 30, 60],
    frequency: [1, 1, 2, 3],
    monetaryMinor: [10_000, 20_000, 40_000, 80_000],
  },
  grid: { purchasingPowerMinor: 30_000, loyaltyOrders: 2 },
  purchases: {
    purchaseCounts: {
      model: "bg-nbd",
      fit: {
        parameters: { r: 0.8, alpha: 12, a: 0.6, b: 2.5 },
        logLikelihood: -1_000,
        customers: 300,
        iterations: 200,
        converged: true,
      },
    },
    gammaGamma: {
      parameters: { p: 6, q: 4, v: 15_000 },
      logLikelihood: -2_000,
      customers: 120,
      iterations: 150,
      converged: true,
    },
  },
  fitDurationMs: 10,
};
