import { createHash } from "node:crypto";
import type { CustomerEvent, Identifier } from "@rapport/events";
import { CustomerSummary } from "@rapport/proto";
import { normalised } from "../identity-throughput/customer-journeys.js";
import { syntheticCustomer } from "../shared/customers.js";
import { callDetails, orderDetails } from "../shared/event-payloads.js";
import { type Random, seededRandom } from "../shared/random.js";

/**
 * One customer as the offer service meets them: the history identity resolved to their customer id
 * (the events the offer service folds into contact facts) and the scores scoring would answer for them.
 */
export type OfferCustomer = {
  index: number;
  customerId: string;
  /** crm.events.resolved events (with the `customerid` attribute), oldest first. */
  events: ResolvedEvent[];
  summary: CustomerSummary;
  /** The latest email consent is a grant: an email decision may be made. */
  isEmailOptedIn: boolean;
};

/** A crm.events event as identity appends it to crm.events.resolved: the CloudEvent plus `customerid`. */
export type ResolvedEvent = CustomerEvent & { customerid: string };

export type OfferPopulationOptions = {
  seed: number;
  /** Histories end before this instant (epoch ms): the run's start, so the contact rules see them as past. */
  asOfMs: number;
};

const dayMs = 86_400_000;
// Shares of a shop's customer base; see bench/README.md ("offer").
const emailOptInShare = 0.85;
const emailRevokedShare = 0.06;
const smsOptInShare = 0.35;
const callerShare = 0.3;
const negativeMarginShare = 0.04;
const npsShare = 0.25;
const orderCountWeights = [25, 30, 20, 15, 10] as const;
const registrationChannels = ["web", "store", "call_center", "app"] as const;

/** The customer id identity would have given customer `index` (cus_ and 24 hex digits). */
export function offerCustomerId(seed: number, index: number): string {
  return `cus_${createHash("sha256").update(`${seed}:${index}`).digest("hex").slice(0, 24)}`;
}

/**
 * Customer `index` of the benchmark's population: the same options and index always give the same
 * customer. Registered 30 days to 2 years before `asOfMs`; 85 % opted in to email (6 % of them revoked
 * it later), 35 % to SMS; 0–4 orders; 30 % called the call center once or twice (a sixth of the calls
 * open a complaint). The summary is what scoring derives from the same history.
 */
export function offerCustomer(options: OfferPopulationOptions, index: number): OfferCustomer {
  const random = seededRandom(options.seed ^ Math.imul(index + 1, 0x27d4eb2f));
  const person = syntheticCustomer(options.seed, index);
  const customerId = offerCustomerId(options.seed, index);
  const email = normalised("email", person.email);
  const phone = normalised("phone", person.phone);
  const customerNumber = normalised("customer_number", person.customerNumber);
  const registeredMs = options.asOfMs - random.int(30, 730) * dayMs - random.int(0, dayMs - 1);
  const between = (fromMs: number) => fromMs + Math.floor(random.next() * (options.asOfMs - 60_000 - fromMs));
  const events: ResolvedEvent[] = [];
  const add = (id: string, source: string, type: CustomerEvent["type"], atMs: number, data: object) =>
    events.push({
      specversion: "1.0",
      id: `${source}:${id}`,
      source,
      type,
      time: new Date(atMs).toISOString(),
      datacontenttype: "application/json",
      data: data as CustomerEvent["data"],
      customerid: customerId,
    });
  const customer = (identifiers: Identifier[]) => ({ customer: { identifiers } });

  add(`reg-${index}`, "crm", "crm.v1.CustomerRegistered", registeredMs, {
    ...customer([customerNumber, email, phone]),
    registrationChannel: random.pick(registrationChannels),
  });
  let isEmailOptedIn = false;
  if (random.chance(emailOptInShare)) {
    add(`email-${index}`, "crm", "crm.v1.ConsentChanged", registeredMs + 60_000, {
      ...customer([email]),
      channel: "email",
      status: "granted",
      source: "web_form",
    });
    isEmailOptedIn = true;
    if (random.chance(emailRevokedShare)) {
      add(`email-off-${index}`, "crm", "crm.v1.ConsentChanged", between(registeredMs + 120_000), {
        ...customer([email]),
        channel: "email",
        status: "revoked",
        source: "unsubscribe_link",
      });
      isEmailOptedIn = false;
    }
  }
  if (random.chance(smsOptInShare)) {
    add(`sms-${index}`, "crm", "crm.v1.ConsentChanged", registeredMs + 90_000, {
      ...customer([phone]),
      channel: "sms",
      status: "granted",
      source: "web_form",
    });
  }

  const orders = Array.from({ length: orderCount(random) }, (_, k) => {
    const atMs = between(registeredMs);
    const details = orderDetails(random, index * 10 + k);
    add(`order-${index}-${k}`, "shop", "crm.v1.OrderPlaced", atMs, {
      ...customer([customerNumber, email]),
      ...details,
    });
    return { atMs, details };
  });
  let openComplaints = 0;
  if (random.chance(callerShare)) {
    for (let k = 0; k < random.int(1, 2); k++) {
      const details = callDetails(random, index * 10 + k);
      if (details.complaintStatus === "open") openComplaints += 1;
      add(`call-${index}-${k}`, "callcenter", "crm.v1.CallLogged", between(options.asOfMs - 120 * dayMs), {
        ...customer(random.chance(0.4) ? [phone, email] : [phone]),
        ...details,
      });
    }
  }
  events.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));

  const revenueMinor = orders.reduce((sum, order) => sum + order.details.total.amountMinor, 0);
  const lastOrderMs = orders.reduce<number | undefined>(
    (latest, order) => (latest === undefined || order.atMs > latest ? order.atMs : latest),
    undefined,
  );
  const categories = new Map<string, number>();
  for (const { details } of orders)
    for (const item of details.items) categories.set(item.category, (categories.get(item.category) ?? 0) + 1);
  const summary = summaryOf(random, {
    customerId,
    orders: orders.length,
    revenueMinor,
    daysSinceLastOrder: lastOrderMs === undefined ? undefined : (options.asOfMs - lastOrderMs) / dayMs,
    lastOrderAt: lastOrderMs === undefined ? "" : new Date(lastOrderMs).toISOString(),
    topCategories: [...categories]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name]) => name),
    openComplaints,
  });
  return { index, customerId, events, summary, isEmailOptedIn };
}

function orderCount(random: Random): number {
  let roll = random.int(1, 100);
  for (const [count, weight] of orderCountWeights.entries()) {
    if (roll <= weight) return count;
    roll -= weight;
  }
  return 0;
}

type History = {
  customerId: string;
  orders: number;
  revenueMinor: number;
  daysSinceLastOrder: number | undefined;
  lastOrderAt: string;
  topCategories: string[];
  openComplaints: number;
};

/** The CustomerSummary scoring would answer with for the history (rules of thumb, not scoring's models). */
function summaryOf(random: Random, history: History): CustomerSummary {
  const { orders, revenueMinor, daysSinceLastOrder } = history;
  const hasBought = orders > 0 && daysSinceLastOrder !== undefined;
  const isHighSpender = revenueMinor >= 60_000;
  const isLoyal = orders >= 3;
  const isResponsive = random.chance(0.4);
  const responsePolicy =
    isHighSpender && isLoyal
      ? "top_priority_best_terms"
      : !isHighSpender && !isResponsive
        ? "not_targeted"
        : "respond_with_appropriate_terms";
  const marginMinor =
    random.chance(negativeMarginShare) && hasBought ? -5_000 : Math.round(revenueMinor * 0.3);
  const summary = CustomerSummary.fromPartial({
    customerId: history.customerId,
    tier: !hasBought ? "registered" : revenueMinor >= 150_000 ? "platinum" : "purchasing",
    lifecycleStage: lifecycleStageOf(orders, daysSinceLastOrder),
    segmentCell: [isHighSpender, isLoyal, isResponsive].map((high) => (high ? "high" : "low")).join("_"),
    responsePolicy,
    revenueMinor,
    historicValueMinor: Math.max(0, Math.round(marginMinor * 1.1)),
    marginMinor,
    lastOrderAt: history.lastOrderAt,
    topCategories: history.topCategories.slice(0, 5),
    latestNpsClass: random.chance(npsShare) ? random.pick(["promoter", "passive", "detractor"]) : "",
    openComplaints: history.openComplaints,
  });
  if (!hasBought) return summary;
  const recencyScore =
    daysSinceLastOrder < 30
      ? 5
      : daysSinceLastOrder < 90
        ? 4
        : daysSinceLastOrder < 180
          ? 3
          : daysSinceLastOrder < 365
            ? 2
            : 1;
  const churnRisk = Math.min(0.99, Math.max(0.01, (6 - recencyScore) / 6 + (random.next() - 0.5) * 0.3));
  return {
    ...summary,
    rfmSegment: rfmSegmentOf(recencyScore, orders),
    recencyScore,
    frequencyScore: Math.min(5, orders + 1),
    monetaryScore: Math.min(5, 1 + Math.floor(revenueMinor / 40_000)),
    predictedValueMinor: Math.round(revenueMinor * (0.2 + random.next() * 1.3)),
    churnRisk,
    churnRiskBand: churnRisk < 0.3 ? "low" : churnRisk < 0.6 ? "medium" : "high",
  };
}

function lifecycleStageOf(orders: number, daysSinceLastOrder: number | undefined): string {
  if (orders === 0 || daysSinceLastOrder === undefined) return "prospect";
  if (orders === 1) return "new_stage_1";
  if (orders === 2) return "new_stage_2";
  return daysSinceLastOrder < 90 ? "active" : daysSinceLastOrder < 180 ? "at_risk" : "lapsed";
}

function rfmSegmentOf(recencyScore: number, orders: number): string {
  if (recencyScore >= 4)
    return orders >= 3 ? "champions" : orders === 2 ? "potential_loyalists" : "new_customers";
  if (recencyScore === 3) return orders >= 3 ? "need_attention" : "about_to_sleep";
  return orders >= 3 ? "at_risk" : recencyScore === 2 ? "hibernating" : "lost";
}
