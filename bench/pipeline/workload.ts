import { type Delivery, generateCompany } from "@rapport/demo";
import { type RawSource, rawSourceOf } from "@rapport/events";
import { type RandomSource, seededRandom } from "@rapport/sampling";

/** A record as an upstream system publishes it on the raw topic of its lane, crm.raw.<lane>. */
export type RawRecord = { lane: RawSource; key: string; value: string };

/** What the chosen events are, by what happened. */
export type WorkloadMix = {
  signUps: number;
  /** … of which second sign-ups of a person (another email, maybe the same phone). */
  duplicateSignUps: number;
  consents: number;
  orders: number;
  calls: number;
  /** Access-log lines of the web shop (crm.raw.weblogs). */
  pageViews: number;
  /** Page views the shop's backend sends as events when a visitor logs in (cookie + customer number). */
  logins: number;
  surveys: number;
};

export type PipelineWorkload = {
  /** The N chosen deliveries, in time order. */
  deliveries: readonly Delivery[];
  /** People in the company. */
  people: number;
  /** The company's history in months, and its deliveries before the choice. */
  months: number;
  generated: number;
  mix: WorkloadMix;
};

export type PipelineWorkloadOptions = { events: number; customers: number; seed: number; now: Date };

/**
 * The source of events the demo sends over HTTP (sign-ups, consents, surveys, logins), where the write
 * key names it; on a raw topic the event says it itself.
 */
export const demoHttpSource = "demo";
/** About 11 events a person: 200,000 events of 20,000 people are most of a year's history. */
const firstMonths = 12;
const maxMonths = 96;

/**
 * N events of the demo company (packages/demo) of `customers` people: the company is generated over 12
 * months (longer, doubling, while it has fewer than N events), and N of its deliveries are chosen
 * uniformly at random (seeded), kept in time order. The mix is the company's; with many people and
 * few events, most people keep only some of their events (identity sees every event on its own anyway).
 */
export function pipelineWorkload(options: PipelineWorkloadOptions): PipelineWorkload {
  const { events, customers, seed, now } = options;
  for (let months = firstMonths; ; months *= 2) {
    const company = generateCompany({ customers, months, seed, now });
    const generated = company.deliveries.length;
    if (generated >= events) {
      const chosen = chooseInOrder(generated, events, seededRandom(seed * 7_919 + 17));
      const deliveries = chosen.map((index) => company.deliveries[index] as Delivery);
      return { deliveries, people: customers, months, generated, mix: mixOf(deliveries) };
    }
    if (months >= maxMonths) {
      throw new Error(
        `the demo company of ${customers.toLocaleString("en")} people makes ${generated.toLocaleString("en")} events over ${months} months, fewer than --events ${events.toLocaleString("en")}: give more --customers (about one for every 10 events)`,
      );
    }
  }
}

/**
 * `wanted` of the indexes 0 … total-1, each set of that size equally likely, in ascending order
 * (selection sampling, Knuth's Algorithm S: one pass, no list of the total kept).
 */
export function chooseInOrder(total: number, wanted: number, random: RandomSource): number[] {
  if (wanted > total) throw new Error(`cannot choose ${wanted} of ${total}`);
  const chosen: number[] = [];
  for (let index = 0; index < total && chosen.length < wanted; index += 1) {
    if ((total - index) * random() < wanted - chosen.length) chosen.push(index);
  }
  return chosen;
}

export function mixOf(deliveries: readonly Delivery[]): WorkloadMix {
  const mix: WorkloadMix = {
    signUps: 0,
    duplicateSignUps: 0,
    consents: 0,
    orders: 0,
    calls: 0,
    pageViews: 0,
    logins: 0,
    surveys: 0,
  };
  for (const delivery of deliveries) {
    if (delivery.path === "weblog") {
      mix.pageViews += 1;
      continue;
    }
    const { type, id } = delivery.event;
    switch (type) {
      case "crm.v1.CustomerRegistered":
        mix.signUps += 1;
        if (id.startsWith("signup-app-")) mix.duplicateSignUps += 1;
        break;
      case "crm.v1.ConsentChanged":
        mix.consents += 1;
        break;
      case "crm.v1.OrderPlaced":
        mix.orders += 1;
        break;
      case "crm.v1.CallLogged":
        mix.calls += 1;
        break;
      case "crm.v1.PageViewed":
        mix.logins += 1;
        break;
      case "crm.v1.SurveyAnswered":
        mix.surveys += 1;
        break;
      default:
        throw new Error(`the demo company sent a ${type}, which the benchmark does not count`);
    }
  }
  return mix;
}

/**
 * A delivery as it waits on its raw topic: what the demo sends to Kafka as it is; what it sends over
 * HTTP to the raw lane of its type (as ingestion's front door queues it), saying its source; access-log
 * lines to crm.raw.weblogs as a log shipper would, keyed by the visitor cookie at the end of the line.
 */
export function rawRecordOf(delivery: Delivery): RawRecord {
  switch (delivery.path) {
    case "kafka":
      return { lane: delivery.lane, key: delivery.event.id, value: JSON.stringify(delivery.event) };
    case "http":
      return {
        lane: rawSourceOf(delivery.event.type),
        key: delivery.event.id,
        value: JSON.stringify({ ...delivery.event, source: demoHttpSource }),
      };
    case "weblog":
      return { lane: "weblogs", key: visitorCookieOf(delivery.line), value: delivery.line };
    default: {
      const unhandled: never = delivery;
      return unhandled;
    }
  }
}

/** The last quoted field of a demo access-log line: the visitor cookie. */
function visitorCookieOf(line: string): string {
  return /"([^"]*)"\s*$/.exec(line)?.[1] ?? "";
}
