import fc from "fast-check";
import type { CustomerFact } from "../src/domain/customer-facts.js";
import { day } from "./scoring-fixtures.js";

/**
 * A customer's facts, each with its own event id, packed into a few months so that instants tie,
 * visits join and split, orders are cancelled and refunded (in two currencies), complaints move
 * between states and consents change at the same instant.
 */
export function customerFactsArbitrary(options: { maxLength?: number; idPrefix?: string } = {}) {
  const prefix = options.idPrefix ?? "prop";
  return fc
    .array(
      fc.record({
        kind: fc.constantFrom(
          "order",
          "order",
          "cancel",
          "refund",
          "call",
          "call",
          "view",
          "view",
          "view",
          "survey",
          "consent",
          "response",
          "presented",
          "registration",
          "profile",
        ),
        // Mostly a few busy days (ties, visits within 30 minutes), sometimes anywhere in 15 months.
        day: fc.oneof(
          { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 3 },
          { arbitrary: fc.integer({ min: 0, max: 450 }), weight: 1 },
        ),
        hour: fc.integer({ min: 0, max: 2 }),
        minute: fc.constantFrom(0, 10, 25, 40, 59),
        n: fc.integer({ min: 1, max: 6 }),
        m: fc.integer({ min: 0, max: 4 }),
      }),
      { maxLength: options.maxLength ?? 40 },
    )
    .map((draws) =>
      draws.map(({ kind, day: d, hour, minute, n, m }, i): CustomerFact => {
        // Consents, surveys and complaint calls at a handful of instants: ties decide "latest".
        const coarse = kind === "consent" || kind === "survey" || (kind === "call" && n > 3);
        const time = coarse ? day(d % 2) : new Date(Date.parse(day(d, hour)) + minute * 60_000).toISOString();
        const origin = {
          eventId: `${prefix}:${String.fromCharCode(97 + (i % 3))}${i}`,
          time,
          source: "prop",
        };
        const currency = m === 4 ? "USD" : "KRW";
        switch (kind) {
          case "order":
            return {
              ...origin,
              kind: "order",
              orderId: `O-${n}`,
              totalMinor: n * 10_000 * (m === 3 ? 0 : 1),
              currency,
              ...(m === 1 ? { marginMinor: n * 1_000 } : {}),
              lines: [
                {
                  productId: `p-${n % 3}`,
                  category: ["tea", "cups", "gifts"][m % 3],
                  quantity: m + 1,
                  amountMinor: n * 5_000,
                },
                ...(m === 2 ? [{ productId: `p-${n % 3}`, quantity: 1, amountMinor: 1_000 }] : []),
              ],
            };
          case "cancel":
            return { ...origin, kind: "order_cancelled", orderId: `O-${n}` };
          case "refund":
            return { ...origin, kind: "order_refunded", orderId: `O-${n}`, amountMinor: m * 7_000, currency };
          case "call":
            return {
              ...origin,
              kind: "call",
              callId: `call-${i}`,
              direction: n % 2 ? "inbound" : "outbound",
              purpose: ["complaint", "inquiry", "order", "happy_call", "complaint"][m] as string,
              ...(m < 3 ? { outcome: ["completed", "no_answer", "escalated"][m] } : {}),
              ...(m !== 1 ? { complaintReference: `CMP-${n % 2}` } : {}),
              ...(m > 0
                ? { complaintStatus: (["open", "resolved", "closed_unresolved", "resolved"] as const)[m - 1] }
                : {}),
            };
          case "view":
            return {
              ...origin,
              kind: "page_view",
              page: ["/", "/tea", "/tea/green", "/cups/glass", "/sale"][m] as string,
              ...(n > 4 ? { searchKeywords: n === 6 ? ["tea", "tea"] : ["gift"] } : {}),
              ...(n % 2 ? { referrerHost: "search.example" } : {}),
              ...(m > 2 ? { statusCode: 404 } : {}),
              ...(n % 3 ? { visitor: `cookie_id:v${n % 3}` } : {}),
            };
          case "survey":
            return {
              ...origin,
              kind: "survey",
              surveyId: `s-${n}`,
              ...(m !== 1 ? { nps: n + m } : {}),
              ...(m !== 2 ? { csat: ((n + m) % 5) + 1 } : {}),
            };
          case "consent":
            return {
              ...origin,
              kind: "consent",
              channel: (["email", "sms", "phone"] as const)[n % 3] as "email",
              status: m % 2 ? "granted" : "revoked",
              ...(m > 2 ? { via: "preference_center" } : {}),
            };
          case "response":
            return {
              ...origin,
              kind: "offer_response",
              offerId: `offer-${n}`,
              response: (["accepted", "declined", "no_answer", "converted"] as const)[m % 4] as "accepted",
              ...(m === 3 ? { revenueMinor: n * 1_000 } : {}),
            };
          case "presented":
            return { ...origin, kind: "offer_presented", offerId: `offer-${n}`, channel: "email" };
          case "registration":
            return { ...origin, kind: "registration", channel: "web" };
          default:
            return { ...origin, kind: "profile", preferences: { tea: `t${n}` } };
        }
      }),
    );
}
