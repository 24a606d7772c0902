import type { Identifier } from "@rapport/events";
import { categories, type Product, products, surveyComments } from "./catalog.js";
import type { Draws } from "./draws.js";
import type { BuyerKind, Person } from "./people.js";
import { type Delivery, upstreamEvent } from "./upstream.js";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

/** Mean days between orders while a buyer is active, by kind (heterogeneous within each by a Gamma). */
const meanGapDays: Record<Exclude<BuyerKind, "never" | "one_time">, number> = {
  loyal: 30,
  regular: 100,
  occasional: 200,
};

type Order = { at: number; orderId: string; basketMinor: number; online: boolean; category: string };

const customerNumberOf = (person: Person): Identifier => ({
  type: "customer_number",
  value: person.customerNumber,
});

/**
 * The orders of one person: a first order soon after signing up, then a Poisson process at a rate of
 * their own until they drop out (some do, at a random time: the lapsed and at-risk customers).
 */
function ordersOf(draws: Draws, person: Person, now: number, nextOrderId: () => string): Order[] {
  if (person.buyer === "never") return [];
  const favourite = draws.pick(categories);
  const basketMinor = draws.gamma(3, 40_000);
  const stopsAt = draws.chance(0.35) ? person.signedUpAt + draws.uniform() * (now - person.signedUpAt) : now;
  const gapMeanDays =
    person.buyer === "one_time" ? Number.POSITIVE_INFINITY : draws.gamma(2, meanGapDays[person.buyer]);
  const orders: Order[] = [];
  for (
    let at = person.signedUpAt + draws.exponential(5 * dayMs);
    at < Math.min(stopsAt, now) && orders.length < 80;
    at += draws.exponential(gapMeanDays * dayMs)
  ) {
    const category = draws.chance(0.7) ? favourite : draws.pick(categories);
    orders.push({
      at: Math.round(at),
      orderId: nextOrderId(),
      basketMinor: basketMinor * draws.gamma(5, 1),
      online: draws.chance(0.7),
      category,
    });
  }
  return orders;
}

function lineItems(draws: Draws, category: string, basketMinor: number) {
  const inCategory = products.filter((product) => product.category === category);
  const items: { product: Product; quantity: number }[] = [];
  let total = 0;
  while (total < basketMinor * 0.8 || items.length === 0) {
    const product = draws.pick(draws.chance(0.8) ? inCategory : products);
    const quantity = draws.int(1, 2);
    items.push({ product, quantity });
    total += product.price * quantity;
    if (items.length >= 6) break;
  }
  return {
    items: items.map(({ product, quantity }) => ({
      productId: product.productId,
      productName: product.productName,
      category: product.category,
      quantity,
      unitPrice: { amountMinor: product.price, currency: "KRW" },
    })),
    total,
  };
}

export type PurchaseHistory = {
  deliveries: Delivery[];
  orders: number;
  revenueMinor: number;
  complaints: number;
};

/**
 * Everything one person's buying leaves behind: orders (online with the customer number, in stores
 * with the loyalty card or the phone; after a second sign-up some online orders come from the second
 * account), calls around the orders (inquiries, complaints and their follow-up, happy calls,
 * collections, retention calls for those who stopped buying) and NPS surveys after some orders.
 */
export function purchaseHistoryOf(
  draws: Draws,
  person: Person,
  now: number,
  counters: { order: () => string; call: () => string },
): PurchaseHistory {
  const deliveries: Delivery[] = [];
  const orders = ordersOf(draws, person, now, counters.order);
  let revenueMinor = 0;
  let complaints = 0;
  const call = (at: number, details: Record<string, unknown>) => {
    if (at > now) return;
    const callId = counters.call();
    deliveries.push({
      path: "kafka",
      lane: "calls",
      at,
      event: upstreamEvent(
        callId,
        "crm.v1.CallLogged",
        at,
        [{ type: "phone", value: person.phoneInternational }],
        { callId, durationSeconds: draws.int(40, 900), agentId: `agent-${draws.int(1, 40)}`, ...details },
        "callcenter",
      ),
    });
  };

  for (const [position, order] of orders.entries()) {
    const { items, total } = lineItems(draws, order.category, order.basketMinor);
    revenueMinor += total;
    const fromSecondAccount =
      person.duplicate !== undefined && order.at > person.duplicate.at && draws.chance(0.4);
    const identifiers: Identifier[] = order.online
      ? fromSecondAccount
        ? [{ type: "email", value: person.duplicate?.email ?? person.email }]
        : [customerNumberOf(person), { type: "email", value: person.email }]
      : person.loyaltyCard
        ? [{ type: "loyalty_card", value: person.loyaltyCard }]
        : [{ type: "phone", value: person.phone }];
    deliveries.push({
      path: "kafka",
      lane: "orders",
      at: order.at,
      event: upstreamEvent(
        order.orderId,
        "crm.v1.OrderPlaced",
        order.at,
        identifiers,
        {
          orderId: order.orderId,
          items,
          total: { amountMinor: total, currency: "KRW" },
          salesChannel: order.online ? "web" : "store",
          ...(order.online ? {} : { storeId: `store-${draws.int(1, 25)}` }),
        },
        "shop",
      ),
    });

    if (position === 0 && draws.chance(0.3))
      call(order.at + draws.int(2, 5) * dayMs, {
        direction: "outbound",
        purpose: "happy_call",
        outcome: draws.chance(0.7) ? "completed" : "no_answer",
      });
    if (draws.chance(0.08))
      call(order.at - draws.int(1, 48) * hourMs, {
        direction: "inbound",
        purpose: draws.pick(["inquiry", "order", "reservation"]),
        outcome: "completed",
      });
    const openedAt = order.at + draws.int(1, 4) * dayMs;
    const complained = draws.chance(0.05) && openedAt <= now;
    if (complained) {
      complaints += 1;
      const reference = `CMP-${order.orderId}`;
      call(openedAt, {
        direction: "inbound",
        purpose: "complaint",
        outcome: "completed",
        complaintReference: reference,
        complaintStatus: "open",
        notes: draws.pick(["배송 지연", "damaged teapot", "wrong item delivered", "billed twice"]),
      });
      if (draws.chance(0.8))
        call(openedAt + draws.int(1, 7) * dayMs, {
          direction: "outbound",
          purpose: "complaint",
          outcome: "completed",
          complaintReference: reference,
          complaintStatus: "resolved",
          resolution: draws.pick(["reshipped", "refund issued", "voucher 10,000 KRW"]),
        });
    }
    if (draws.chance(0.01))
      call(order.at + 30 * dayMs, { direction: "outbound", purpose: "collections", outcome: "completed" });
    const surveyAt = order.at + draws.int(3, 10) * dayMs;
    if (draws.chance(0.15) && surveyAt <= now) {
      const nps = complained
        ? draws.int(0, 6)
        : Math.min(10, draws.int(5, 10) + (person.buyer === "loyal" ? 1 : 0));
      const npsClass = nps <= 6 ? "detractor" : nps <= 8 ? "passive" : "promoter";
      deliveries.push({
        path: "http",
        at: surveyAt,
        event: upstreamEvent(
          `survey-${order.orderId}`,
          "crm.v1.SurveyAnswered",
          surveyAt,
          [customerNumberOf(person)],
          {
            surveyId: "nps-after-order",
            nps,
            csat: Math.max(1, Math.min(5, Math.round(nps / 2))),
            answers: [
              {
                questionId: "recommend",
                question: "How likely are you to recommend us?",
                answer: String(nps),
              },
              {
                questionId: "improve",
                question: "무엇을 개선하면 좋을까요?",
                answer: draws.pick(surveyComments[npsClass]),
              },
            ],
          },
        ),
      });
    }
  }

  const last = orders.at(-1);
  if (last && now - last.at > 120 * dayMs && draws.chance(0.4))
    call(last.at + draws.int(100, 120) * dayMs, {
      direction: "outbound",
      purpose: "retention",
      outcome: draws.pick(["completed", "no_answer", "callback_requested"]),
    });

  return { deliveries, orders: orders.length, revenueMinor, complaints };
}
