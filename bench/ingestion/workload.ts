import type { RawSource } from "@rapport/events";
import { type SyntheticCustomer, syntheticCustomer } from "../shared/customers.js";
import { callDetails, orderDetails, pageViewDetails, surveyDetails } from "../shared/event-payloads.js";
import { type Random, seededRandom } from "../shared/random.js";

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
  const traits = random.chance(0.3)
    ? { firstName: customer.firstName, lastName: customer.lastName }
    : undefined;
  const order = orderDetails(random, index);
  return {
    customer: { identifiers, ...(traits ? { traits } : {}) },
    ...order,
    // Some shops send the currency in lower case; ingestion upper-cases it.
    total: { ...order.total, currency: random.chance(0.1) ? "krw" : "KRW" },
  };
}

function callData(random: Random, customer: SyntheticCustomer, index: number) {
  const identifiers: Identifier[] = [{ type: "phone", value: customer.phone }];
  if (random.chance(0.4)) identifiers.push({ type: "customer_number", value: customer.customerNumber });
  return { customer: { identifiers }, ...callDetails(random, index) };
}

function pageViewData(random: Random, customer: SyntheticCustomer) {
  const identifiers: Identifier[] = [{ type: "cookie_id", value: customer.cookieId }];
  if (random.chance(0.25)) identifiers.push({ type: "customer_number", value: customer.customerNumber });
  return { customer: { identifiers }, ...pageViewDetails(random) };
}

function surveyData(random: Random, customer: SyntheticCustomer) {
  // Survey tools pass the email on as typed, spaces included; ingestion trims it.
  const identifiers: Identifier[] = random.chance(0.5)
    ? [{ type: "email", value: ` ${customer.email} ` }]
    : [{ type: "customer_number", value: customer.customerNumber }];
  return { customer: { identifiers }, ...surveyDetails(random) };
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
