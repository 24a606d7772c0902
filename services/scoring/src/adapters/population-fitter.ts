import { historyAsOf } from "../domain/customer-history.js";
import type { ScoringSettings } from "../domain/customer-profile.js";
import { type CustomerSignals, signalsOf } from "../domain/customer-signals.js";
import { fitPopulationModel, type PopulationModel } from "../domain/population-model.js";
import { purchasesOf } from "../domain/projections/order-summary.js";
import type { CustomerStore } from "./customer-store.js";

/**
 * Fits the population model on every stored customer as of `asOf`: reads them all, reduces each to
 * its signals, and fits RFM breakpoints, grid thresholds and BG/NBD + Gamma-Gamma. The caller
 * records and publishes the result; fitting changes nothing by itself.
 */
export async function fitPopulation(
  store: CustomerStore,
  settings: ScoringSettings,
  asOf: Date,
  clock: () => Date,
): Promise<PopulationModel> {
  const started = clock().getTime();
  const population: CustomerSignals[] = [];
  for await (const version of store.all()) {
    if (version.aliasOf !== undefined) continue;
    const history = historyAsOf(version.customer.history, asOf.getTime());
    population.push(signalsOf(history, purchasesOf(history, settings.orders), asOf.getTime()));
  }
  const model = fitPopulationModel(population, asOf.getTime());
  return { ...model, fitDurationMs: clock().getTime() - started };
}
