import { parentPort, workerData } from "node:worker_threads";
import type { CustomerSignals } from "../domain/customer-signals.js";
import type { PurchaseCountModelName } from "../domain/lifetime-value/index.js";
import { fitPopulationModel } from "../domain/population-model.js";

/** What the population fit takes, on a worker thread (runOnWorkerThread). */
export type PopulationFitInput = {
  population: CustomerSignals[];
  asOf: number;
  countModel: PurchaseCountModelName;
};

const { population, asOf, countModel } = workerData as PopulationFitInput;
parentPort?.postMessage(fitPopulationModel(population, asOf, countModel));
