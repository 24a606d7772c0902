import {
  compareMoments,
  earlierOf,
  momentOf,
  type OrderCancellationFact,
  type OrderFact,
  type OrderLine,
  type OrderRefundFact,
} from "../customer-facts.js";
import { mergeEntries, withEntry } from "./keyed-entries.js";
import type { OrderSummaryInputs, Purchase } from "./order-summary.js";
import { type OrderSettings, unvaluedOrdersOf, valueOrder } from "./order-valuation.js";

/** An order as placed: the earliest OrderPlaced of its order id (by event time, then event id). */
export type PlacedOrder = {
  eventId: string;
  time: string;
  at: number;
  totalMinor: number;
  currency: string;
  marginMinor?: number;
  lines: OrderLine[];
};

export type OrderRefund = { eventId: string; amountMinor: number; currency: string };

/** What is known of one order id: its placement, whether it was cancelled, its refunds by event. */
export type OrderEntry = {
  orderId: string;
  placed?: PlacedOrder;
  cancelled: boolean;
  refunds: OrderRefund[];
};

/**
 * Every order of a customer by order id (sorted): the incremental form of the order facts. The
 * purchases and the order summary follow from it as they follow from the history (order-summary.ts):
 * an order id counts once, a cancellation removes it whenever it arrived, refunds reduce it.
 */
export type OrderLedger = readonly OrderEntry[];

const orderIdOf = (entry: OrderEntry) => entry.orderId;
const refundIdOf = (refund: OrderRefund) => refund.eventId;

export function recordOrderFact(
  ledger: OrderLedger,
  fact: OrderFact | OrderCancellationFact | OrderRefundFact,
): OrderLedger {
  return withEntry(ledger, fact.orderId, orderIdOf, (existing) => {
    const entry = existing ?? { orderId: fact.orderId, cancelled: false, refunds: [] };
    switch (fact.kind) {
      case "order": {
        const placed = placedOrderOf(fact);
        return { ...entry, placed: entry.placed ? earlierOf(entry.placed, placed) : placed };
      }
      case "order_cancelled":
        return entry.cancelled ? entry : { ...entry, cancelled: true };
      case "order_refunded": {
        const refund = { eventId: fact.eventId, amountMinor: fact.amountMinor, currency: fact.currency };
        return { ...entry, refunds: withEntry(entry.refunds, refund.eventId, refundIdOf, () => refund) };
      }
      default: {
        const unhandled: never = fact;
        return unhandled;
      }
    }
  });
}

export function combineOrderLedgers(a: OrderLedger, b: OrderLedger): OrderLedger {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return mergeEntries(a, b, orderIdOf, (x, y) => {
    const placed = x.placed && y.placed ? earlierOf(x.placed, y.placed) : (x.placed ?? y.placed);
    return {
      orderId: x.orderId,
      ...(placed ? { placed } : {}),
      cancelled: x.cancelled || y.cancelled,
      refunds: mergeEntries(x.refunds, y.refunds, refundIdOf, (refund) => refund),
    };
  });
}

/**
 * The purchases (placed, not cancelled, valued in the reporting currency) in time order and what
 * the order summary is computed from, as purchasesOf and summariseOrders give them from a history.
 */
export function orderSummaryInputsOfLedger(
  ledger: OrderLedger,
  settings: OrderSettings,
): OrderSummaryInputs & { purchases: Purchase[] } {
  const valued: { placed: PlacedOrder; purchase: Purchase; lines: readonly OrderLine[] }[] = [];
  const unvalued: PlacedOrder[] = [];
  let cancelledOrders = 0;
  let refundedOrders = 0;
  let ordersInOtherCurrencies = 0;
  for (const entry of ledger) {
    const order = entry.placed;
    if (!order) continue;
    if (order.currency !== settings.currency) ordersInOtherCurrencies += 1;
    if (entry.cancelled) {
      cancelledOrders += 1;
      continue;
    }
    const refunds = entry.refunds.filter((refund) => refund.currency === order.currency);
    const value = valueOrder(
      order,
      refunds.reduce((total, refund) => total + refund.amountMinor, 0),
      settings,
    );
    if (!value) {
      unvalued.push(order);
      continue;
    }
    if (refunds.length > 0) refundedOrders += 1;
    valued.push({
      placed: order,
      purchase: {
        orderId: entry.orderId,
        eventId: order.eventId,
        time: order.time,
        at: order.at,
        netRevenueMinor: value.netRevenueMinor,
        netMarginMinor: value.netMarginMinor,
      },
      lines: value.lines,
    });
  }
  // The ledger is in order-id order; the summary's lines follow it, the purchases follow time.
  const purchasedLines = valued.map(({ lines }) => lines);
  valued.sort((x, y) => compareMoments(x.placed, y.placed));
  return {
    purchases: valued.map(({ purchase }) => purchase),
    cancelledOrders,
    refundedOrders,
    ordersInOtherCurrencies,
    unvaluedOrders: unvaluedOrdersOf(unvalued),
    purchasedLines,
  };
}

function placedOrderOf(fact: OrderFact): PlacedOrder {
  const { at } = momentOf(fact);
  return {
    eventId: fact.eventId,
    time: fact.time,
    at,
    totalMinor: fact.totalMinor,
    currency: fact.currency,
    ...(fact.marginMinor !== undefined ? { marginMinor: fact.marginMinor } : {}),
    lines: fact.lines,
  };
}
