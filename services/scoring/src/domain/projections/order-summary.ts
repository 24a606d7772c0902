import {
  compareText,
  dayMs,
  type OrderFact,
  type OrderLine,
  type OrderRefundFact,
} from "../customer-facts.js";
import { type CustomerHistory, factsOfKind } from "../customer-history.js";
import { type OrderSettings, type UnvaluedOrders, unvaluedOrdersOf, valueOrder } from "./order-valuation.js";

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
  /** Orders placed, not cancelled and valued: in the reporting currency, or converted to it. */
  orders: number;
  cancelledOrders: number;
  refundedOrders: number;
  /** Orders placed in another currency than the reporting one, converted or not. */
  ordersInOtherCurrencies: number;
  /** Orders (not cancelled) in a currency without a rate on their day, by currency: in no amount or score. */
  unvaluedOrders: UnvaluedOrders[];
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

/** The instant of a purchase in epoch ms. */
export function purchaseInstant(purchase: { time: string; at?: number }): number {
  return purchase.at ?? Date.parse(purchase.time);
}

/**
 * The purchases of a history in time order. An order id counts once (its earliest OrderPlaced),
 * a cancellation removes it whenever it arrived, refunds in its currency reduce it (never below
 * zero), and it is valued in the reporting currency (an order without a rate is no purchase).
 */
export function purchasesOf(history: CustomerHistory, settings: OrderSettings): Purchase[] {
  return keptOrdersOf(history, settings).valued.map(({ purchase }) => purchase);
}

export function summariseOrders(history: CustomerHistory, settings: OrderSettings): OrderSummary {
  const placed = placedOrders(history);
  const cancelled = cancelledOrderIds(history);
  const { valued, unvalued } = keptOrdersOf(history, settings);
  return orderSummaryOf({
    purchases: valued.map(({ purchase }) => purchase),
    cancelledOrders: placed.filter((order) => cancelled.has(order.orderId)).length,
    refundedOrders: valued.filter(({ isRefunded }) => isRefunded).length,
    ordersInOtherCurrencies: placed.filter((order) => order.currency !== settings.currency).length,
    unvaluedOrders: unvaluedOrdersOf(unvalued.map((order) => ({ ...order, at: Date.parse(order.time) }))),
    purchasedLines: valued.map(({ lines }) => lines),
  });
}

/** What the order summary is computed from, however the orders were gathered (a history or a ledger). */
export type OrderSummaryInputs = {
  /** In time order. */
  purchases: readonly Purchase[];
  cancelledOrders: number;
  refundedOrders: number;
  ordersInOtherCurrencies: number;
  unvaluedOrders: UnvaluedOrders[];
  /** The lines of each purchased order, amounts in the reporting currency. */
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
    unvaluedOrders: inputs.unvaluedOrders,
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

/** The orders placed and not cancelled, in time order: valued (with their lines converted), or not. */
function keptOrdersOf(history: CustomerHistory, settings: OrderSettings) {
  const cancelled = cancelledOrderIds(history);
  const refunds = refundsByOrder(history);
  const valued: { purchase: Purchase; lines: readonly OrderLine[]; isRefunded: boolean }[] = [];
  const unvalued: OrderFact[] = [];
  for (const order of placedOrders(history)) {
    if (cancelled.has(order.orderId)) continue;
    const refundsInItsCurrency = (refunds.get(order.orderId) ?? []).filter(
      (refund) => refund.currency === order.currency,
    );
    const value = valueOrder(
      { ...order, at: Date.parse(order.time) },
      sum(refundsInItsCurrency.map((refund) => refund.amountMinor)),
      settings,
    );
    if (!value) {
      unvalued.push(order);
      continue;
    }
    valued.push({
      purchase: {
        orderId: order.orderId,
        eventId: order.eventId,
        time: order.time,
        netRevenueMinor: value.netRevenueMinor,
        netMarginMinor: value.netMarginMinor,
      },
      lines: value.lines,
      isRefunded: refundsInItsCurrency.length > 0,
    });
  }
  return { valued, unvalued };
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

function refundsByOrder(history: CustomerHistory): Map<string, OrderRefundFact[]> {
  const refunds = new Map<string, OrderRefundFact[]>();
  for (const refund of factsOfKind(history, "order_refunded")) {
    const known = refunds.get(refund.orderId);
    if (known) known.push(refund);
    else refunds.set(refund.orderId, [refund]);
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
