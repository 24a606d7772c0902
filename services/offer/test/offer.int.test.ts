import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { context, propagation, type Span, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { type CustomerEvent, crmTopics, type Identifier, type RawSource } from "@rapport/events";
import { tracingInterceptor } from "@rapport/grpc";
import { loadIdentityConfig, startIdentityService } from "@rapport/identity";
import { loadIngestionConfig, startIngestionService } from "@rapport/ingestion";
import { deadLetterHeaders } from "@rapport/kafka";
import {
  type Campaign,
  ContactChannel,
  CustomerServiceClient,
  type GetCampaignTargetsResponse,
  type GetNextBestOffersResponse,
  IdentifierType,
  ListCustomersRequest,
  type ListCustomersResponse,
  type Offer,
  OfferKind,
  OfferResponse,
  OfferServiceClient,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";
import { loadScoringConfig, startScoringService } from "@rapport/scoring";
import { infraEndpoints, readTopic, type TopicRecord, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningOfferService, replayOffer, startOfferService } from "../src/app.js";
import { loadOfferConfig, type OfferConfig } from "../src/config.js";
import { unsubscribeTokenOf } from "../src/domain/unsubscribe-token.js";

// The whole pipeline on the real broker and FerretDB: events go in through ingestion's raw topics,
// identity resolves them, scoring scores them, and the offer service decides, builds a campaign and
// reports on it.

const endpoints = infraEndpoints();
const prefix = `${uniqueName("offer-it")}.`;
const topics = crmTopics(prefix);
const fatalErrors: Error[] = [];
const stops: (() => Promise<void>)[] = [];
const silent = pino({ level: "silent" });
let producer: Producer;
let offer: RunningOfferService;
let offerConfig: OfferConfig;
let client: OfferServiceClient;
let scoringClient: CustomerServiceClient;

const common = {
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
  MONGODB_URI: endpoints.mongodbUri,
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_TOPIC_PARTITIONS: "3",
  HTTP_PORT: "0",
  GRPC_PORT: "0",
  LOG_LEVEL: "silent",
};
const onFatal = (error: Error) => fatalErrors.push(error);
// What each service's main sets up through the OpenTelemetry SDK: a tracer provider, the W3C
// propagator and the async context manager (spans exist whether or not they are exported).
const tracerProvider = new NodeTracerProvider();

beforeAll(async () => {
  tracerProvider.register();
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  const ingestion = await startIngestionService({
    config: loadIngestionConfig({
      ...common,
      INGESTION_DATABASE: uniqueName("offer-it-ingestion"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      INGESTION_WRITE_KEYS: "offer-it=offer-it-write-key-0001",
      INSTANCE_ID: "ingestion-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => ingestion.stop());
  const identity = await startIdentityService({
    config: loadIdentityConfig({
      ...common,
      IDENTITY_DATABASE: uniqueName("offer-it-identity"),
      IDENTITY_CONSUMER_GROUP: `${prefix}identity`,
      IDENTITY_STORE_BUCKETS: "8",
      INSTANCE_ID: "identity-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => identity.stop());
  const scoring = await startScoringService({
    config: loadScoringConfig({
      ...common,
      SCORING_DATABASE: uniqueName("offer-it-scoring"),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_STORE_BUCKETS: "8",
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: "scoring-1",
      IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}`,
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => scoring.stop());
  scoringClient = new CustomerServiceClient(`127.0.0.1:${scoring.grpcPort}`, credentials.createInsecure());
  offerConfig = loadOfferConfig({
    ...common,
    OFFER_DATABASE: uniqueName("offer-it-offer"),
    OFFER_CONSUMER_GROUP: `${prefix}offer`,
    OFFER_STORE_BUCKETS: "8",
    OFFER_UNSUBSCRIBE_SECRET: "integration-test-secret",
    INSTANCE_ID: "offer-1",
    SCORING_GRPC_ADDRESS: `127.0.0.1:${scoring.grpcPort}`,
  });
  offer = await startOfferService({ config: offerConfig, logger: silent, onFatal });
  stops.push(() => offer.stop());
  client = new OfferServiceClient(`127.0.0.1:${offer.grpcPort}`, credentials.createInsecure());
}, 120_000);

afterAll(async () => {
  client?.close();
  scoringClient?.close();
  for (const stop of stops.reverse()) await stop();
  await producer?.disconnect();
  await tracerProvider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
  expect(fatalErrors).toEqual([]);
});

const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });

function event(
  id: string,
  type: CustomerEvent["type"],
  time: string,
  identifiers: Identifier[],
  data: object,
) {
  return {
    specversion: "1.0",
    id,
    source: "offer-it",
    type,
    time,
    datacontenttype: "application/json",
    data: { customer: { identifiers }, ...data },
  } satisfies CustomerEvent;
}

const order = (id: string, time: string, identifiers: Identifier[], totalMinor: number, category = "tea") =>
  event(id, "crm.v1.OrderPlaced", time, identifiers, {
    orderId: id,
    items: [
      {
        productId: `${category}-01`,
        category,
        quantity: 1,
        unitPrice: { amountMinor: totalMinor, currency: "KRW" },
      },
    ],
    total: { amountMinor: totalMinor, currency: "KRW" },
  });

/** Publishes events to a raw lane, as an upstream system would. */
async function publishRaw(lane: RawSource, events: readonly CustomerEvent[]) {
  await producer.send({
    topic: topics.raw(lane),
    acks: -1,
    messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
  });
}

function call<Request, Response>(
  rpc: (
    request: Request,
    metadata: Metadata,
    options: object,
    callback: (error: ServiceError | null, response: Response) => void,
  ) => unknown,
  request: Request,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    rpc.call(client, request, new Metadata(), { deadline: Date.now() + 30_000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

const offerOf = (overrides: Partial<Offer>): Offer => ({
  offerId: "",
  name: "",
  description: "",
  kind: OfferKind.OFFER_KIND_DISCOUNT,
  strategy: OfferStrategy.OFFER_STRATEGY_CROSS_SELL,
  channels: [ContactChannel.CONTACT_CHANNEL_EMAIL],
  eligibility: [],
  costMinor: 0,
  valueMinor: 0,
  validFrom: "",
  validUntil: "",
  perCustomerCap: 0,
  priorResponseRate: 0,
  revision: 0,
  updatedAt: "",
  retiredAt: "",
  ...overrides,
});

const upsert = (definition: Partial<Offer>) => call(client.upsertOffer, { offer: offerOf(definition) });

function nextBestOffers(
  customerNumberValue: string,
  channel: ContactChannel,
  { limit = 3, preview = false } = {},
): Promise<GetNextBestOffersResponse> {
  return call(client.getNextBestOffers, {
    subject: {
      $case: "identifier",
      value: { type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER, value: customerNumberValue },
    },
    channel,
    limit,
    context: { strategies: [], placement: "integration-test", explore: false, preview },
  });
}

/** Asks until `ready` holds, while the pipeline catches up (a customer scoring has not seen yet is NOT_FOUND). */
async function eventually<T>(
  ask: () => Promise<T>,
  ready: (answer: T) => boolean,
  description: string,
): Promise<T> {
  let latest: T | undefined;
  await waitFor(
    async () => {
      try {
        latest = await ask();
        return ready(latest);
      } catch (error) {
        if ((error as ServiceError).code === status.NOT_FOUND) return false;
        throw error;
      }
    },
    { timeoutMs: 60_000, intervalMs: 300, description },
  );
  return latest as T;
}

const now = () => new Date().toISOString();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe("the offer service through the whole pipeline", () => {
  it("keeps the catalog as events: revisions, retirement and readable refusals", async () => {
    const created = await upsert({
      offerId: "welcome-email",
      name: "Welcome back discount",
      strategy: OfferStrategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1,
      costMinor: 1_000,
      valueMinor: 20_000,
      priorResponseRate: 0.1,
    });
    expect(created.offer).toMatchObject({ offerId: "welcome-email", revision: 1 });
    const revised = await upsert({
      offerId: "welcome-email",
      name: "Welcome discount",
      strategy: OfferStrategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1,
      costMinor: 1_000,
      valueMinor: 20_000,
      priorResponseRate: 0.1,
    });
    expect(revised.offer).toMatchObject({ name: "Welcome discount", revision: 2 });
    await upsert({
      offerId: "tea-club",
      name: "Tea club invitation",
      kind: OfferKind.OFFER_KIND_EVENT_INVITATION,
      channels: [ContactChannel.CONTACT_CHANNEL_EMAIL, ContactChannel.CONTACT_CHANNEL_WEB],
      eligibility: [
        { attribute: "categories", operator: RuleOperator.RULE_OPERATOR_IN, values: ["tea"], threshold: 0 },
      ],
      costMinor: 500,
      valueMinor: 5_000,
    });
    await upsert({
      offerId: "sorry-call",
      name: "Apology call with a voucher",
      kind: OfferKind.OFFER_KIND_SERVICE_RECOVERY,
      strategy: OfferStrategy.OFFER_STRATEGY_SERVICE_RECOVERY,
      channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
      valueMinor: 2_000,
    });
    await upsert({
      offerId: "retention-call",
      name: "Dedicated agent call",
      kind: OfferKind.OFFER_KIND_DEDICATED_AGENT,
      strategy: OfferStrategy.OFFER_STRATEGY_RETENTION,
      channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
      eligibility: [
        {
          attribute: "tier",
          operator: RuleOperator.RULE_OPERATOR_IN,
          values: ["purchasing", "platinum"],
          threshold: 0,
        },
      ],
      costMinor: 3_000,
      valueMinor: 30_000,
    });
    await upsert({ offerId: "old-coupon", name: "Old coupon" });
    const retired = await call(client.retireOffer, { offerId: "old-coupon", reason: "season over" });
    expect(retired.offer?.retiredAt).not.toBe("");

    const listed = await call(client.listOffers, { includeRetired: false });
    expect(listed.offers.map((o) => o.offerId)).toEqual([
      "retention-call",
      "sorry-call",
      "tea-club",
      "welcome-email",
    ]);
    await expect(upsert({ offerId: "old-coupon", name: "Old coupon again" })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
    });
    await expect(
      upsert({
        offerId: "broken",
        name: "Broken",
        channels: [],
        eligibility: [
          { attribute: "shoe_size", operator: RuleOperator.RULE_OPERATOR_IN, values: ["42"], threshold: 0 },
        ],
      }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringMatching(/channel.*shoe_size/s),
    });

    const catalogEvents = await readTopic(endpoints.kafkaBrokers, topics.offers, {
      until: (records) => records.filter((r) => r.value?.includes('"crm.v1.OfferRetired"')).length >= 1,
    });
    expect(catalogEvents.some((r) => r.value?.includes('"crm.v1.OfferUpserted"'))).toBe(true);
  });

  it("decides an email offer with its explanation, records it as presented, and stops at the opt-out", async () => {
    await publishRaw("customers", [
      event(
        "reg-ann",
        "crm.v1.CustomerRegistered",
        daysAgo(40),
        [customerNumber("C-1"), email("ann@example.com")],
        {
          registrationChannel: "web",
        },
      ),
    ]);
    await publishRaw("consents", [
      event("consent-ann", "crm.v1.ConsentChanged", daysAgo(39), [email("ann@example.com")], {
        channel: "email",
        status: "granted",
        source: "web_form",
      }),
    ]);
    await publishRaw("orders", [order("order-ann-1", daysAgo(20), [customerNumber("C-1")], 30_000)]);

    // Ann's first order turns her new_stage_1: scoring announces it, and a treatment is queued.
    const queued = await eventually(
      () => call(client.listQueuedTreatments, { pageSize: 100, pageToken: "" }),
      (answer) =>
        answer.treatments.some((t) => t.strategy === OfferStrategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1),
      "Ann's new-customer treatment queued",
    );
    const annsTreatment = queued.treatments.find(
      (t) => t.strategy === OfferStrategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1,
    );
    expect(annsTreatment?.reason).toMatch(/first purchase/);

    // Previews while the pipeline catches up: they present nothing, so no contact cap fills.
    const preview = await eventually(
      () => nextBestOffers("C-1", ContactChannel.CONTACT_CHANNEL_EMAIL, { limit: 2, preview: true }),
      (a) => a.offers.length === 2,
      "two email offers for Ann",
    );
    expect(preview.offers.map((o) => o.presentationId)).toEqual(["", ""]);
    const answer = await nextBestOffers("C-1", ContactChannel.CONTACT_CHANNEL_EMAIL, { limit: 2 });
    expect(answer.customerId).toBe(annsTreatment?.customerId);
    const [first, second] = answer.offers;
    expect(first?.offer?.offerId).toBe("welcome-email");
    expect(first?.queuedTreatment).toMatch(/first purchase/);
    expect(first?.reasons.join("\n")).toMatch(/email opt-in/);
    expect(first?.score?.responseProbability).toBeCloseTo(0.1, 5);
    expect(first?.score?.expectedNetValueMinor).toBe(Math.round(0.1 * 20_000 - 1_000));
    expect(second?.offer?.offerId).toBe("tea-club");
    expect(second?.reasons.join("\n")).toMatch(/categories in \[tea\]/);
    expect(first?.unsubscribeToken).not.toBe("");
    const presented = await readTopic(endpoints.kafkaBrokers, topics.offers, {
      until: (records) => records.some((r) => r.value?.includes(first?.presentationId ?? "?")),
    });
    expect(
      JSON.parse(presented.find((r) => r.value?.includes(first?.presentationId ?? "?"))?.value ?? "{}"),
    ).toMatchObject({
      type: "crm.v1.OfferPresented",
      data: { customerId: answer.customerId, offerId: "welcome-email", channel: "email" },
    });

    // The unsubscribe link: a revocation travels through ingestion; from then on no email offers.
    const forged = await fetch(
      `http://127.0.0.1:${offer.httpPort}/v1/unsubscribe?token=${first?.unsubscribeToken}x`,
      {
        method: "POST",
      },
    );
    expect(forged.status).toBe(400);
    const unsubscribed = await fetch(
      `http://127.0.0.1:${offer.httpPort}/v1/unsubscribe?token=${encodeURIComponent(first?.unsubscribeToken ?? "")}`,
      { method: "POST" },
    );
    expect(unsubscribed.status).toBe(202);
    const afterOptOut = await eventually(
      () => nextBestOffers("C-1", ContactChannel.CONTACT_CHANNEL_EMAIL, { preview: true }),
      (a) => a.notMade.some((n) => /opt-in revoked/.test(n.reason)),
      "Ann's email opt-out in force",
    );
    expect(afterOptOut.offers).toEqual([]);
    // One voice: the two email offers are still unanswered, so the web page does not add a third.
    const onTheWeb = await nextBestOffers("C-1", ContactChannel.CONTACT_CHANNEL_WEB, { preview: true });
    expect(onTheWeb.offers).toEqual([]);
    expect(onTheWeb.notMade.find((n) => n.offerId === "tea-club")?.reason).toMatch(
      /email offer .* outstanding since/,
    );
  });

  it("sends only service recovery to a customer with an open complaint", async () => {
    await publishRaw("orders", [
      order("order-ben-1", daysAgo(30), [customerNumber("C-2"), phone("+821011112222")], 45_000),
    ]);
    await publishRaw("calls", [
      event("call-ben-1", "crm.v1.CallLogged", daysAgo(2), [phone("+821011112222")], {
        callId: "call-ben-1",
        direction: "inbound",
        purpose: "complaint",
        outcome: "completed",
        complaintReference: "CMP-7",
        complaintStatus: "open",
      }),
    ]);
    await eventually(
      () => nextBestOffers("C-2", ContactChannel.CONTACT_CHANNEL_PHONE, { limit: 5, preview: true }),
      (a) => a.offers.length > 0 && a.notMade.some((n) => /only service recovery/.test(n.reason)),
      "Ben's complaint known to the offer service",
    );
    const answer = await nextBestOffers("C-2", ContactChannel.CONTACT_CHANNEL_PHONE, { limit: 5 });
    expect(answer.offers.map((o) => o.offer?.offerId)).toEqual(["sorry-call"]);
    expect(answer.notMade.find((n) => n.offerId === "retention-call")?.reason).toMatch(
      /complaint.*only service recovery/,
    );
  });

  it("builds a phone campaign with a holdout and reports its lift", async () => {
    const crowd = Array.from({ length: 40 }, (_, i) => `C-${100 + i}`);
    await publishRaw(
      "orders",
      crowd.map((number, i) =>
        order(
          `order-${number}`,
          daysAgo(60 + i),
          [customerNumber(number), phone(`+8210200${String(i).padStart(5, "0")}`)],
          20_000,
        ),
      ),
    );
    await waitFor(
      async () => {
        const listed = await new Promise<ListCustomersResponse>((resolve, reject) =>
          scoringClient.listCustomers(
            ListCustomersRequest.fromPartial({ tiers: ["purchasing"] }),
            (error, response) => (error ? reject(error) : resolve(response)),
          ),
        );
        return listed.totalMatching >= crowd.length + 2;
      },
      { timeoutMs: 60_000, intervalMs: 300, description: "the crowd scored" },
    );
    // …and the offer service knows their numbers (it folds the same events on its own).
    await waitFor(
      async () => {
        const previews = await Promise.all(
          crowd.map((number) =>
            nextBestOffers(number, ContactChannel.CONTACT_CHANNEL_PHONE, { preview: true }),
          ),
        );
        return previews.every((answer) => !answer.notMade.some((n) => /no phone number/.test(n.reason)));
      },
      {
        timeoutMs: 60_000,
        intervalMs: 300,
        description: "the crowd's phone numbers known to the offer service",
      },
    );
    const created = await call(client.createCampaign, {
      campaignId: "winback-call",
      name: "Win back by phone",
      offerId: "retention-call",
      channel: ContactChannel.CONTACT_CHANNEL_PHONE,
      audience: {
        tiers: ["purchasing"],
        lifecycleStages: [],
        rfmSegments: [],
        segmentCells: [],
        maxTargets: 0,
      },
      holdoutPercent: 30,
      measurementDays: 30,
    });
    const campaign = created.campaign as Campaign;
    expect(campaign.treatmentTargets + campaign.holdoutTargets).toBeGreaterThanOrEqual(40);
    expect(campaign.holdoutTargets).toBeGreaterThan(0);
    // Ben's open complaint keeps him out of a retention call, and the reason is counted.
    expect(campaign.exclusions.map((e) => e.reason).join("\n")).toMatch(/phone|complaint/);
    expect(campaign.exclusions.map((e) => e.reason)).toContain("no phone number is known for the customer");
    const again = await call(client.createCampaign, {
      campaignId: "winback-call",
      name: "Win back by phone",
      offerId: "retention-call",
      channel: ContactChannel.CONTACT_CHANNEL_PHONE,
      audience: {
        tiers: ["purchasing"],
        lifecycleStages: [],
        rfmSegments: [],
        segmentCells: [],
        maxTargets: 0,
      },
      holdoutPercent: 30,
      measurementDays: 30,
    });
    expect(again.campaign?.createdAt).toBe(campaign.createdAt);

    const page = await call(client.getCampaignTargets, {
      campaignId: "winback-call",
      group: "",
      pageSize: 10,
      pageToken: "",
    });
    expect(page.targets).toHaveLength(10);
    expect(page.nextPageToken).toBe("10");
    const priorities = page.targets.map((t) => t.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    // The call list carries the number to dial; Ann, registered by email only, is not on it.
    expect(page.targets.every((t) => /^\+82/.test(t.phone))).toBe(true);
    expect(page.targets[0]?.scriptHints.join("\n")).toMatch(/Dedicated agent call/);
    const treatment = [...page.targets];
    for (let token = page.nextPageToken; token !== ""; ) {
      const next: GetCampaignTargetsResponse = await call(client.getCampaignTargets, {
        campaignId: "winback-call",
        group: "treatment",
        pageSize: 10,
        pageToken: token,
      });
      treatment.push(...next.targets);
      token = next.nextPageToken;
    }
    expect(treatment).toHaveLength(campaign.treatmentTargets);
    const holdout = await call(client.getCampaignTargets, {
      campaignId: "winback-call",
      group: "holdout",
      pageSize: 1000,
      pageToken: "",
    });
    expect(holdout.targets).toHaveLength(campaign.holdoutTargets);
    expect(holdout.targets.every((t) => t.group === "holdout")).toBe(true);

    // Five treatment customers take the offer; eight treatment and two holdout customers buy.
    const inCrowd = (target: { phone: string }) => target.phone.startsWith("+8210200");
    const crowdTreatment = treatment.filter(inCrowd);
    const crowdHoldout = holdout.targets.filter(inCrowd);
    for (const target of crowdTreatment.slice(0, 5))
      await call(client.recordResponse, {
        customerId: target.customerId,
        offerId: "retention-call",
        campaignId: "winback-call",
        presentationId: "",
        response: OfferResponse.OFFER_RESPONSE_CONVERTED,
        channel: ContactChannel.CONTACT_CHANNEL_PHONE,
        revenue: { amountMinor: 10_000, currency: "KRW" },
        respondedAt: "",
      });
    // A sixth declines, told by the call-center system through ingestion.
    const decliner = crowdTreatment[5] as { phone: string };
    await publishRaw("offer-responses", [
      event(
        "response-declined",
        "crm.v1.OfferResponded",
        now(),
        [customerNumber(numberOf(decliner.phone, crowd))],
        {
          offerId: "retention-call",
          campaignId: "winback-call",
          response: "declined",
          channel: "phone",
        },
      ),
    ]);
    const buyers = [...crowdTreatment.slice(0, 8), ...crowdHoldout.slice(0, 2)];
    await publishRaw(
      "orders",
      buyers.map((target, i) =>
        order(`order-after-${i}`, now(), [customerNumber(numberOf(target.phone, crowd))], 15_000),
      ),
    );
    const report = await eventually(
      () => call(client.getCampaignReport, { campaignId: "winback-call" }),
      (r) =>
        (r.conversionLift?.treatmentRate ?? 0) * r.targeted >= 8 - 1e-9 &&
        (r.conversionLift?.holdoutRate ?? 0) > 0 &&
        r.responded === 6,
      "conversions after the campaign reach the report",
    );
    expect(report.targeted).toBe(campaign.treatmentTargets);
    expect(report.holdout).toBe(campaign.holdoutTargets);
    expect(report.contacted).toBe(6);
    expect(report.responded).toBe(6);
    expect(report.positiveResponses).toBe(5);
    expect(report.revenueMinor).toBe(50_000);
    expect(report.responseRate).toBeCloseTo(1, 9);
    expect(report.costMinor).toBe(6 * 3_000);
    expect(report.roi).toBeCloseTo((50_000 - 18_000) / 18_000, 9);
    const lift = report.conversionLift;
    expect(lift?.treatmentRate).toBeCloseTo(8 / campaign.treatmentTargets, 9);
    expect(lift?.holdoutRate).toBeCloseTo(2 / campaign.holdoutTargets, 9);
    expect(lift?.lower95).toBeLessThan(lift?.difference ?? Number.NaN);
    expect(lift?.upper95).toBeGreaterThan(lift?.difference ?? Number.NaN);
  }, 180_000);
});

describe("poison on the offer service's inputs", () => {
  it("goes to the dead-letter topic with its reason while the service goes on", async () => {
    await producer.send({
      topic: topics.offers,
      acks: -1,
      messages: [
        { key: "x", value: "not json" },
        {
          key: "y",
          value: JSON.stringify({
            specversion: "1.0",
            id: "p-1",
            time: now(),
            type: "crm.v1.OfferPresented",
            data: {},
          }),
        },
      ],
    });
    await producer.send({
      topic: topics.customerChanges,
      acks: -1,
      messages: [
        {
          key: "z",
          value: JSON.stringify({ id: "c-1", type: "crm.v1.CustomerChanged", data: { customerId: "z" } }),
        },
      ],
    });
    // Scoring reads crm.offers too and rejects the same records under its own group.
    const offersGroup = `${prefix}offer`;
    const dead = await readTopic(endpoints.kafkaBrokers, topics.deadLetter, {
      until: (records) =>
        records.filter((r) => r.headers[deadLetterHeaders.consumerGroup] === offersGroup).length >= 3,
    });
    const rejected = dead.filter((r) => r.headers[deadLetterHeaders.consumerGroup] === offersGroup);
    expect(rejected.map((r) => r.headers[deadLetterHeaders.reason]).sort()).toEqual([
      "invalid_customer_change",
      "invalid_offer_event",
      "invalid_offer_event",
    ]);
    expect(rejected.map((r) => r.headers[deadLetterHeaders.detail]).join("\n")).toMatch(
      /OfferPresented lacks customerId, offerId, channel, strategy/,
    );
    const stillServing = await call(client.listOffers, { includeRetired: true });
    expect(stillServing.offers.length).toBeGreaterThan(0);
  });
});

describe("a replay of the offer service", () => {
  it("rebuilds its stores into a new version that answers as the old one did, and keeps it current", async () => {
    const answers = async () => {
      await offer.learn();
      // The report says when it was made: the only thing that may differ.
      const { asOf: _madeAt, ...report } = await call(client.getCampaignReport, {
        campaignId: "winback-call",
      });
      return {
        report,
        targets: await call(client.getCampaignTargets, {
          campaignId: "winback-call",
          group: "treatment",
          pageSize: 100,
          pageToken: "",
        }),
        offers: await call(client.listOffers, { includeRetired: true }),
        treatments: await call(client.listQueuedTreatments, { pageSize: 100, pageToken: "" }),
        phone: await nextBestOffers("C-100", ContactChannel.CONTACT_CHANNEL_PHONE, { preview: true }),
        email: await nextBestOffers("C-1", ContactChannel.CONTACT_CHANNEL_EMAIL, { preview: true }),
      };
    };
    // The earlier tests' events may still be queuing treatments: compare with answers that have settled.
    let before = await answers();
    await waitFor(
      async () => {
        const again = await answers();
        const settled = JSON.stringify(again) === JSON.stringify(before);
        before = again;
        return settled;
      },
      { timeoutMs: 120_000, intervalMs: 2_000, description: "the offer service's answers to settle" },
    );
    expect(before.report.targeted).toBeGreaterThan(0);
    expect(before.offers.offers.length).toBeGreaterThan(0);

    const progress: number[] = [];
    const result = await replayOffer({
      config: offerConfig,
      logger: silent,
      onProgress: ({ consumed }) => progress.push(consumed),
    });
    expect(result.previous.version).toBe(1);
    expect(result.activated).toEqual({
      version: 2,
      database: `${offerConfig.OFFER_DATABASE}_v2`,
      consumerGroup: `${prefix}offer-v2`,
    });
    expect(progress.at(-1)).toBeGreaterThan(0);
    await waitFor(() => offer.projectionVersion() === 2, {
      timeoutMs: 30_000,
      description: "the running offer service serves the rebuilt version",
    });
    expect(await answers()).toEqual(before);

    // The rebuilt version is kept current: a catalog change is applied there before it is answered.
    const added = await upsert({ offerId: "after-replay", name: "After the replay", valueMinor: 1_000 });
    expect(added.offer?.revision).toBe(1);
    const listed = await call(client.listOffers, { includeRetired: true });
    expect(listed.offers.map((o) => o.offerId)).toContain("after-replay");
  }, 180_000);
});

/** The crowd's customer number of a target, by the phone number it was given. */
function numberOf(targetPhone: string, crowd: readonly string[]): string {
  const index = Number(targetPhone.slice(-5));
  return crowd[index] as string;
}

describe("the trace of an input through the pipeline", () => {
  const traceIdOf = (record: TopicRecord | undefined) => record?.headers.traceparent?.split("-")[1];
  /** The fields of the CloudEvents on the topics that these tests look at. */
  type RecordValue = {
    id?: string;
    type?: string;
    customerid?: string;
    data?: { customerId?: string; treatment?: { customerId?: string }; offer?: { offerId?: string } };
  };
  /** A record's CloudEvent; the poison test's unreadable records on the same topics read as empty. */
  const cloudEventOf = (record: TopicRecord): RecordValue => {
    try {
      return JSON.parse(record.value ?? "{}");
    } catch {
      return {};
    }
  };
  /** The records of a topic that `matches` picks, once there is one. */
  const recordsOf = async (topic: string, matches: (value: RecordValue) => boolean) =>
    (
      await readTopic(endpoints.kafkaBrokers, topic, {
        until: (records) => records.some((record) => matches(cloudEventOf(record))),
        timeoutMs: 60_000,
      })
    ).filter((record) => matches(cloudEventOf(record)));
  const callerSpan = (): { span: Span; traceId: string; traceparent: string } => {
    const span = trace.getTracer("upstream").startSpan("upstream");
    const { traceId, spanId } = span.spanContext();
    return { span, traceId, traceparent: `00-${traceId}-${spanId}-01` };
  };

  it("carries an order's trace into every record each service writes because of it", async () => {
    const upstream = callerSpan();
    const orderEvent = order(
      "order-traced-1",
      daysAgo(3),
      [customerNumber("C-TRACE"), email("trace@example.com")],
      12_000,
    );
    await producer.send({
      topic: topics.raw("orders"),
      acks: -1,
      messages: [
        {
          key: orderEvent.id,
          value: JSON.stringify(orderEvent),
          headers: { traceparent: upstream.traceparent },
        },
      ],
    });
    upstream.span.end();
    const eventId = "offer-it:order-traced-1";

    const [appended] = await recordsOf(topics.events, (value) => value.id === eventId);
    const [resolved] = await recordsOf(topics.resolvedEvents, (value) => value.id === eventId);
    const customerId = resolved ? cloudEventOf(resolved).customerid : undefined;
    const linked = await recordsOf(
      topics.identity,
      (value) => value.type === "crm.v1.IdentifierLinked" && JSON.stringify(value).includes("C-TRACE"),
    );
    const [changed] = await recordsOf(
      topics.customerChanges,
      (value) => value.data?.customerId === customerId,
    );
    const [queued] = await recordsOf(
      topics.offers,
      (value) => value.type === "crm.v1.TreatmentQueued" && value.data?.treatment?.customerId === customerId,
    );

    expect({
      ingestion: traceIdOf(appended),
      identityResolved: traceIdOf(resolved),
      identityLinked: traceIdOf(linked[0]),
      scoringChange: traceIdOf(changed),
      offerTreatment: traceIdOf(queued),
    }).toEqual({
      ingestion: upstream.traceId,
      identityResolved: upstream.traceId,
      identityLinked: upstream.traceId,
      scoringChange: upstream.traceId,
      offerTreatment: upstream.traceId,
    });
  });

  it("carries a gRPC caller's trace into what the offer service records for the call", async () => {
    const traced = new OfferServiceClient(`127.0.0.1:${offer.grpcPort}`, credentials.createInsecure(), {
      interceptors: [tracingInterceptor],
    });
    const caller = callerSpan();
    await context.with(
      trace.setSpan(context.active(), caller.span),
      () =>
        new Promise((resolve, reject) =>
          traced.upsertOffer(
            {
              offer: offerOf({
                offerId: "traced-offer",
                name: "Traced offer",
                costMinor: 100,
                valueMinor: 1_000,
              }),
            },
            (error, response) => (error ? reject(error) : resolve(response)),
          ),
        ),
    );
    caller.span.end();
    traced.close();

    const [upserted] = await recordsOf(
      topics.offers,
      (value) => value.type === "crm.v1.OfferUpserted" && value.data?.offer?.offerId === "traced-offer",
    );
    expect(traceIdOf(upserted)).toBe(caller.traceId);
  });

  it("carries an unsubscribe request's trace into the consent it records and on through ingestion", async () => {
    const token = unsubscribeTokenOf(
      { customerId: "cus_traced", email: "unsubscribe-trace@example.com" },
      "integration-test-secret",
    );
    const caller = callerSpan();
    const response = await fetch(
      `http://127.0.0.1:${offer.httpPort}/v1/unsubscribe?token=${encodeURIComponent(token)}`,
      { method: "POST", headers: { traceparent: caller.traceparent } },
    );
    caller.span.end();
    expect(response.status).toBe(202);

    const mentionsAddress = (value: unknown) =>
      JSON.stringify(value).includes("unsubscribe-trace@example.com");
    const [consent] = await recordsOf(topics.raw("consents"), mentionsAddress);
    const [appended] = await recordsOf(topics.events, mentionsAddress);
    expect(traceIdOf(consent)).toBe(caller.traceId);
    expect(traceIdOf(appended)).toBe(caller.traceId);
  });
});
