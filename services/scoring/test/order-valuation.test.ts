import { describe, expect, it } from "vitest";
import type { ExchangeRates } from "../src/domain/exchange-rates.js";
import { foldProfileState } from "../src/domain/profile-state.js";
import { orderSummaryInputsOfLedger } from "../src/domain/projections/order-ledger.js";
import { orderSummaryOf, purchasesOf, summariseOrders } from "../src/domain/projections/order-summary.js";
import type { OrderSettings } from "../src/domain/projections/order-valuation.js";
import { exchangeRatesOf } from "../src/exchange-rate-config.js";
import { customerEvent, day, factsOf, historyOf, order, settings } from "./scoring-fixtures.js";

function orderIn(time: string, orderId: string, amountMinor: number, currency: string) {
  return customerEvent("crm.v1.OrderPlaced", time, {
    orderId,
    items: [{ productId: "tea-01", category: "tea", quantity: 1, unitPrice: { amountMinor, currency } }],
    total: { amountMinor, currency },
  });
}

const refund = (time: string, orderId: string, amountMinor: number, currency: string) =>
  customerEvent("crm.v1.OrderRefunded", time, { orderId, amount: { amountMinor, currency } });

const krwWith = (rates: ExchangeRates): OrderSettings => ({ ...settings.orders, rates });

/** 1 USD = 1,350.5 KRW every day. */
const fixedUsd = krwWith(exchangeRatesOf([{ currency: "USD", rate: 1350.5 }], []));

/** The summary both ways scoring computes it: folding the history, and from the order ledger. */
function bothSummaries(events: Parameters<typeof historyOf>[0], orderSettings: OrderSettings) {
  const fromHistory = summariseOrders(historyOf(events), orderSettings);
  const fromLedger = orderSummaryOf(
    orderSummaryInputsOfLedger(foldProfileState(factsOf(events)).orders, orderSettings),
  );
  expect(fromLedger).toEqual(fromHistory);
  return fromHistory;
}

describe("orders in another currency", () => {
  it("are converted at a fixed rate with each currency's minor unit, and count like any order", () => {
    // 19.99 USD is 1,999 cents; a cent is 13.505 KRW (KRW has no minor unit): 26,996.495 KRW.
    const summary = bothSummaries(
      [order(day(0), "K-1", 10_000), orderIn(day(5), "U-1", 1_999, "USD")],
      fixedUsd,
    );

    expect(summary).toMatchObject({
      orders: 2,
      ordersInOtherCurrencies: 1,
      unvaluedOrders: [],
      revenueMinor: 10_000 + 26_996,
      marginMinor: 2_500 + Math.round(1_999 * 0.25 * 13.505),
      lastOrderAt: day(5),
    });
    expect(summary.categories).toEqual([{ category: "tea", orders: 2, amountMinor: 36_996 }]);
  });

  it("take the rate of their UTC day, else of the latest earlier day, and none before the first", () => {
    const daily = krwWith(
      exchangeRatesOf(
        [],
        [
          { currency: "USD", day: "2026-01-10", rate: 1400 },
          { currency: "USD", day: "2026-01-03", rate: 1300 },
        ],
      ),
    );
    const purchases = purchasesOf(
      historyOf([
        orderIn("2026-01-02T23:59:59.000Z", "U-0", 100, "USD"),
        orderIn("2026-01-03T00:00:00.000Z", "U-1", 100, "USD"),
        orderIn("2026-01-09T12:00:00.000Z", "U-2", 100, "USD"),
        orderIn("2026-01-10T00:00:00.000Z", "U-3", 100, "USD"),
        orderIn("2026-03-01T00:00:00.000Z", "U-4", 100, "USD"),
      ]),
      daily,
    );

    expect(purchases.map(({ orderId, netRevenueMinor }) => [orderId, netRevenueMinor])).toEqual([
      ["U-1", 1_300],
      ["U-2", 1_300],
      ["U-3", 1_400],
      ["U-4", 1_400],
    ]);
  });

  it("convert to a reporting currency with decimals, and from one with three", () => {
    // A USD platform: 27,500 KRW at 0.00074 USD each is 20.35 USD.
    const usdPlatform: OrderSettings = {
      ...settings.orders,
      currency: "USD",
      rates: exchangeRatesOf([{ currency: "KRW", rate: 0.00074 }], []),
    };
    expect(purchasesOf(historyOf([orderIn(day(1), "K-1", 27_500, "KRW")]), usdPlatform)).toMatchObject([
      { netRevenueMinor: 2_035 },
    ]);
    // 1.250 BHD (three decimals) at 3,580.2 KRW each is 4,475.25 KRW.
    const bhd = krwWith(exchangeRatesOf([{ currency: "BHD", rate: 3_580.2 }], []));
    expect(purchasesOf(historyOf([orderIn(day(1), "B-1", 1_250, "BHD")]), bhd)).toMatchObject([
      { netRevenueMinor: 4_475 },
    ]);
  });

  it("are rounded once per order, after the refunds in their currency", () => {
    // 1.01 USD less a 0.01 USD refund is 1.00 USD: 1,350.5 rounds to 1,351 KRW (converting the order
    // and the refund and subtracting, 1,364 − 14, would give 1,350).
    const summary = bothSummaries(
      [orderIn(day(1), "U-1", 101, "USD"), refund(day(2), "U-1", 1, "USD")],
      fixedUsd,
    );

    expect(summary).toMatchObject({ orders: 1, refundedOrders: 1, revenueMinor: 1_351 });
  });

  it("without a rate are counted per currency as unvalued, in no amount, and cancelled ones not at all", () => {
    const summary = bothSummaries(
      [
        order(day(0), "K-1", 10_000),
        orderIn(day(3), "E-1", 2_000, "EUR"),
        orderIn(day(1), "E-2", 3_000, "EUR"),
        orderIn(day(2), "J-1", 500, "JPY"),
        orderIn(day(4), "J-2", 700, "JPY"),
        customerEvent("crm.v1.OrderCancelled", day(5), { orderId: "J-2" }),
        orderIn(day(6), "U-1", 100, "USD"),
      ],
      fixedUsd,
    );

    expect(summary).toMatchObject({
      orders: 2,
      cancelledOrders: 1,
      ordersInOtherCurrencies: 5,
      revenueMinor: 10_000 + 1_351,
      unvaluedOrders: [
        { currency: "EUR", orders: 2, firstOrderAt: day(1), lastOrderAt: day(3) },
        { currency: "JPY", orders: 1, firstOrderAt: day(2), lastOrderAt: day(2) },
      ],
    });
  });
});
