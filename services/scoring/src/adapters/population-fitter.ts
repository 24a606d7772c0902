import { runOnWorkerThread, siblingModule } from "@rapport/runtime";
import { emptyHistory, historyAsOf, recordFact } from "../domain/customer-history.js";
import { type ScoringSettings, signalsOfState } from "../domain/customer-profile.js";
import { type CustomerSignals, signalsOf } from "../domain/customer-signals.js";
import type { PurchaseCountModelName } from "../domain/lifetime-value/index.js";
import type { PopulationModel } from "../domain/population-model.js";
import { purchasesOf } from "../domain/projections/order-summary.js";
import type { CustomerStore } from "./customer-store.js";
import type { PopulationFitInput } from "./population-fit-task.js";

const populationFitTask = siblingModule(import.meta.url, "population-fit-task");

/**
 * Fits the population model on every stored customer as of `asOf`, on the events up to it only: reads
 * them all, leaves out those first seen after it, reduces each to its signals (from its profile
 * state; from its facts up to `asOf` for a customer with a fact after it), and fits RFM breakpoints,
 * grid thresholds and the purchase-count + Gamma-Gamma models on a worker thread. Customers are taken
 * as identity links them now (a merge after `asOf` counts as made). The caller records and publishes
 * the result; fitting changes nothing by itself.
 */
export async function fitPopulation(
  store: CustomerStore,
  settings: ScoringSettings,
  fit: { asOf: Date; countModel: PurchaseCountModelName; countModelChoice: string },
  clock: () => Date,
): Promise<PopulationModel> {
  const started = clock().getTime();
  const at = fit.asOf.getTime();
  const population: (CustomerSignals & { customerId: string })[] = [];
  for await (const document of store.customers()) {
    if (document.aliasOf !== undefined) continue;
    const { state } = document.customer;
    if (state.first === undefined || Date.parse(state.first.time) > at) continue;
    if (state.latestAt === undefined || state.latestAt <= at) {
      population.push({ customerId: document._id, ...signalsOfState(state, at, settings) });
      continue;
    }
    const facts = await store.factsOf(document);
    const history = historyAsOf(facts.reduce(recordFact, emptyHistory()), at);
    population.push({
      customerId: document._id,
      ...signalsOf(history, purchasesOf(history, settings.orders), at),
    });
  }
  // In the order of customer ids, whatever order the store lists them in: the same events always
  // give the same model, to the last digit.
  population.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  // Seconds of CPU on a large population: on a worker thread, so that the writer goes on folding
  // and renewing its lease meanwhile.
  const model = await runOnWorkerThread<PopulationFitInput, Omit<PopulationModel, "fitDurationMs">>(
    populationFitTask,
    { population, asOf: at, countModel: fit.countModel },
  );
  return {
    ...model,
    ...(model.purchases ? { purchaseCountChoice: fit.countModelChoice } : {}),
    fitDurationMs: clock().getTime() - started,
  };
}
