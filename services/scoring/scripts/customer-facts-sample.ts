import type { CustomerFact } from "../src/domain/customer-facts.js";

/** A seeded generator (mulberry32): the same histories on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const start = Date.parse("2025-01-01T00:00:00.000Z");
const pages = ["/", "/tea", "/tea/green", "/tea/black", "/cups", "/cups/glass", "/sale", "/cart", "/account"];
const categories = ["tea", "cups", "gifts", "snacks"];

/**
 * A customer's facts as the platform sees them: mostly page views, then orders (some cancelled or
 * refunded), calls, offers presented and answered, surveys, consents; over two years, arriving in
 * no particular order. `tag` keeps event ids apart between samples.
 */
export function sampleFacts(count: number, seed: number, tag = "f"): CustomerFact[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const facts: CustomerFact[] = [];
  let orders = 0;
  for (let i = 0; i < count; i += 1) {
    const time = new Date(start + Math.floor(random() * 730 * 86_400_000)).toISOString();
    const origin = { eventId: `${tag}:${seed}:${i}`, time, source: "bench" };
    const draw = random();
    if (i === 0) facts.push({ ...origin, kind: "registration", channel: "web" });
    else if (draw < 0.55)
      facts.push({
        ...origin,
        kind: "page_view",
        page: pick(pages),
        ...(random() < 0.2 ? { searchKeywords: [pick(["green tea", "gift", "cup"])] } : {}),
        ...(random() < 0.3 ? { referrerHost: "search.example" } : {}),
        visitor: `cookie_id:${seed}-${Math.floor(random() * 2)}`,
      });
    else if (draw < 0.7) {
      orders += 1;
      const total = 10_000 + Math.floor(random() * 90_000);
      facts.push({
        ...origin,
        kind: "order",
        orderId: `O-${seed}-${orders}`,
        totalMinor: total,
        currency: "KRW",
        lines: [
          {
            productId: `p-${Math.floor(random() * 20)}`,
            category: pick(categories),
            quantity: 1,
            amountMinor: total,
          },
        ],
      });
    } else if (draw < 0.72 && orders > 0)
      facts.push({
        ...origin,
        kind: "order_cancelled",
        orderId: `O-${seed}-${1 + Math.floor(random() * orders)}`,
      });
    else if (draw < 0.74 && orders > 0)
      facts.push({
        ...origin,
        kind: "order_refunded",
        orderId: `O-${seed}-${1 + Math.floor(random() * orders)}`,
        amountMinor: 3_000,
        currency: "KRW",
      });
    else if (draw < 0.82)
      facts.push({
        ...origin,
        kind: "call",
        callId: `call-${seed}-${i}`,
        direction: random() < 0.5 ? "inbound" : "outbound",
        purpose: pick(["inquiry", "complaint", "order", "happy_call"]),
        outcome: pick(["completed", "no_answer"]),
        ...(random() < 0.3
          ? {
              complaintReference: `CMP-${seed}-${Math.floor(random() * 3)}`,
              complaintStatus: pick(["open", "resolved"] as const),
            }
          : {}),
      });
    else if (draw < 0.86)
      facts.push({
        ...origin,
        kind: "survey",
        surveyId: `s-${i}`,
        nps: Math.floor(random() * 11),
        csat: 1 + Math.floor(random() * 5),
      });
    else if (draw < 0.89)
      facts.push({
        ...origin,
        kind: "consent",
        channel: pick(["email", "sms", "phone"] as const),
        status: pick(["granted", "revoked"] as const),
      });
    else if (draw < 0.94)
      facts.push({
        ...origin,
        kind: "offer_presented",
        offerId: `offer-${Math.floor(random() * 5)}`,
        channel: "email",
      });
    else if (draw < 0.99)
      facts.push({
        ...origin,
        kind: "offer_response",
        offerId: `offer-${Math.floor(random() * 5)}`,
        response: pick(["accepted", "declined", "no_answer", "converted"] as const),
      });
    else facts.push({ ...origin, kind: "profile", preferences: { tea: "green" } });
  }
  return facts;
}
