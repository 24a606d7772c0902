import type { GammaGammaFit, PopulationModel, PurchaseCountFit } from "@rapport/proto";

const count = (value: number) => value.toLocaleString("en-US");
const orders = (value: number) => `${count(value)} ${value === 1 ? "order" : "orders"}`;
/** Model parameters and likelihoods: six significant digits, enough to compare two fits. */
const figure = (value: number) => value.toLocaleString("en-US", { maximumSignificantDigits: 6 });
/** Breakpoints are observed values: days and order counts may be fractional, amounts are whole. */
const edge = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: 2 });

/**
 * The population model as a person reads it: what it was fitted on, RFM's quintile edges, the
 * segment grid's thresholds and the two lifetime-value fits (how often and how long customers buy,
 * by the model scoring is configured with; how much they spend). Amounts are minor units of scoring's
 * currency (SCORING_CURRENCY), which the model does not carry.
 */
export function populationModelText(model: PopulationModel): string {
  const rfm = model.rfmBreakpoints ?? { recencyDays: [], frequency: [], monetaryMinor: [] };
  const row = (label: string, value: string) => `  ${label.padEnd(24)}${value}`;
  const edges = (values: readonly number[]) => (values.length === 0 ? "none" : values.map(edge).join(" | "));
  return [
    `Population model ${model.modelId}`,
    row("fitted as of", model.fittedAsOf),
    row("customers", count(model.customers)),
    row("buying customers", count(model.buyingCustomers)),
    row("fit took", `${(model.fitDurationMs / 1000).toFixed(1)} s`),
    "",
    "RFM breakpoints (20th | 40th | 60th | 80th percentile among buying customers)",
    row("recency (days)", edges(rfm.recencyDays)),
    row("frequency (orders)", edges(rfm.frequency)),
    row("monetary (minor units)", edges(rfm.monetaryMinor)),
    "",
    "Segment grid thresholds (high at or above; medians among buying customers, last 365 days)",
    row("purchasing power", `${count(model.purchasingPowerThresholdMinor)} minor units of net revenue`),
    row("loyalty", `${orders(model.loyaltyThresholdOrders)} (loyalty is never high below 2)`),
    "",
    `${purchaseCountModelLabel(model.purchaseCounts?.model)} (purchases and P(alive))`,
    ...(model.purchaseCountChoice === "" ? [] : [`  chosen by ${model.purchaseCountChoice}`]),
    ...fitLines(model.purchaseCounts, (fit) =>
      Object.entries(fit.parameters)
        .map(([name, value]) => `${name} ${figure(value)}`)
        .join("  "),
    ),
    "",
    "Gamma-Gamma (spend per order)",
    ...fitLines(model.gammaGamma, (fit) => `p ${figure(fit.p)}  q ${figure(fit.q)}  v ${figure(fit.v)}`),
    "",
  ].join("\n");
}

const purchaseCountModelLabels: Record<string, string> = {
  "bg-nbd": "BG/NBD",
  "mbg-nbd": "MBG/NBD",
  "pareto-nbd": "Pareto/NBD",
};

/** How a person names a purchase-count model; "Purchase counts" before one is fitted. */
export function purchaseCountModelLabel(model: string | undefined): string {
  return model === undefined ? "Purchase counts" : (purchaseCountModelLabels[model] ?? model);
}

function fitLines<Fit extends PurchaseCountFit | GammaGammaFit>(
  fit: Fit | undefined,
  parameters: (fit: Fit) => string,
): string[] {
  if (!fit) return ["  not fitted: too few customers have bought more than once"];
  return [
    `  ${parameters(fit)}`,
    `  log-likelihood ${figure(fit.logLikelihood)} over ${count(fit.customers)} customers, ` +
      `${count(fit.iterations)} iterations, ${fit.converged ? "converged" : "NOT converged"}`,
  ];
}

/**
 * The population model for scripts: the proto's field names (as grpcurl prints them), every field
 * present, and a fit that is absent as null rather than missing.
 */
export function populationModelJson(model: PopulationModel): string {
  const rfm = model.rfmBreakpoints;
  const json = {
    modelId: model.modelId,
    fittedAsOf: model.fittedAsOf,
    customers: model.customers,
    buyingCustomers: model.buyingCustomers,
    rfmBreakpoints: {
      recencyDays: rfm?.recencyDays ?? [],
      frequency: rfm?.frequency ?? [],
      monetaryMinor: rfm?.monetaryMinor ?? [],
    },
    purchasingPowerThresholdMinor: model.purchasingPowerThresholdMinor,
    loyaltyThresholdOrders: model.loyaltyThresholdOrders,
    purchaseCounts: model.purchaseCounts ?? null,
    purchaseCountChoice: model.purchaseCountChoice,
    gammaGamma: model.gammaGamma ?? null,
    fitDurationMs: model.fitDurationMs,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
