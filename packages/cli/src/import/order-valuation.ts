import type { CloudEventJson } from "./mapped-output.js";

/** What scoring can value, as its GetValuation answers. */
export type PlatformValuation = {
  /** The currency every amount is reported in (scoring's SCORING_CURRENCY). */
  reportingCurrency: string;
  /** The currencies with a rate to it, each from the first UTC day it has one ("" for a fixed rate). */
  ratedCurrencies: readonly { currency: string; firstRatedDay: string }[];
};

/** Whether an import could learn what scoring values, and what it learnt. */
export type ValuationCheck =
  | { checked: true; valuation: PlatformValuation }
  | { checked: false; reason: string };

/** An order scoring cannot value: its currency and UTC day. */
export type UnvaluedOrder = { currency: string; day: string };

/** Orders of one currency scoring cannot value, with the first and last day among them. */
export type UnvaluedCurrency = { currency: string; orders: number; firstDay: string; lastDay: string };

/**
 * The order an event places, when scoring cannot value it: in another currency than the reporting
 * one, without a rate on its UTC day (none at all, or only from a later day). Undefined for any
 * other event and for an order scoring values.
 */
export function unvaluedOrderOf(
  event: CloudEventJson,
  valuation: PlatformValuation,
): UnvaluedOrder | undefined {
  if (event.type !== "crm.v1.OrderPlaced" || typeof event.time !== "string") return undefined;
  const currency = totalCurrencyOf(event.data);
  const instant = Date.parse(event.time);
  // Ingestion rejects an order without a total or a time; its answer says so.
  if (currency === undefined || Number.isNaN(instant) || currency === valuation.reportingCurrency)
    return undefined;
  const day = new Date(instant).toISOString().slice(0, 10);
  const rated = valuation.ratedCurrencies.find((known) => known.currency === currency);
  if (rated && (rated.firstRatedDay === "" || rated.firstRatedDay <= day)) return undefined;
  return { currency, day };
}

/** The tally of unvalued orders (in currency order) with one more. */
export function withUnvaluedOrder(
  tally: readonly UnvaluedCurrency[],
  { currency, day }: UnvaluedOrder,
): UnvaluedCurrency[] {
  const known = tally.find((entry) => entry.currency === currency);
  if (!known)
    return [...tally, { currency, orders: 1, firstDay: day, lastDay: day }].sort((a, b) =>
      a.currency < b.currency ? -1 : 1,
    );
  return tally.map((entry) =>
    entry === known
      ? {
          currency,
          orders: entry.orders + 1,
          firstDay: day < entry.firstDay ? day : entry.firstDay,
          lastDay: day > entry.lastDay ? day : entry.lastDay,
        }
      : entry,
  );
}

/** Why scoring cannot value a currency's orders, and what the operator configures so it can. */
export function unvaluedReason(currency: string, valuation: PlatformValuation): string {
  const reporting = valuation.reportingCurrency;
  const rated = valuation.ratedCurrencies.find((known) => known.currency === currency);
  if (rated)
    return (
      `before scoring's first ${currency} rate (${rated.firstRatedDay}); add ${currency} rates of ` +
      "those days to SCORING_EXCHANGE_RATES_FILE"
    );
  return (
    `scoring has no ${currency} rate; set SCORING_EXCHANGE_RATES=${currency}=<${reporting} for one ` +
    `${currency}>, or add ${currency} lines to SCORING_EXCHANGE_RATES_FILE`
  );
}

function totalCurrencyOf(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { total } = data as { total?: unknown };
  if (typeof total !== "object" || total === null) return undefined;
  const { currency } = total as { currency?: unknown };
  return typeof currency === "string" ? currency.trim().toUpperCase() : undefined;
}
