import type { CustomerSignals } from "./customer-signals.js";
import { fitPurchaseModel, type PurchaseModel } from "./scores/predicted-value.js";
import { type RfmBreakpoints, rfmBreakpointsOf } from "./scores/rfm.js";
import type { GridThresholds } from "./scores/segment-grid.js";

/**
 * What scores need of the whole population, fitted at one scoring time and recorded as an event,
 * so every score can be replayed with the model that produced it: RFM's quintile edges, the grid's
 * thresholds, and the BG/NBD and Gamma-Gamma fits (absent until enough customers bought again).
 */
export type PopulationModel = {
  modelId: string;
  fittedAsOf: string;
  customers: number;
  buyingCustomers: number;
  rfmBreakpoints: RfmBreakpoints;
  grid: GridThresholds;
  purchases?: PurchaseModel;
  /** Wall time the fit took, measured by the service. */
  fitDurationMs: number;
};

/** Fewer repeat buyers than this leave BG/NBD and Gamma-Gamma unidentified: no purchase model. */
export const minimumRepeatBuyers = 20;

export function fitPopulationModel(
  population: readonly CustomerSignals[],
  asOf: number,
): Omit<PopulationModel, "fitDurationMs"> {
  const buyers = population.filter((customer) => customer.rfm !== undefined);
  const patterns = buyers.flatMap((customer) => (customer.purchasePattern ? [customer.purchasePattern] : []));
  const repeatBuyers = patterns.filter((pattern) => pattern.repeatPurchases > 0).length;
  const fittedAsOf = new Date(asOf).toISOString();
  const purchases = repeatBuyers >= minimumRepeatBuyers ? fitPurchaseModel(patterns) : undefined;
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
