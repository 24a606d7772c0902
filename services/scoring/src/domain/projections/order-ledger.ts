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
import type { OrderSettings, Purchase } from "./order-summary.js";

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

/** The purchases (placed, not cancelled, in the reporting currency) in time order, as purchasesOf gives them. */
export function purchasesOfLedger(ledger: OrderLedger, settings: OrderSettings): Purchase[] {
  const kept: { order: PlacedOrder; orderId: string; refunded: number }[] = [];
  for (const entry of ledger) {
    const order = entry.placed;
    if (!order || entry.cancelled || order.currency !== settings.currency) continue;
    kept.push({ order, orderId: entry.orderId, refunded: refundedIn(entry, settings.currency) });
  }
  kept.sort((x, y) => compareMoments(x.order, y.order));
  return kept.map(({ order, orderId, refunded }) => {
    const refundedMinor = Math.min(order.totalMinor, refunded);
    const keptShare = order.totalMinor > 0 ? (order.totalMinor - refundedMinor) / order.totalMinor : 1;
    const margin = order.marginMinor ?? Math.round(order.totalMinor * settings.defaultMarginRate);
    return {
      orderId,
      eventId: order.eventId,
      time: order.time,
      at: order.at,
      netRevenueMinor: order.totalMinor - refundedMinor,
      netMarginMinor: Math.round(margin * keptShare),
    };
  });
}

/** How many orders were placed in another currency, cancelled, or refunded (in the reporting currency). */
export function orderCountsOfLedger(ledger: OrderLedger, currency: string) {
  let cancelledOrders = 0;
  let refundedOrders = 0;
  let ordersInOtherCurrencies = 0;
  for (const entry of ledger) {
    if (!entry.placed) continue;
    if (entry.cancelled) cancelledOrders += 1;
    if (entry.placed.currency !== currency) ordersInOtherCurrencies += 1;
    else if (!entry.cancelled && entry.refunds.some((refund) => refund.currency === currency))
      refundedOrders += 1;
  }
  return { cancelledOrders, refundedOrders, ordersInOtherCurrencies };
}

/** The lines of the purchased orders (placed, not cancelled, in the reporting currency). */
export function purchasedLinesOfLedger(ledger: OrderLedger, currency: string): OrderLine[][] {
  return ledger.flatMap((entry) =>
    entry.placed && !entry.cancelled && entry.placed.currency === currency ? [entry.placed.lines] : [],
  );
}

function refundedIn(entry: OrderEntry, currency: string): number {
  let total = 0;
  for (const refund of entry.refunds) if (refund.currency === currency) total += refund.amountMinor;
  return total;
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
