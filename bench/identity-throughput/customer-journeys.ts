import {
  type CustomerEvent,
  type CustomerReference,
  type EventType,
  type Identifier,
  normaliseIdentifier,
} from "@rapport/events";
import { partitionKeyOf } from "../../services/ingestion/src/domain/partition-key.js";
import { type SyntheticCustomer, syntheticCustomer } from "../shared/customers.js";
import { callDetails, orderDetails, pageViewDetails } from "../shared/event-payloads.js";
import { type Random, seededRandom } from "../shared/random.js";

/**
 * What a step of a customer's journey is: an anonymous visit (cookie only), a login on the web site
 * (cookie and email), an order (customer number and email) or a call to the call center (phone,
 * sometimes email).
 */
export type JourneyStep = "visit" | "login" | "order" | "call";

/** One event of crm.events as ingestion appends it, with its record key. */
export type JourneyEvent = { step: JourneyStep; key: string; event: CustomerEvent };

export type JourneyOptions = {
  seed: number;
  /** Makes the ids of one run unique: `<source>:<runTag>-<index>`. */
  runTag: string;
  /** Shoppers known by customer number, email, phone and a cookie per device: customers 0 … shoppers-1. */
  shoppers: number;
  /** Visitors who never say who they are, known by a cookie only: the next `visitors` customers. */
  visitors: number;
};

// About a third of the events are anonymous visits; the rest name a shopper.
const stepWeights: readonly (readonly [JourneyStep, number])[] = [
  ["visit", 34],
  ["login", 18],
  ["order", 30],
  ["call", 18],
];
/** Of the anonymous visits, the share by a shopper's cookie (who logs in sooner or later). */
const shopperVisitShare = 0.7;
/** A shopper browses on this many devices (browsers), each with its own cookie. */
const shopperDevices = 2;

const sourceOfStep = { visit: "web", login: "web", order: "shop", call: "callcenter" } as const;
const typeOfStep = {
  visit: "crm.v1.PageViewed",
  login: "crm.v1.PageViewed",
  order: "crm.v1.OrderPlaced",
  call: "crm.v1.CallLogged",
} as const satisfies Record<JourneyStep, EventType>;

// Events follow each other about a minute apart from 2026-03-01 on, so event times grow with the index.
const firstEventMs = Date.parse("2026-03-01T00:00:00.000Z");
const spacingMs = 60_000;

const phoneRules = { defaultPhoneRegion: "KR" } as const;

/** An identifier as ingestion writes it to crm.events (lower-case email, E.164 phone, ...). */
export function normalised(type: Identifier["type"], value: string): Identifier {
  const result = normaliseIdentifier({ type, value }, phoneRules);
  if (!result.ok) throw new Error(`the workload made an invalid identifier: ${result.detail}`);
  return result.identifier;
}

function stepOf(random: Random): JourneyStep {
  let roll = random.int(1, 100);
  for (const [step, weight] of stepWeights) {
    if (roll <= weight) return step;
    roll -= weight;
  }
  return "visit";
}

type Person = { customer: SyntheticCustomer; cookieId: string };

function personOf(random: Random, step: JourneyStep, options: JourneyOptions): Person {
  if (step === "visit" && options.visitors > 0 && !random.chance(shopperVisitShare)) {
    const visitor = syntheticCustomer(options.seed, options.shoppers + random.int(0, options.visitors - 1));
    return { customer: visitor, cookieId: visitor.cookieId };
  }
  const shopper = syntheticCustomer(options.seed, random.int(0, options.shoppers - 1));
  return { customer: shopper, cookieId: `${shopper.cookieId}.${random.int(1, shopperDevices)}` };
}

function customerReference(
  random: Random,
  step: JourneyStep,
  { customer, cookieId }: Person,
): CustomerReference {
  const email = normalised("email", customer.email);
  const cookie = normalised("cookie_id", cookieId);
  switch (step) {
    case "visit":
      return { identifiers: [cookie] };
    case "login":
      return { identifiers: [email, cookie] };
    case "order": {
      const identifiers = [normalised("customer_number", customer.customerNumber), email];
      if (random.chance(0.2)) identifiers.push(normalised("loyalty_card", customer.loyaltyCard));
      return random.chance(0.3)
        ? { identifiers, traits: { firstName: customer.firstName, lastName: customer.lastName } }
        : { identifiers };
    }
    case "call": {
      const identifiers = [normalised("phone", customer.phone)];
      if (random.chance(0.4)) identifiers.push(email);
      return { identifiers };
    }
    default: {
      const unhandled: never = step;
      return unhandled;
    }
  }
}

function detailsOf(random: Random, step: JourneyStep, index: number): Record<string, unknown> {
  switch (step) {
    case "visit":
    case "login":
      return pageViewDetails(random);
    case "order":
      return orderDetails(random, index);
    case "call":
      return callDetails(random, index);
    default: {
      const unhandled: never = step;
      return unhandled;
    }
  }
}

/**
 * A deterministic stream of crm.events events along customer journeys: event `index` is the same on
 * every call and every machine for the same options. Because every event draws its customer
 * independently, a shopper's cookie, phone and customer number often first appear in separate
 * events, each founding a customer, which a later login or call then merges.
 */
export function createCustomerJourneys(options: JourneyOptions) {
  if (options.shoppers < 1) throw new Error("customer journeys need at least one shopper");
  return {
    event(index: number): JourneyEvent {
      const random = seededRandom(options.seed ^ Math.imul(index + 1, 0x85ebca6b));
      const step = stepOf(random);
      const customer = customerReference(random, step, personOf(random, step, options));
      const source = sourceOfStep[step];
      const event: CustomerEvent = {
        specversion: "1.0",
        id: `${source}:${options.runTag}-${index}`,
        source,
        type: typeOfStep[step],
        time: new Date(firstEventMs + index * spacingMs + random.int(0, spacingMs - 1)).toISOString(),
        datacontenttype: "application/json",
        data: { customer, ...detailsOf(random, step, index) },
      };
      return { step, key: partitionKeyOf(event), event };
    },
  };
}

export type CustomerJourneys = ReturnType<typeof createCustomerJourneys>;

const journeySeed = 20_260_401;

/** The benchmark's population for N events: a tenth of N shoppers and as many anonymous visitors. */
export function journeyPopulation(events: number, runTag: string): JourneyOptions {
  const people = Math.max(1, Math.round(events / 10));
  return { seed: journeySeed, runTag, shoppers: people, visitors: people };
}

/**
 * Identifiers of customers the journeys never mention (customers after the shoppers and visitors),
 * one of each kind a caller looks up by in turn: for Resolve calls that must find nobody.
 */
export function unknownIdentifier(options: JourneyOptions, draw: number): Identifier {
  const customer = syntheticCustomer(options.seed, options.shoppers + options.visitors + draw);
  switch (draw % 4) {
    case 0:
      return normalised("customer_number", customer.customerNumber);
    case 1:
      return normalised("email", customer.email);
    case 2:
      return normalised("phone", customer.phone);
    default:
      return normalised("cookie_id", customer.cookieId);
  }
}
