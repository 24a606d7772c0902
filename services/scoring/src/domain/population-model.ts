import type { CustomerSignals } from "./customer-signals.js";
import type { BgNbdParameters, ModelFit, PurchaseCountModelName } from "./lifetime-value/index.js";
import { fitPurchaseModel, type PurchaseModel } from "./scores/predicted-value.js";
import { type RfmBreakpoints, rfmBreakpointsOf } from "./scores/rfm.js";
import type { GridThresholds } from "./scores/segment-grid.js";

/**
 * What scores need of the whole population, fitted at one scoring time and recorded as an event,
 * so every score can be replayed with the model that produced it: RFM's quintile edges, the grid's
 * thresholds, and the purchase-count and Gamma-Gamma fits (absent until enough customers bought
 * again). A fit as of a past time is measured on the events up to it only, and is the model in force
 * for questions about that time until a later one.
 */
export type PopulationModel = {
  modelId: string;
  fittedAsOf: string;
  customers: number;
  buyingCustomers: number;
  rfmBreakpoints: RfmBreakpoints;
  grid: GridThresholds;
  purchases?: PurchaseModel;
  /** Why the purchase-count model is the one it is: the configuration, or the backtest auto chose by. */
  purchaseCountChoice?: string;
  /** Wall time the fit took, measured by the service. */
  fitDurationMs: number;
};

/** Fewer repeat buyers than this leave the purchase models unidentified: no purchase model. */
export const minimumRepeatBuyers = 20;

export function fitPopulationModel(
  population: readonly CustomerSignals[],
  asOf: number,
  countModel: PurchaseCountModelName,
): Omit<PopulationModel, "fitDurationMs"> {
  const buyers = population.filter((customer) => customer.rfm !== undefined);
  const patterns = buyers.flatMap((customer) => (customer.purchasePattern ? [customer.purchasePattern] : []));
  const repeatBuyers = patterns.filter((pattern) => pattern.repeatPurchases > 0).length;
  const fittedAsOf = new Date(asOf).toISOString();
  const purchases = repeatBuyers >= minimumRepeatBuyers ? fitPurchaseModel(patterns, countModel) : undefined;
  return {
    modelId: `model-${fittedAsOf}`,
    fittedAsOf,
    customers: population.length,
    buyingCustomers: buyers.length,
    rfmBreakpoints: rfmBreakpointsOf(
      buyers.map((customer) => customer.rfm as NonNullable<CustomerSignals["rfm"]>),
    ),
    grid: {
      purchasingPowerMinor: median(buyers.map((customer) => customer.grid.revenueLastYearMinor)),
      loyaltyOrders: median(buyers.map((customer) => customer.grid.ordersLastYear)),
    },
    ...(purchases ? { purchases } : {}),
  };
}

/** The lower median (an observed value); 0 for nobody. */
function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/**
 * A model as recorded by any version of scoring: those recorded before the purchase-count model
 * could be chosen carry their BG/NBD fit as `purchases.bgNbd`, read here as the BG/NBD fit it is.
 */
export function recordedPopulationModel(recorded: PopulationModel): PopulationModel {
  const purchases = recorded.purchases as
    | PurchaseModel
    | (Omit<PurchaseModel, "purchaseCounts"> & { bgNbd: ModelFit<BgNbdParameters> })
    | undefined;
  if (purchases === undefined || !("bgNbd" in purchases)) return recorded;
  const { bgNbd, gammaGamma } = purchases;
  return { ...recorded, purchases: { purchaseCounts: { model: "bg-nbd", fit: bgNbd }, gammaGamma } };
}
