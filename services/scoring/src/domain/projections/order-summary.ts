import { compareText, dayMs, type OrderFact, type OrderLine } from "../customer-facts.js";
import { type CustomerHistory, factsOfKind } from "../customer-history.js";

/** One order as the scores see it: placed, possibly refunded in part, never cancelled. */
export type Purchase = {
  orderId: string;
  /** The OrderPlaced event. */
  eventId: string;
  time: string;
  /** `time` in epoch ms, when known (saves parsing it again in every score). */
  at?: number;
  /** What the customer paid, less refunds, in minor units of the reporting currency. */
  netRevenueMinor: number;
  /** Contribution of the order, less the refunded share: the shop's margin, or revenue × the default rate. */
  netMarginMinor: number;
};

export type CategoryAffinity = { category: string; orders: number; amountMinor: number };
export type ProductAffinity = { productId: string; orders: number; quantity: number };

export type OrderSummary = {
  /** Orders placed and not cancelled, in the reporting currency. */
  orders: number;
  cancelledOrders: number;
  refundedOrders: number;
  /** Orders in another currency: counted here, not in any amount. */
  ordersInOtherCurrencies: number;
  revenueMinor: number;
  marginMinor: number;
  averageOrderValueMinor: number;
  firstOrderAt?: string;
  lastOrderAt?: string;
  /** Days between consecutive orders: their mean, and the latest gap. */
  meanPurchaseIntervalDays?: number;
  lastPurchaseIntervalDays?: number;
  /** Categories and products bought, most first: what cross-sell works from. */
  categories: CategoryAffinity[];
  products: ProductAffinity[];
};

export type OrderSettings = {
  /** ISO 4217 code every amount is summed in. */
  currency: string;
  /** Share of revenue taken as margin when an order carries none. */
  defaultMarginRate: number;
};

/**
 * The purchases of a history in time order. An order id counts once (its earliest OrderPlaced),
 * a cancellation removes it whenever it arrived, refunds reduce it (never below zero).
 */
/** The instant of a purchase in epoch ms. */
export function purchaseInstant(purchase: { time: string; at?: number }): number {
  return purchase.at ?? Date.parse(purchase.time);
}

export function purchasesOf(history: CustomerHistory, settings: OrderSettings): Purchase[] {
  const cancelled = cancelledOrderIds(history);
  const refunds = refundsByOrder(history, settings.currency);
  return placedOrders(history)
    .filter((order) => order.currency === settings.currency && !cancelled.has(order.orderId))
    .map((order) => {
      const refunded = Math.min(order.totalMinor, refunds.get(order.orderId) ?? 0);
      const keptShare = order.totalMinor > 0 ? (order.totalMinor - refunded) / order.totalMinor : 1;
      const margin = order.marginMinor ?? Math.round(order.totalMinor * settings.defaultMarginRate);
      return {
        orderId: order.orderId,
        eventId: order.eventId,
        time: order.time,
        netRevenueMinor: order.totalMinor - refunded,
        netMarginMinor: Math.round(margin * keptShare),
      };
    });
}

export function summariseOrders(history: CustomerHistory, settings: OrderSettings): OrderSummary {
  const placed = placedOrders(history);
  const cancelled = cancelledOrderIds(history);
  const kept = placed.filter(
    (order) => !cancelled.has(order.orderId) && order.currency === settings.currency,
  );
  return orderSummaryOf({
    purchases: purchasesOf(history, settings),
    cancelledOrders: placed.filter((order) => cancelled.has(order.orderId)).length,
    refundedOrders: [...refundsByOrder(history, settings.currency).keys()].filter((id) =>
      kept.some((order) => order.orderId === id),
    ).length,
    ordersInOtherCurrencies: placed.filter((order) => order.currency !== settings.currency).length,
    purchasedLines: kept.map((order) => order.lines),
  });
}

/** What the order summary is computed from, however the orders were gathered (a history or a ledger). */
export type OrderSummaryInputs = {
  /** In time order. */
  purchases: readonly Purchase[];
  cancelledOrders: number;
  refundedOrders: number;
  ordersInOtherCurrencies: number;
  /** The lines of each purchased order. */
  purchasedLines: readonly (readonly OrderLine[])[];
};

export function orderSummaryOf(inputs: OrderSummaryInputs): OrderSummary {
  const { purchases } = inputs;
  const revenueMinor = sum(purchases.map((purchase) => purchase.netRevenueMinor));
  const intervals = purchases
    .slice(1)
    .map((purchase, i) => (purchaseInstant(purchase) - purchaseInstant(purchases[i] as Purchase)) / dayMs);
  const first = purchases[0];
  const last = purchases.at(-1);
  return {
    orders: purchases.length,
    cancelledOrders: inputs.cancelledOrders,
    refundedOrders: inputs.refundedOrders,
    ordersInOtherCurrencies: inputs.ordersInOtherCurrencies,
    revenueMinor,
    marginMinor: sum(purchases.map((purchase) => purchase.netMarginMinor)),
    averageOrderValueMinor: purchases.length > 0 ? Math.round(revenueMinor / purchases.length) : 0,
    ...(first ? { firstOrderAt: first.time } : {}),
    ...(last ? { lastOrderAt: last.time } : {}),
    ...(intervals.length > 0
      ? {
          meanPurchaseIntervalDays: sum(intervals) / intervals.length,
          lastPurchaseIntervalDays: intervals.at(-1),
        }
      : {}),
    categories: categoryAffinities(inputs.purchasedLines),
    products: productAffinities(inputs.purchasedLines),
  };
}

function placedOrders(history: CustomerHistory): OrderFact[] {
  const firstByOrderId = new Map<string, OrderFact>();
  for (const order of factsOfKind(history, "order"))
    if (!firstByOrderId.has(order.orderId)) firstByOrderId.set(order.orderId, order);
  return [...firstByOrderId.values()];
}

function cancelledOrderIds(history: CustomerHistory): Set<string> {
  return new Set(factsOfKind(history, "order_cancelled").map((fact) => fact.orderId));
}

function refundsByOrder(history: CustomerHistory, currency: string): Map<string, number> {
  const refunds = new Map<string, number>();
  for (const refund of factsOfKind(history, "order_refunded")) {
    if (refund.currency !== currency) continue;
    refunds.set(refund.orderId, (refunds.get(refund.orderId) ?? 0) + refund.amountMinor);
  }
  return refunds;
}

function categoryAffinities(orders: readonly (readonly OrderLine[])[]): CategoryAffinity[] {
  const byCategory = new Map<string, CategoryAffinity>();
  for (const lines of orders) {
    const categories = new Set<string>();
    for (const line of lines) {
      if (!line.category) continue;
      const affinity = byCategory.get(line.category) ?? {
        category: line.category,
        orders: 0,
        amountMinor: 0,
      };
      affinity.amountMinor += line.amountMinor;
      if (!categories.has(line.category)) affinity.orders += 1;
      categories.add(line.category);
      byCategory.set(line.category, affinity);
    }
  }
  return [...byCategory.values()].sort(
    (a, b) => b.orders - a.orders || b.amountMinor - a.amountMinor || compareText(a.category, b.category),
  );
}

function productAffinities(orders: readonly (readonly OrderLine[])[]): ProductAffinity[] {
  const byProduct = new Map<string, ProductAffinity>();
  for (const lines of orders) {
    const products = new Set<string>();
    for (const line of lines) {
      const affinity = byProduct.get(line.productId) ?? { productId: line.productId, orders: 0, quantity: 0 };
      affinity.quantity += line.quantity;
      if (!products.has(line.productId)) affinity.orders += 1;
      products.add(line.productId);
      byProduct.set(line.productId, affinity);
    }
  }
  return [...byProduct.values()].sort(
    (a, b) => b.orders - a.orders || b.quantity - a.quantity || compareText(a.productId, b.productId),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
