import type { CrmTopics } from "@rapport/events";
import type { CustomerSummary } from "@rapport/proto";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type Log, throttled } from "../shared/progress.js";
import { publishRecords } from "../shared/record-publisher.js";
import { type OfferPopulationOptions, offerCustomer, type ResolvedEvent } from "./offer-customers.js";

/**
 * The stand-in's customers (what scoring would answer for each of the audience) and how many events
 * each one's history has, so that histories can be published without holding them all.
 */
export function audiencePopulation(
  population: OfferPopulationOptions,
  audience: number,
  log: Log,
): { summaries: CustomerSummary[]; eventCounts: Uint8Array } {
  const progress = throttled(log);
  const summaries: CustomerSummary[] = [];
  const eventCounts = new Uint8Array(audience);
  for (let index = 0; index < audience; index++) {
    const customer = offerCustomer(population, index);
    summaries.push(customer.summary);
    eventCounts[index] = customer.events.length;
    progress(
      `  scores of ${summaries.length.toLocaleString("en")} / ${audience.toLocaleString("en")} customers made`,
    );
  }
  return { summaries, eventCounts };
}

/** The events in the histories of customers from … to-1. */
export function historyEvents(eventCounts: Uint8Array, from: number, to: number): number {
  return eventCounts.slice(from, to).reduce((sum, events) => sum + events, 0);
}

/**
 * Publishes the histories of customers from … to-1 to crm.events.resolved, keyed by customer id,
 * customer after customer (each history made again when its turn comes); returns the events.
 */
export async function publishHistories(options: {
  endpoints: BenchEndpoints;
  topics: CrmTopics;
  population: OfferPopulationOptions;
  eventCounts: Uint8Array;
  from: number;
  to: number;
  log: Log;
}): Promise<number> {
  const count = historyEvents(options.eventCounts, options.from, options.to);
  const topic = options.topics.resolvedEvents;
  let customer = options.from;
  let history: ResolvedEvent[] = [];
  let nextInHistory = 0;
  await publishRecords({
    endpoints: options.endpoints,
    createTopics: options.from === 0 ? [topic] : [],
    count,
    recordAt: () => {
      while (nextInHistory >= history.length) {
        history = offerCustomer(options.population, customer++).events;
        nextInHistory = 0;
      }
      const event = history[nextInHistory++] as ResolvedEvent;
      return { topic, key: event.customerid, value: JSON.stringify(event) };
    },
    what: "events on crm.events.resolved",
    log: options.log,
  });
  return count;
}
