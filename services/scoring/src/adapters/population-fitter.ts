import { runOnWorkerThread, siblingModule } from "@rapport/runtime";
import { emptyHistory, historyAsOf, recordFact } from "../domain/customer-history.js";
import { type ScoringSettings, signalsOfState } from "../domain/customer-profile.js";
import { type CustomerSignals, signalsOf } from "../domain/customer-signals.js";
import type { PopulationModel } from "../domain/population-model.js";
import { purchasesOf } from "../domain/projections/order-summary.js";
import type { CustomerStore } from "./customer-store.js";
import type { PopulationFitInput } from "./population-fit-task.js";

const populationFitTask = siblingModule(import.meta.url, "population-fit-task");

/**
 * Fits the population model on every stored customer as of `asOf`: reads them all, reduces each to
 * its signals (from its profile state; from its facts up to `asOf` for a customer with a fact after
 * it), and fits RFM breakpoints, grid thresholds and BG/NBD + Gamma-Gamma on a worker thread. The caller records and
 * publishes the result; fitting changes nothing by itself.
 */
export async function fitPopulation(
  store: CustomerStore,
  settings: ScoringSettings,
  asOf: Date,
  clock: () => Date,
): Promise<PopulationModel> {
  const started = clock().getTime();
  const at = asOf.getTime();
  const population: CustomerSignals[] = [];
  for await (const document of store.customers()) {
    if (document.aliasOf !== undefined) continue;
    const { state } = document.customer;
    if (state.latestAt === undefined || state.latestAt <= at) {
      population.push(signalsOfState(state, at, settings));
      continue;
    }
    const facts = await store.factsOf(document);
    const history = historyAsOf(facts.reduce(recordFact, emptyHistory()), at);
    population.push(signalsOf(history, purchasesOf(history, settings.orders), at));
  }
  // Seconds of CPU on a large population: on a worker thread, so that the writer goes on folding
  // and renewing its lease meanwhile.
  const model = await runOnWorkerThread<PopulationFitInput, Omit<PopulationModel, "fitDurationMs">>(
    populationFitTask,
    { population, asOf: at },
  );
  return { ...model, fitDurationMs: clock().getTime() - started };
}
