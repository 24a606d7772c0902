import { crmTopics } from "@rapport/events";
import { callUnary } from "@rapport/grpc";
import type { OfferServiceClient } from "@rapport/proto";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type LatencySummary, latencySummary } from "../shared/percentiles.js";
import type { WatchedProcesses } from "../shared/process-cpu.js";
import type { Log } from "../shared/progress.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { freshRunNames } from "../shared/run-names.js";
import type { CampaignChannel } from "./campaign-phase.js";
import { type CampaignSearch, searchLargestCampaign } from "./campaign-search.js";
import { type DecisionFigures, measureDecisions } from "./decision-phase.js";
import { type FoldRate, watchFold } from "./fold-watch.js";
import { audiencePopulation, historyEvents, publishHistories } from "./histories.js";
import { emailCampaignOfferId, offerCatalog, phoneCampaignOfferId } from "./offer-catalog.js";
import type { OfferPopulationOptions } from "./offer-customers.js";
import { type OfferProcess, offerClient, startOfferProcess, waitForReady } from "./offer-process.js";
import { expectEmailOptInFolded, presentationsOn } from "./run-checks.js";
import { startScoringStandIn } from "./scoring-stand-in.js";
import { connectTopicOffsets } from "./topic-offsets.js";

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
    const presentedOnTopic = await presentationsOn(
      endpoints,
      offsets,
      topics.offers,
      decisions.offersPresented,
    );

    let campaignFold: FoldFigures | undefined;
    if (options.campaignFacts > options.customers) {
      log(
        `  histories of customers ${options.customers.toLocaleString("en")} … ${options.campaignFacts.toLocaleString("en")}:`,
      );
      // Watched while they are published: the running service folds them as they arrive.
      const more = historyEvents(eventCounts, options.customers, options.campaignFacts);
      const folding = watchFold({
        count: folded,
        from: events,
        to: events + more,
        startedAtMs: performance.now(),
        watched,
        what: "histories folded",
        log,
      });
      folding.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
      await publishHistories({ ...histories, from: options.customers, to: options.campaignFacts });
      campaignFold = {
        customers: options.campaignFacts - options.customers,
        events: more,
        rate: await folding,
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
    await removeRunData(endpoints, { prefix: names.prefix, databases: [names.database] });
  }
}

async function upsertCatalog(client: OfferServiceClient, nowMs: number): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (const offer of offerCatalog(nowMs)) {
    const startMs = performance.now();
    await callUnary(client, client.upsertOffer, { offer }, upsertDeadlineMs);
    latencies.push(performance.now() - startMs);
  }
  return latencySummary(latencies);
}
