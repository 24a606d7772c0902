import { dayMs } from "../customer-facts.js";
import { type Purchase, purchaseInstant } from "../projections/order-summary.js";

/** The customer pyramid: everyone known, those who signed up, those who buy, the best buyers. */
export type Tier = "all" | "registered" | "purchasing" | "platinum";

export type TierSettings = {
  /** Net revenue within the window that makes a buyer platinum, minor units. */
  platinumRevenueMinor: number;
  platinumWindowDays: number;
};

export function tierOf(
  isRegistered: boolean,
  purchases: readonly Purchase[],
  asOf: number,
  settings: TierSettings,
): Tier {
  if (purchases.length > 0) {
    const windowStart = asOf - settings.platinumWindowDays * dayMs;
    const recentRevenue = purchases
      .filter((purchase) => purchaseInstant(purchase) > windowStart)
      .reduce((total, purchase) => total + purchase.netRevenueMinor, 0);
    return recentRevenue >= settings.platinumRevenueMinor ? "platinum" : "purchasing";
  }
  return isRegistered ? "registered" : "all";
}
