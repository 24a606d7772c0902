import { parentPort, workerData } from "node:worker_threads";
import { type BacktestPeriod, backtestValueModels, type CustomerPurchases } from "../domain/backtest.js";
import type { PurchaseCountModelName } from "../domain/lifetime-value/index.js";

/** What a backtest takes, on a worker thread (runOnWorkerThread). */
export type BacktestInput = {
  customers: CustomerPurchases[];
  period: BacktestPeriod;
  models: PurchaseCountModelName[];
};

const { customers, period, models } = workerData as BacktestInput;
parentPort?.postMessage(backtestValueModels(customers, period, models));
