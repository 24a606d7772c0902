import type { RawSource } from "@rapport/events";
import { type SyntheticCustomer, syntheticCustomer } from "./customers.js";
import { type Random, seededRandom } from "./random.js";

/** A CloudEvent in structured JSON mode, as an upstream system would publish it. */
export type CloudEventJson = {
  specversion: "1.0";
  id: string;
  source?: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
};

/** One generated event, with the raw lane it is published to and the id ingestion will give it. */
export type WorkloadEvent = { lane: RawSource; eventId: string; cloudEvent: CloudEventJson };

export type WorkloadOptions = {
  seed: number;
  /** Makes the ids of one run unique: `<source>:<idPrefix>-<index>`. */
  idPrefix: string;
  /** How many distinct customers the events are about. */
  customers: number;
};

type Identifier = { type: string; value: string };

const products = [
  { productId: "tea-01", productName: "제주 녹차 세트", category: "tea", price: 15_000 },
  { productId: "tea-07", productName: "Earl Grey 100g", category: "tea", price: 12_500 },
  { productId: "cup-03", productName: "백자 찻잔", category: "tableware", price: 28_000 },
  { productId: "gift-11", productName: "명절 선물 세트", category: "gift", price: 59_000 },
  { productId: "snack-02", productName: "Yuzu cookies", category: "snack", price: 6_900 },
] as const;
const pages = [
  { url: "/", title: "Rapport Tea — Home" },
  { url: "/tea/green", title: "Green tea" },
  { url: "/tea/black?sort=price", title: "Black tea" },
  { url: "/gift/holiday", title: "Holiday gift sets" },
  { url: "/cart", title: "Cart" },
] as const;
const referrers = [
  { referrer: "https://search.naver.com/search.naver?query=%EB%85%B9%EC%B0%A8", host: "search.naver.com" },
  { referrer: "https://www.google.com/search?q=green+tea", host: "www.google.com" },
  { referrer: "https://shop.example.com/tea/green", host: "shop.example.com" },
] as const;
const browsers = [
  {
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    browserFamily: "Mobile Safari",
    osFamily: "iOS",
    deviceFamily: "mobile",
  },
  {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    browserFamily: "Chrome",
    osFamily: "Windows",
    deviceFamily: "desktop",
  },
] as const;
const callPurposes = ["order", "inquiry", "complaint", "reservation", "happy_call", "retention"] as const;
const callOutcomes = ["completed", "completed", "completed", "no_answer", "callback_requested"] as const;

// The mix of a shop with a web site, a call center and a survey tool: mostly page views and orders.
const mix = [
  { weight: 45, lane: "weblogs" },
  { weight: 30, lane: "orders" },
  { weight: 15, lane: "calls" },
  { weight: 10, lane: "surveys" },
] as const;
const sourceOfLane = { weblogs: "web", orders: "shop", calls: "callcenter", surveys: "survey" } as const;
type GeneratedLane = keyof typeof sourceOfLane;

// Events of 2026-01-01 … 2026-10-31, written in Korean local time as upstream systems do.
const windowStartMs = Date.parse("2026-01-01T00:00:00+09:00");
const windowMs = Date.parse("2026-11-01T00:00:00+09:00") - windowStartMs;

function seoulTime(epochMs: number): string {
  return `${new Date(epochMs + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

function laneOf(random: Random): GeneratedLane {
  let roll = random.int(1, 100);
  for (const entry of mix) {
    if (roll <= entry.weight) return entry.lane;
    roll -= entry.weight;
  }
  return "weblogs";
}

function orderData(random: Random, customer: SyntheticCustomer, index: number) {
  const identifiers: Identifier[] = [
    { type: "customer_number", value: customer.customerNumber },
    { type: "email", value: customer.email },
  ];
  if (random.chance(0.5)) identifiers.push({ type: "phone", value: customer.phone });
  if (random.chance(0.2)) identifiers.push({ type: "loyalty_card", value: customer.loyaltyCard });
  const items = Array.from({ length: random.int(1, 4) }, () => {
    const product = random.pick(products);
    return {
      productId: product.productId,
      productName: product.productName,
      category: product.category,
      quantity: random.int(1, 3),
      unitPrice: { amountMinor: product.price, currency: "KRW" },
    };
  });
  const total = items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amountMinor, 0);
  const inStore = random.chance(0.25);
  return {
    customer: {
      identifiers,
      ...(random.chance(0.3)
        ? { traits: { firstName: customer.firstName, lastName: customer.lastName } }
        : {}),
    },
    orderId: `O-${index}`,
    items,
    total: { amountMinor: total, currency: random.chance(0.1) ? "krw" : "KRW" },
    salesChannel: inStore ? "store" : "online",
    ...(inStore ? { storeId: `store-${random.int(1, 40)}` } : {}),
  };
}

function callData(random: Random, customer: SyntheticCustomer, index: number) {
  const identifiers: Identifier[] = [{ type: "phone", value: customer.phone }];
  if (random.chance(0.4)) identifiers.push({ type: "customer_number", value: customer.customerNumber });
  const purpose = random.pick(callPurposes);
  return {
    customer: { identifiers },
    callId: `call-${index}`,
    direction: random.chance(0.7) ? "inbound" : "outbound",
    purpose,
    outcome: random.pick(callOutcomes),
    durationSeconds: random.int(20, 1_200),
    agentId: `agent-${random.int(1, 60)}`,
    ...(purpose === "complaint"
      ? { complaintReference: `CMP-2026-${String(index).padStart(6, "0")}`, complaintStatus: "open" }
      : {}),
  };
}

function pageViewData(random: Random, customer: SyntheticCustomer) {
  const identifiers: Identifier[] = [{ type: "cookie_id", value: customer.cookieId }];
  if (random.chance(0.25)) identifiers.push({ type: "customer_number", value: customer.customerNumber });
  const page = random.pick(pages);
  const from = random.chance(0.6) ? random.pick(referrers) : undefined;
  return {
    customer: { identifiers },
    url: page.url,
    pageTitle: page.title,
    ...(from ? { referrer: from.referrer, referrerHost: from.host } : {}),
    ...random.pick(browsers),
    statusCode: 200,
  };
}

function surveyData(random: Random, customer: SyntheticCustomer) {
  const identifiers: Identifier[] = random.chance(0.5)
    ? [{ type: "email", value: ` ${customer.email} ` }]
    : [{ type: "customer_number", value: customer.customerNumber }];
  return {
    customer: { identifiers },
    surveyId: `nps-2026-q${random.int(1, 4)}`,
    nps: random.int(0, 10),
    csat: random.int(1, 5),
    answers: [
      {
        questionId: "q1",
        question: "How likely are you to recommend us?",
        answer: String(random.int(0, 10)),
      },
      {
        questionId: "q2",
        question: "무엇을 개선하면 좋을까요?",
        answer: random.chance(0.5) ? "배송이 빨랐으면 좋겠어요" : "",
      },
    ],
  };
}

function dataOf(lane: GeneratedLane, random: Random, customer: SyntheticCustomer, index: number) {
  switch (lane) {
    case "orders":
      return orderData(random, customer, index);
    case "calls":
      return callData(random, customer, index);
    case "weblogs":
      return pageViewData(random, customer);
    case "surveys":
      return surveyData(random, customer);
    default: {
      const unhandled: never = lane;
      return unhandled;
    }
  }
}

const typeOfLane = {
  orders: "crm.v1.OrderPlaced",
  calls: "crm.v1.CallLogged",
  weblogs: "crm.v1.PageViewed",
  surveys: "crm.v1.SurveyAnswered",
} as const;

/**
 * A deterministic stream of realistic upstream events: event `index` is the same on every call and
 * every machine for the same options, so clients can draw indexes concurrently.
 */
export function createWorkload(options: WorkloadOptions) {
  return {
    event(index: number): WorkloadEvent {
      const random = seededRandom(options.seed ^ Math.imul(index + 1, 0x85ebca6b));
      const lane = laneOf(random);
      const customer = syntheticCustomer(options.seed, random.int(0, options.customers - 1));
      const data = dataOf(lane, random, customer, index);
      const source = sourceOfLane[lane];
      const id = `${options.idPrefix}-${index}`;
      return {
        lane,
        eventId: `${source}:${id}`,
        cloudEvent: {
          specversion: "1.0",
          id,
          source,
          type: typeOfLane[lane],
          time: seoulTime(windowStartMs + Math.floor(random.next() * windowMs)),
          data,
        },
      };
    },
  };
}

export type Workload = ReturnType<typeof createWorkload>;

/** The event as an HTTP caller sends it: the source comes from the write key, not the event. */
export function withoutSource({ source: _source, ...event }: CloudEventJson): CloudEventJson {
  return event;
}
