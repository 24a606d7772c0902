import type { BacktestModelsResponse, GammaGammaFit, PurchaseCountFit } from "@rapport/proto";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { Log } from "../shared/progress.js";
import type { OrdersFile } from "./complete-journey.js";
import { waitForFold } from "./fold-watch.js";
import { type RapportRun, rapportCommandText, runRapport } from "./rapport-command.js";
import { startValueModelPlatform } from "./value-model-platform.js";

/** What `rapport import orders --json` prints (the fields read here). */
export type ImportSummaryJson = {
  rowsRead: number;
  eventsSent: number;
  accepted: number;
  rejectedByIngestion: { count: number };
  rejectedLocally: { count: number };
  elapsedMs: number;
};

/** What `rapport model scoring --json` prints (the fields read here). */
export type PopulationModelJson = {
  modelId: string;
  fittedAsOf: string;
  customers: number;
  buyingCustomers: number;
  purchaseCounts: PurchaseCountFit | null;
  purchaseCountChoice: string;
  gammaGamma: GammaGammaFit | null;
  fitDurationMs: number;
};

export type ValueModelFigures = {
  /** The commands as run, addresses written as placeholders. */
  commands: { importOrders: string; backtest: string; refit: string };
  importSummary: ImportSummaryJson;
  /** The CLI process from spawn to exit (Node and tsx start-up included). */
  importSeconds: number;
  /** From the import's start until scoring had folded every accepted order. */
  foldedSeconds: number;
  /** Of which after the import had ended: what scoring still had to fold. */
  foldCatchUpSeconds: number;
  backtest: BacktestModelsResponse;
  backtestSeconds: number;
  backtestText: string;
  asOfFit: PopulationModelJson;
  refitSeconds: number;
};

type PhaseOptions = {
  endpoints: BenchEndpoints;
  orders: OrdersFile;
  calibrationEnd: string;
  holdoutEnd: string;
  stallMs: number;
  log: Log;
};

/**
 * One measurement on a fresh platform: the orders imported through ingestion with `rapport import
 * orders`, folded by scoring, then `rapport model backtest` (as JSON, timed, and as text for the
 * docs) and `rapport model scoring --refit --as-of <calibration end>`.
 */
export async function measureValueModels(options: PhaseOptions): Promise<ValueModelFigures> {
  const { log } = options;
  log("Starting ingestion, identity and scoring (SCORING_CURRENCY=USD, SCORING_SCHEDULER=false)…");
  const platform = await startValueModelPlatform(options.endpoints, log);
  try {
    const scoring = ["--scoring", platform.scoringAddress];
    const importArgs = ["import", "orders", options.orders.path, "--currency", "USD", "--json"];
    const ingestion = ["--url", platform.ingestionUrl, "--write-key", platform.writeKey];
    const period = ["--calibration-end", options.calibrationEnd, "--holdout-end", options.holdoutEnd];
    const backtestArgs = ["model", "backtest", ...period];
    const refitArgs = ["model", "scoring", "--refit", "--as-of", options.calibrationEnd, "--json"];

    log(`Importing ${options.orders.facts.orders.toLocaleString("en")} orders: rapport import orders…`);
    const importStartMs = performance.now();
    const imported = succeeded(await runRapport([...importArgs, ...ingestion, ...scoring]), "import orders");
    const importEndMs = performance.now();
    const importSummary = JSON.parse(imported.stdout) as ImportSummaryJson;
    if (importSummary.accepted !== options.orders.facts.orders)
      throw new Error(
        `ingestion accepted ${importSummary.accepted} of ${options.orders.facts.orders} orders:\n${imported.stdout}`,
      );

    log("Waiting for scoring to fold every order…");
    const { foldedAtMs } = await waitForFold(
      platform.processes.scoring,
      platform.resolvedTopic,
      importSummary.accepted,
      { stallMs: options.stallMs, log },
    );

    log(`rapport model backtest ${period.join(" ")} --json…`);
    const backtestRun = succeeded(
      await runRapport([...backtestArgs, "--json", ...scoring]),
      "model backtest",
    );
    log("rapport model backtest (text, for the docs)…");
    const backtestText = succeeded(await runRapport([...backtestArgs, ...scoring]), "model backtest").stdout;
    log(`rapport model scoring --refit --as-of ${options.calibrationEnd} --json…`);
    const refitRun = succeeded(await runRapport([...refitArgs, ...scoring]), "model scoring --refit");

    return {
      commands: {
        importOrders: rapportCommandText([
          "import",
          "orders",
          "orders.csv",
          "--currency",
          "USD",
          "--url",
          "<ingestion>",
          "--write-key",
          "<key>",
          "--scoring",
          "<scoring>",
          "--json",
        ]),
        backtest: rapportCommandText([...backtestArgs, "--scoring", "<scoring>", "[--json]"]),
        refit: rapportCommandText([...refitArgs, "--scoring", "<scoring>"]),
      },
      importSummary,
      importSeconds: imported.seconds,
      foldedSeconds: (foldedAtMs - importStartMs) / 1000,
      foldCatchUpSeconds: Math.max(0, (foldedAtMs - importEndMs) / 1000),
      backtest: JSON.parse(backtestRun.stdout) as BacktestModelsResponse,
      backtestSeconds: backtestRun.seconds,
      backtestText,
      asOfFit: JSON.parse(refitRun.stdout) as PopulationModelJson,
      refitSeconds: refitRun.seconds,
    };
  } finally {
    log("Stopping the services…");
    await platform.stop();
  }
}

function succeeded(run: RapportRun, command: string): RapportRun {
  if (run.exitCode !== 0)
    throw new Error(`rapport ${command} exited with ${run.exitCode} (its stderr is above):\n${run.stdout}`);
  return run;
}
