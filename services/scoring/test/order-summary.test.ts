import { describe, expect, it } from "vitest";
import { purchasesOf, summariseOrders } from "../src/domain/projections/order-summary.js";
import { customerEvent, day, historyOf, order, settings } from "./scoring-fixtures.js";

describe("the order summary", () => {
  it("counts orders, revenue, margin, first and last order, intervals and affinities", () => {
    const history = historyOf([
      order(day(0), "O-1", 10_000, { margin: { amountMinor: 4_000, currency: "KRW" } }),
      order(day(10), "O-2", 30_000),
      customerEvent("crm.v1.OrderPlaced", day(30), {
        orderId: "O-3",
        items: [
          {
            productId: "cup-03",
            category: "tableware",
            quantity: 2,
            unitPrice: { amountMinor: 7_000, currency: "KRW" },
          },
          {
            productId: "tea-01",
            category: "tea",
            quantity: 1,
            unitPrice: { amountMinor: 6_000, currency: "KRW" },
          },
        ],
        total: { amountMinor: 20_000, currency: "KRW" },
      }),
    ]);

    const summary = summariseOrders(history, settings.orders);

    expect(summary).toMatchObject({
      orders: 3,
      revenueMinor: 60_000,
      // 4,000 given + 25% of 30,000 + 25% of 20,000
      marginMinor: 4_000 + 7_500 + 5_000,
      averageOrderValueMinor: 20_000,
      firstOrderAt: day(0),
      lastOrderAt: day(30),
      meanPurchaseIntervalDays: 15,
      lastPurchaseIntervalDays: 20,
    });
    expect(summary.categories).toEqual([
      { category: "tea", orders: 3, amountMinor: 46_000 },
      { category: "tableware", orders: 1, amountMinor: 14_000 },
    ]);
    expect(summary.products[0]).toEqual({ productId: "tea-01", orders: 3, quantity: 3 });
  });

  it("drops a cancelled order even when the cancellation arrives first, and nets refunds", () => {
    const history = historyOf([
      customerEvent("crm.v1.OrderCancelled", day(2), { orderId: "O-1" }),
      order(day(1), "O-1", 10_000),
      order(day(3), "O-2", 40_000, { margin: { amountMinor: 8_000, currency: "KRW" } }),
      customerEvent("crm.v1.OrderRefunded", day(4), {
        orderId: "O-2",
        amount: { amountMinor: 10_000, currency: "KRW" },
      }),
    ]);

    const summary = summariseOrders(history, settings.orders);

    expect(summary).toMatchObject({ orders: 1, cancelledOrders: 1, refundedOrders: 1, revenueMinor: 30_000 });
    // A quarter of the order came back, so a quarter of its margin goes with it.
    expect(summary.marginMinor).toBe(6_000);
  });

  it("counts an order id once even when the shop sent it twice under two event ids", () => {
    const history = historyOf([order(day(1), "O-1", 10_000), order(day(1, 2), "O-1", 10_000)]);

    expect(purchasesOf(history, settings.orders)).toHaveLength(1);
  });

  it("keeps orders in another currency out of every amount", () => {
    const history = historyOf([
      customerEvent("crm.v1.OrderPlaced", day(1), {
        orderId: "O-9",
        total: { amountMinor: 5_000, currency: "USD" },
      }),
    ]);

    expect(summariseOrders(history, settings.orders)).toMatchObject({
      orders: 0,
      ordersInOtherCurrencies: 1,
      revenueMinor: 0,
    });
  });
});
