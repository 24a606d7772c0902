import type { CustomerEvent, EventType } from "@rapport/events";
import { type CustomerFact, dayMs } from "../src/domain/customer-facts.js";
import { type CustomerHistory, emptyHistory, recordFact } from "../src/domain/customer-history.js";
import type { ScoringSettings } from "../src/domain/customer-profile.js";
import { factOfEvent } from "../src/domain/fact-of-event.js";

/** 2026-01-01T00:00:00.000Z plus whole days: readable times for examples. */
export function day(n: number, hour = 0): string {
  return new Date(Date.parse("2026-01-01T00:00:00.000Z") + n * dayMs + hour * 3_600_000).toISOString();
}

export const settings: ScoringSettings = {
  orders: { currency: "KRW", rates: new Map(), defaultMarginRate: 0.25 },
  historicValue: { periodDays: 365, ratePerPeriod: 0.1 },
  lifecycle: { atRiskAfterDays: 90, lapsedAfterDays: 180 },
  tier: { platinumRevenueMinor: 1_000_000, platinumWindowDays: 365 },
  predictive: { horizonDays: 365, annualDiscountRate: 0.1 },
};

let counter = 0;

/** A normalised event as it arrives on crm.events.resolved (without the customer id attribute). */
export function customerEvent(
  type: EventType,
  time: string,
  data: Record<string, unknown>,
  id = `test:${type.slice(7)}-${++counter}`,
): CustomerEvent {
  return {
    specversion: "1.0",
    id,
    source: "test",
    type,
    time,
    datacontenttype: "application/json",
    data: { customer: { identifiers: [{ type: "email", value: "ann@example.com" }] }, ...data },
  };
}

export function order(
  time: string,
  orderId: string,
  totalMinor: number,
  extra: Record<string, unknown> = {},
): CustomerEvent {
  return customerEvent("crm.v1.OrderPlaced", time, {
    orderId,
    items: [
      {
        productId: "tea-01",
        category: "tea",
        quantity: 1,
        unitPrice: { amountMinor: totalMinor, currency: "KRW" },
      },
    ],
    total: { amountMinor: totalMinor, currency: "KRW" },
    ...extra,
  });
}

export function call(time: string, data: Record<string, unknown>): CustomerEvent {
  return customerEvent("crm.v1.CallLogged", time, { callId: `call-${++counter}`, ...data });
}

export function pageView(time: string, url: string, extra: Record<string, unknown> = {}): CustomerEvent {
  return customerEvent("crm.v1.PageViewed", time, { url, ...extra });
}

export function historyOf(events: readonly CustomerEvent[]): CustomerHistory {
  return events.map(factOfEvent).reduce<CustomerHistory>(recordFact, emptyHistory());
}

export function factsOf(events: readonly CustomerEvent[]): CustomerFact[] {
  return events.map(factOfEvent);
}
