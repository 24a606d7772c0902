import { compareText, type OrderLine } from "../customer-facts.js";
import { type ExchangeRates, minorUnitFactor, rateAt } from "../exchange-rates.js";

export type OrderSettings = {
  /** ISO 4217 code every amount is summed in. */
  currency: string;
  /**
   * The operator's rates of other currencies to it. An order is kept in its own currency and
   * converted whenever it is valued, so a corrected rate corrects every customer at their next scoring.
   */
  rates: ExchangeRates;
  /** Share of revenue taken as margin when an order carries none. */
  defaultMarginRate: number;
};

/** An order as placed, in its own currency. */
export type OrderToValue = {
  at: number;
  currency: string;
  totalMinor: number;
  marginMinor?: number;
  lines: readonly OrderLine[];
};

/** What an order counts for in the reporting currency. */
export type OrderValue = {
  /** What the customer paid, less refunds. */
  netRevenueMinor: number;
  /** The shop's margin, or revenue × the default rate, less the refunded share. */
  netMarginMinor: number;
  /** The order's lines with their amounts converted. */
  lines: readonly OrderLine[];
};

/** Orders (placed, not cancelled) in a currency without a rate on their day: counted, in no amount. */
export type UnvaluedOrders = { currency: string; orders: number; firstOrderAt: string; lastOrderAt: string };

/**
 * The order in the reporting currency, less `refundedMinor` (refunds in the order's currency, never
 * more than the order): undefined when its currency has no rate on its day. Each figure is rounded
 * once, after conversion.
 */
export function valueOrder(
  order: OrderToValue,
  refundedMinor: number,
  settings: OrderSettings,
): OrderValue | undefined {
  const factor = factorOf(order, settings);
  if (factor === undefined) return undefined;
  const refunded = Math.min(order.totalMinor, refundedMinor);
  const keptShare = order.totalMinor > 0 ? (order.totalMinor - refunded) / order.totalMinor : 1;
  const margin = order.marginMinor ?? order.totalMinor * settings.defaultMarginRate;
  return {
    netRevenueMinor: Math.round((order.totalMinor - refunded) * factor),
    netMarginMinor: Math.round(margin * keptShare * factor),
    lines:
      factor === 1
        ? order.lines
        : order.lines.map((line) => ({ ...line, amountMinor: Math.round(line.amountMinor * factor) })),
  };
}

function factorOf(order: OrderToValue, settings: OrderSettings): number | undefined {
  if (order.currency === settings.currency) return 1;
  const rate = rateAt(settings.rates, order.currency, order.at);
  return rate === undefined ? undefined : minorUnitFactor(order.currency, settings.currency, rate);
}

/** The orders that could not be valued, by currency (in code order), each currency's first and last. */
export function unvaluedOrdersOf(orders: readonly { currency: string; time: string; at: number }[]) {
  const byCurrency = new Map<string, UnvaluedOrders & { firstAt: number; lastAt: number }>();
  for (const order of orders) {
    const known = byCurrency.get(order.currency);
    if (!known) {
      byCurrency.set(order.currency, {
        currency: order.currency,
        orders: 1,
        firstOrderAt: order.time,
        lastOrderAt: order.time,
        firstAt: order.at,
        lastAt: order.at,
      });
      continue;
    }
    known.orders += 1;
    if (order.at < known.firstAt) Object.assign(known, { firstAt: order.at, firstOrderAt: order.time });
    if (order.at > known.lastAt) Object.assign(known, { lastAt: order.at, lastOrderAt: order.time });
  }
  return [...byCurrency.values()]
    .sort((a, b) => compareText(a.currency, b.currency))
    .map(({ currency, orders: count, firstOrderAt, lastOrderAt }) => ({
      currency,
      orders: count,
      firstOrderAt,
      lastOrderAt,
    }));
}
