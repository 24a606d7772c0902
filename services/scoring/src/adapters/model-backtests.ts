import { runOnWorkerThread, siblingModule } from "@rapport/runtime";
import type { Db } from "mongodb";
import type { BacktestPeriod, BacktestReport, CustomerPurchases } from "../domain/backtest.js";
import { datedPurchasesOfState, type ScoringSettings } from "../domain/customer-profile.js";
import type { PurchaseCountModelName } from "../domain/lifetime-value/index.js";
import type { BacktestInput } from "./backtest-task.js";
import type { CustomerStore } from "./customer-store.js";

const backtestTask = siblingModule(import.meta.url, "backtest-task");

/** A backtest as it ran: the report, when, and how long it took. */
export type ModelBacktestRun = BacktestReport & { ranAt: string; durationMs: number };

/**
 * Backtests the purchase-count models on every stored customer's purchases (valued as the profile
 * values them now): fits on the purchases up to the calibration end, compares the predictions with
 * the purchases up to the holdout end (backtest.ts), on a worker thread.
 */
export async function backtestModels(
  store: CustomerStore,
  settings: ScoringSettings,
  backtest: { period: BacktestPeriod; models: PurchaseCountModelName[] },
  clock: () => Date,
): Promise<ModelBacktestRun> {
  const started = clock();
  const customers: CustomerPurchases[] = [];
  for await (const document of store.customers()) {
    if (document.aliasOf !== undefined) continue;
    const purchases = datedPurchasesOfState(document.customer.state, settings);
    if (purchases.length > 0) customers.push({ customerId: document._id, purchases });
  }
  // The same purchases give the same report whatever order the store lists customers in.
  customers.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  const report = await runOnWorkerThread<BacktestInput, BacktestReport>(backtestTask, {
    customers,
    ...backtest,
  });
  return { ...report, ranAt: started.toISOString(), durationMs: clock().getTime() - started.getTime() };
}

type BacktestDocument = { _id: "latest"; backtest: ModelBacktestRun };

/**
 * The latest backtest, kept in the service's own database (not a build's: a replay keeps it), so
 * that SCORING_PURCHASE_MODEL=auto fits with the model that predicted best on it.
 */
export function createModelBacktests(db: Db) {
  const backtests = db.collection<BacktestDocument>("model_backtests");
  return {
    async record(backtest: ModelBacktestRun): Promise<void> {
      await backtests.replaceOne({ _id: "latest" }, { backtest }, { upsert: true });
    },
    async latest(): Promise<ModelBacktestRun | undefined> {
      return (await backtests.findOne({ _id: "latest" }))?.backtest;
    },
  };
}

export type ModelBacktests = ReturnType<typeof createModelBacktests>;
