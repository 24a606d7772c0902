import { type CrmTopics, crmTopics } from "@rapport/events";
import type { CustomerSummary, OfferServiceClient } from "@rapport/proto";
import { readTopic } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type LatencySummary, latencySummary } from "../shared/percentiles.js";
import type { WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import { publishRecords } from "../shared/record-publisher.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { freshRunNames } from "../shared/run-names.js";
import type { CampaignChannel } from "./campaign-phase.js";
import { type CampaignSearch, searchLargestCampaign } from "./campaign-search.js";
import { nextBestOffersRequest } from "./decision-load.js";
import { type DecisionFigures, measureDecisions } from "./decision-phase.js";
import { type FoldRate, watchFold } from "./fold-watch.js";
import { emailCampaignOfferId, offerCatalog, phoneCampaignOfferId } from "./offer-catalog.js";
import { type OfferPopulationOptions, offerCustomer, type ResolvedEvent } from "./offer-customers.js";
import { type OfferProcess, offerClient, startOfferProcess, unaryCall, waitForReady } from "./offer-process.js";
import { type ScoringStandIn, startScoringStandIn } from "./scoring-stand-in.js";
import { connectTopicOffsets, type TopicOffsets } from "./topic-offsets.js";

export type OfferRunOptions = {
  endpoints: BenchEndpoints;
  /** Other processes whose CPU use is reported (the broker, FerretDB, this benchmark). */
  watched: WatchedProcesses;
  /** Customers whose histories the offer service folds before the decisions; the calls ask about them. */
  customers: number;
  clients: number;
  calls: number;
  /** Customers the stand-in streams to each campaign. */
  audience: number;
  /** Customers whose histories the offer service holds when the campaigns are built (≥ customers). */
  campaignFacts: number;
  campaignChannels: readonly CampaignChannel[];
  holdoutPercent: number;
  campaignDeadlineMs: number;
  storeBuckets: number;
  log: Log;
};

/** How many events of how many customers' histories the offer service folded, and how fast. */
export type FoldFigures = { customers: number; events: number; rate: FoldRate };

export type OfferRunResult = {
  fold: FoldFigures;
  /** The folding of the further histories before the campaigns (undefined: none). */
  campaignFold: FoldFigures | undefined;
  /** UpsertOffer of the catalog, one call at a time (each waits for the consumer to apply it). */
  upsertMs: LatencySummary;
  offers: number;
  decisions: DecisionFigures;
  /** OfferPresented records the decisions added to crm.offers (must equal the offers presented). */
  presentedOnTopic: number;
  campaigns: CampaignSearch[];
  /** crm.offers' max.message.bytes as the broker describes it: the largest record batch it takes. */
  offersMaxMessageBytes: number;
};

/** The population's seed: the same customers on every machine and run. */
const populationSeed = 20_261_123;
const upsertDeadlineMs = 30_000;

/**
 * One run on fresh topics and a fresh database: the histories of N customers wait on
 * crm.events.resolved when the offer service starts and folds them; the catalog is upserted; K clients
 * make M GetNextBestOffers calls; then (with the histories of more customers folded if asked) one
 * campaign per channel is built for the stand-in's whole audience.
 */
export async function measureOfferRun(options: OfferRunOptions): Promise<OfferRunResult> {
  const { endpoints, log } = options;
  const names = freshRunNames("offer", "offer");
  const topics = crmTopics(names.prefix);
  const population: OfferPopulationOptions = { seed: populationSeed, asOfMs: Date.now() };
  const { summaries, eventCounts } = audiencePopulation(population, options.audience, log);
  const customerIds = summaries.slice(0, options.customers).map((summary) => summary.customerId);
  const standIn = await startScoringStandIn();
  standIn.setCustomers(summaries);
  const offsets = await connectTopicOffsets(endpoints);
  let offer: OfferProcess | undefined;
  let client: OfferServiceClient | undefined;
  try {
    const histories = { endpoints, topics, population, eventCounts, log };
    const events = await publishHistories({ ...histories, from: 0, to: options.customers });
    const spawnedMs = performance.now();
    offer = await startOfferProcess({
      endpoints,
      names,
      scoringAddress: standIn.address,
      storeBuckets: options.storeBuckets,
    });
    const watched = { ...options.watched, offer: offer.pid };
    const folded = () => offsets.committed(names.consumerGroup, topics.resolvedEvents);
    const rate = await watchFold({
      count: folded,
      from: 0,
      to: events,
      startedAtMs: spawnedMs,
      watched,
      what: "histories folded",
      log,
    });
    log(
      `  ${events.toLocaleString("en")} events of ${options.customers.toLocaleString("en")} customers folded: ` +
        `${Math.round(rate.eventsPerSecond).toLocaleString("en")} events/s over ${rate.windowSeconds.toFixed(1)} s`,
    );

    client = offerClient(offer.grpcAddress);
    await waitForReady(client);
    const upsertMs = await upsertCatalog(client, population.asOfMs);
    log(`  ${offerCatalog(population.asOfMs).length} offers upserted: p50 ${upsertMs.p50.toFixed(0)} ms`);
    await expectEmailOptInFolded(client, population, options.customers);

    const decisions = await measureDecisions({
      address: offer.grpcAddress,
      customerIds,
      clients: options.clients,
      calls: options.calls,
      watched,
      log,
    });
    log(
      `  GetNextBestOffers: p50 ${decisions.latencyMs.p50.toFixed(1)} ms, p99 ${decisions.latencyMs.p99.toFixed(1)} ms, ` +
        `${Math.round(decisions.callsPerSecond)} calls/s; ${decisions.offersPresented.toLocaleString("en")} offers presented`,
    );
    const presentedOnTopic = await presentationsOn(endpoints, offsets, topics.offers, decisions.offersPresented);

    let campaignFold: FoldFigures | undefined;
    if (options.campaignFacts > options.customers) {
      log(`  histories of customers ${options.customers.toLocaleString("en")} … ${options.campaignFacts.toLocaleString("en")}:`);
      const publishedMs = performance.now();
      const more = await publishHistories({ ...histories, from: options.customers, to: options.campaignFacts });
      campaignFold = {
        customers: options.campaignFacts - options.customers,
        events: more,
        rate: await watchFold({
          count: folded,
          from: events,
          to: events + more,
          startedAtMs: publishedMs,
          watched,
          what: "histories folded",
          log,
        }),
      };
    }

    const campaigns: CampaignSearch[] = [];
    for (const channel of options.campaignChannels) {
      campaigns.push(
        await searchLargestCampaign({
          endpoints,
          client,
          offsets,
          offersTopic: topics.offers,
          consumerGroup: names.consumerGroup,
          standIn,
          offerId: channel === "phone" ? phoneCampaignOfferId : emailCampaignOfferId,
          channel,
          audience: options.audience,
          setAudience: (size) => standIn.setCustomers(summaries.slice(0, size)),
          bisect: channel === "phone",
          holdoutPercent: options.holdoutPercent,
          deadlineMs: options.campaignDeadlineMs,
          watched,
          serviceOutput: () => offer?.output() ?? "",
          log,
        }),
      );
    }
    return {
      fold: { customers: options.customers, events, rate },
      campaignFold,
      upsertMs,
      offers: offerCatalog(population.asOfMs).length,
      decisions,
      presentedOnTopic,
      campaigns,
      offersMaxMessageBytes: await offsets.maxMessageBytes(topics.offers),
    };
  } catch (error) {
    if (offer && error instanceof Error) error.message += `\n--- offer ---\n${offer.output().slice(-4_000)}`;
    throw error;
  } finally {
    client?.close();
    await offer?.stop();
    await standIn.stop();
    await offsets.close();
    await removeRunData(endpoints, names);
  }
}

/**
 * The stand-in's customers (what scoring would answer for each of the audience) and how many events
 * each one's history has, so that histories can be published without holding them all.
 */
function audiencePopulation(
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
    progress(`  scores of ${summaries.length.toLocaleString("en")} / ${audience.toLocaleString("en")} customers made`);
  }
  return { summaries, eventCounts };
}

/**
 * Publishes the histories of customers from … to-1 to crm.events.resolved, keyed by customer id,
 * customer after customer (each history made again when its turn comes); returns the events.
 */
async function publishHistories(options: {
  endpoints: BenchEndpoints;
  topics: CrmTopics;
  population: OfferPopulationOptions;
  eventCounts: Uint8Array;
  from: number;
  to: number;
  log: Log;
}): Promise<number> {
  const count = options.eventCounts.slice(options.from, options.to).reduce((sum, events) => sum + events, 0);
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

async function upsertCatalog(client: OfferServiceClient, nowMs: number): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (const offer of offerCatalog(nowMs)) {
    const startMs = performance.now();
    await unaryCall(client, client.upsertOffer, { offer }, upsertDeadlineMs);
    latencies.push(performance.now() - startMs);
  }
  return latencySummary(latencies);
}

/**
 * The folded facts are the ones published: preview email decisions for the last customers who opted
 * in to email must never say the address or the opt-in is unknown, and the first that makes an offer
 * gives "email opt-in since" among its reasons (not timed).
 */
async function expectEmailOptInFolded(
  client: OfferServiceClient,
  population: OfferPopulationOptions,
  customers: number,
): Promise<void> {
  for (let index = customers - 1; index >= 0; index--) {
    const customer = offerCustomer(population, index);
    if (!customer.isEmailOptedIn) continue;
    const answer = await unaryCall(
      client,
      client.getNextBestOffers,
      nextBestOffersRequest({ customerId: customer.customerId, channel: "email" }, true),
      upsertDeadlineMs,
    );
    const refusals = answer.notMade.map((notMade) => notMade.reason);
    const unknown = refusals.find((reason) => /no email address|email: no opt-in/.test(reason));
    if (unknown) throw new Error(`customer ${index} opted in to email, but a preview decision says: ${unknown}`);
    const [first] = answer.offers;
    if (!first) continue;
    if (!first.reasons.some((reason) => reason.startsWith("email opt-in since")))
      throw new Error(`customer ${index}'s email offer gives no opt-in reason: ${first.reasons.join("; ")}`);
    return;
  }
  throw new Error("no customer who opted in to email was made an email offer in preview");
}

/**
 * Reads crm.offers (read_committed) to its end and counts the OfferPresented records, which must be the
 * offers the answers presented (not timed).
 */
async function presentationsOn(
  endpoints: BenchEndpoints,
  offsets: TopicOffsets,
  topic: string,
  expected: number,
): Promise<number> {
  const end = await offsets.end(topic);
  const records = await readTopic(endpoints.kafkaBrokers, topic, {
    until: (seen) => seen.length >= end,
    timeoutMs: 120_000,
  });
  const presented = records.filter((record) => record.value?.includes('"type":"crm.v1.OfferPresented"')).length;
  if (presented !== expected)
    throw new Error(`crm.offers holds ${presented} presentations; the answers presented ${expected}`);
  return presented;
}
