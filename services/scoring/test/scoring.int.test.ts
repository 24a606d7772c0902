import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { type CustomerEvent, crmTopics, type Identifier } from "@rapport/events";
import { loadIdentityConfig, type RunningIdentityService, startIdentityService } from "@rapport/identity";
import { deadLetterHeaders } from "@rapport/kafka";
import {
  CustomerServiceClient,
  CustomerSort,
  type GetCustomerResponse,
  type GetModelResponse,
  type GetSegmentReportResponse,
  type GetTimelineResponse,
  type GetWebAnalyticsResponse,
  type IdentifierType,
  ListCustomersRequest,
  type ListCustomersResponse,
  type RefitModelsResponse,
} from "@rapport/proto";
import type { ReplayProgress } from "@rapport/runtime";
import { infraEndpoints, readTopic, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningScoringService, replayScoring, startScoringService } from "../src/app.js";
import { loadScoringConfig } from "../src/config.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("scoring-it")}.`;
const topics = crmTopics(prefix);
const fatalErrors: Error[] = [];
const stops: (() => Promise<void>)[] = [];
let producer: Producer;
let identity: RunningIdentityService;
let scoring: RunningScoringService;
let client: CustomerServiceClient;

const common = {
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
  MONGODB_URI: endpoints.mongodbUri,
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_TOPIC_PARTITIONS: "3",
  HTTP_PORT: "0",
  GRPC_PORT: "0",
  LOG_LEVEL: "silent",
};

const scoringDatabase = uniqueName("scoring-it");
const scoringConfig = () =>
  loadScoringConfig({
    ...common,
    SCORING_DATABASE: scoringDatabase,
    SCORING_CONSUMER_GROUP: `${prefix}scoring`,
    SCORING_STORE_BUCKETS: "16",
    SCORING_SCHEDULER: "false",
    INSTANCE_ID: "scoring-1",
    IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}`,
  });

async function startScoring() {
  const service = await startScoringService({
    config: scoringConfig(),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  stops.push(() => service.stop());
  return service;
}

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  identity = await startIdentityService({
    config: loadIdentityConfig({
      ...common,
      IDENTITY_DATABASE: uniqueName("scoring-it-identity"),
      IDENTITY_CONSUMER_GROUP: `${prefix}identity`,
      INSTANCE_ID: "identity-1",
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  stops.push(() => identity.stop());
  scoring = await startScoring();
  client = new CustomerServiceClient(`127.0.0.1:${scoring.grpcPort}`, credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  for (const stop of stops.reverse()) await stop();
  await producer?.disconnect();
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
    source: id.slice(0, id.indexOf(":")),
    type,
    time,
    datacontenttype: "application/json",
    data: { customer: { identifiers }, ...data },
  } satisfies CustomerEvent;
}

const order = (id: string, time: string, identifiers: Identifier[], totalMinor: number) =>
  event(id, "crm.v1.OrderPlaced", time, identifiers, {
    orderId: id.slice(id.indexOf(":") + 1),
    items: [
      {
        productId: "tea-01",
        category: "tea",
        quantity: 1,
        unitPrice: { amountMinor: totalMinor, currency: "KRW" },
      },
    ],
    total: { amountMinor: totalMinor, currency: "KRW" },
  });

async function appendToLog(events: readonly CustomerEvent[]) {
  await producer.send({
    topic: topics.events,
    acks: -1,
    messages: events.map((e) => ({ key: e.id, value: JSON.stringify(e) })),
  });
}

function getCustomer(identifier: Identifier, asOf = "", target = client): Promise<GetCustomerResponse> {
  const type = { customer_number: 1, email: 2, phone: 3, loyalty_card: 4, device_id: 5, cookie_id: 6 }[
    identifier.type
  ] as IdentifierType;
  return new Promise((resolve, reject) =>
    target.getCustomer(
      { subject: { $case: "identifier", value: { type, value: identifier.value } }, asOf },
      new Metadata(),
      { deadline: Date.now() + 10_000 },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );
}

function getTimeline(customerId: string): Promise<GetTimelineResponse> {
  return new Promise((resolve, reject) =>
    client.getTimeline(
      { subject: { $case: "customerId", value: customerId }, pageSize: 0, pageToken: "" },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );
}

/** The customer once `ready` holds, asking again while scoring has not caught up. */
async function customerWhen(
  identifier: Identifier,
  ready: (response: GetCustomerResponse) => boolean,
  target = client,
) {
  let latest: GetCustomerResponse | undefined;
  await waitFor(
    async () => {
      try {
        latest = await getCustomer(identifier, "", target);
        return ready(latest);
      } catch (error) {
        if ((error as ServiceError).code === status.NOT_FOUND) return false;
        throw error;
      }
    },
    { timeoutMs: 45_000, intervalMs: 250, description: `customer ${identifier.value} ready` },
  );
  return latest as GetCustomerResponse;
}

// Ann orders three times and complains once; Bob's sign-up by email and his call by phone are two
// customers until an order carries both.
const annsEvents = [
  order("shop:O-1", "2026-01-05T10:00:00.000Z", [customerNumber("C-1"), email("ann@example.com")], 30_000),
  order("shop:O-2", "2026-02-05T10:00:00.000Z", [customerNumber("C-1")], 20_000),
  event("callcenter:call-1", "crm.v1.CallLogged", "2026-02-06T09:00:00.000Z", [email("ann@example.com")], {
    callId: "call-1",
    direction: "inbound",
    purpose: "complaint",
    complaintReference: "CMP-1",
    complaintStatus: "open",
  }),
  order("shop:O-3", "2026-03-05T10:00:00.000Z", [customerNumber("C-1")], 50_000),
];
const bobsEvents = [
  event("web:signup-1", "crm.v1.CustomerRegistered", "2026-01-10T10:00:00.000Z", [email("bob@example.com")], {
    registrationChannel: "web",
  }),
  event("callcenter:call-2", "crm.v1.CallLogged", "2026-01-11T10:00:00.000Z", [phone("+821099998888")], {
    callId: "call-2",
    direction: "inbound",
    purpose: "inquiry",
  }),
];
const bobsBridge = order(
  "shop:O-9",
  "2026-01-12T10:00:00.000Z",
  [email("bob@example.com"), phone("+821099998888")],
  15_000,
);

describe("scoring through identity, against a real Kafka broker and FerretDB", () => {
  it("answers GetCustomer by identifier with the customer's orders, service history, lifecycle and tier", async () => {
    await appendToLog([...annsEvents, ...bobsEvents]);

    // The call names Ann by email only: until identity merges it in, it may be another customer's.
    const ann = await customerWhen(
      email("ann@example.com"),
      (r) => r.customer?.orders?.orders === 3 && r.customer.service?.inboundCalls === 1,
    );

    expect(ann.customer).toMatchObject({
      tier: "purchasing",
      lifecycleStage: "active",
      orders: {
        orders: 3,
        revenueMinor: 100_000,
        firstOrderAt: "2026-01-05T10:00:00.000Z",
        lastOrderAt: "2026-03-05T10:00:00.000Z",
      },
      service: { inboundCalls: 1, openComplaints: 1 },
      lifetimeValue: { historicMinor: 25_000 },
    });
    expect(ann.customer?.lifecycleHistory.map((transition) => transition.stage)).toEqual([
      "prospect",
      "new_stage_1",
      "new_stage_2",
      "active",
    ]);
    const timeline = await getTimeline(ann.customer?.customerId ?? "");
    expect(timeline.entries.map((entry) => entry.eventId)).toEqual([
      "shop:O-3",
      "callcenter:call-1",
      "shop:O-2",
      "shop:O-1",
    ]);
  });

  it("answers as of a past time from the facts up to then", async () => {
    const past = await getCustomer(email("ann@example.com"), "2026-02-10T00:00:00.000Z");
    expect(past.customer).toMatchObject({
      lifecycleStage: "new_stage_2",
      orders: { orders: 2, revenueMinor: 50_000 },
    });
  });

  it("gives a merged customer the projection of both histories, and announces the changes", async () => {
    await customerWhen(phone("+821099998888"), (r) => r.customer?.service?.inboundCalls === 1);
    await appendToLog([bobsBridge]);

    const bob = await customerWhen(
      email("bob@example.com"),
      (r) => r.customer?.orders?.orders === 1 && r.customer.mergedCustomerIds.length === 1,
    );

    expect(bob.customer).toMatchObject({
      tier: "purchasing",
      lifecycleStage: "new_stage_1",
      service: { inboundCalls: 1 },
      orders: { orders: 1, revenueMinor: 15_000 },
    });
    const byPhone = await getCustomer(phone("+821099998888"));
    expect(byPhone.customer?.customerId).toBe(bob.customer?.customerId);

    const changes = await readTopic(endpoints.kafkaBrokers, topics.customerChanges, {
      until: (records) =>
        records.some(
          (record) =>
            record.key === bob.customer?.customerId &&
            JSON.parse(record.value ?? "{}").data.value === "new_stage_1",
        ),
      timeoutMs: 30_000,
    });
    const bobsStages = changes
      .map((record) => JSON.parse(record.value ?? "{}"))
      .filter(
        (change) =>
          change.data.customerId === bob.customer?.customerId && change.data.attribute === "lifecycle_stage",
      );
    expect(bobsStages.map((change) => change.data.value)).toContain("new_stage_1");
    // Each change carries the customer as scored after it: a reader decides without asking.
    const becameNew = bobsStages.find((change) => change.data.value === "new_stage_1");
    expect(becameNew.data.summary).toMatchObject({
      customerId: bob.customer?.customerId,
      lifecycleStage: "new_stage_1",
      tier: "purchasing",
    });
    expect(new Set(changes.map((record) => JSON.parse(record.value ?? "{}").id)).size).toBe(changes.length);
  });

  it("sends a record it cannot read to the dead-letter topic and goes on", async () => {
    await producer.send({ topic: topics.resolvedEvents, messages: [{ key: "x", value: "not json" }] });
    await appendToLog([order("shop:O-4", "2026-03-20T10:00:00.000Z", [customerNumber("C-1")], 10_000)]);

    await customerWhen(email("ann@example.com"), (r) => r.customer?.orders?.orders === 4);
    const dead = await readTopic(endpoints.kafkaBrokers, topics.deadLetter, {
      until: (records) => records.some((record) => record.value === "not json"),
      timeoutMs: 30_000,
    });
    const poison = dead.find((record) => record.value === "not json");
    expect(poison?.headers[deadLetterHeaders.reason]).toBe("invalid_event");
    expect(poison?.headers[deadLetterHeaders.topic]).toBe(topics.resolvedEvents);
  });

  it("keeps the offers presented on crm.offers in the contact history, and dead-letters a broken one", async () => {
    const ann = await getCustomer(email("ann@example.com"));
    const customerId = ann.customer?.customerId ?? "";
    const presentation = (id: string, data: object) => ({
      key: customerId,
      value: JSON.stringify({
        specversion: "1.0",
        id,
        source: "rapport/offer",
        type: "crm.v1.OfferPresented",
        time: "2026-03-25T09:00:00.000Z",
        datacontenttype: "application/json",
        data,
      }),
    });
    await producer.send({
      topic: topics.offers,
      messages: [
        presentation("offer:presentation-1", { customerId, offerId: "tea-club", channel: "email" }),
        presentation("offer:presentation-broken", { offerId: "tea-club" }),
      ],
    });

    const offered = await customerWhen(
      email("ann@example.com"),
      (r) => r.customer?.contacts?.offersPresented === 1,
    );
    expect(offered.customer?.contacts?.lastContactAt).toBe("2026-03-25T09:00:00.000Z");
    const timeline = await getTimeline(customerId);
    expect(timeline.entries[0]).toMatchObject({ eventId: "offer:presentation-1", kind: "offer_presented" });
    const dead = await readTopic(endpoints.kafkaBrokers, topics.deadLetter, {
      until: (records) =>
        records.some((record) => record.headers[deadLetterHeaders.reason] === "invalid_offer_event"),
      timeoutMs: 30_000,
    });
    expect(dead.some((record) => record.value?.includes("presentation-broken"))).toBe(true);
  });

  it("moves customers on as time passes when the clock ticks, and says the tick caused it", async () => {
    await scoring.tick(new Date("2026-07-01T00:00:00.000Z"));

    const ann = await customerWhen(email("ann@example.com"), (r) => r.customer?.lifecycleStage === "at_risk");
    expect(ann.customer?.asOf).toBe("2026-07-01T00:00:00.000Z");
    expect(ann.customer?.lifecycleHistory.at(-1)).toEqual({
      stage: "at_risk",
      since: "2026-06-18T10:00:00.000Z",
      eventId: "",
    });
    const changes = await readTopic(endpoints.kafkaBrokers, topics.customerChanges, {
      until: (records) =>
        records.filter((record) => JSON.parse(record.value ?? "{}").data.value === "at_risk").length >= 2,
      timeoutMs: 30_000,
    });
    const atRisk = changes
      .map((record) => JSON.parse(record.value ?? "{}").data)
      .filter((change) => change.value === "at_risk");
    expect(atRisk.map((change) => change.customerId).sort()).toEqual(
      [ann.customer?.customerId, (await getCustomer(email("bob@example.com"))).customer?.customerId].sort(),
    );
    for (const change of atRisk) expect(change.causeEventId).toMatch(/^tick:2026-07-01T00:00:00.000Z:/);
  });

  it("fits the population model on demand and scores RFM with its breakpoints", async () => {
    const fitted = await new Promise<RefitModelsResponse>((resolve, reject) =>
      client.refitModels({ asOf: "" }, (error, response) => (error ? reject(error) : resolve(response))),
    );
    expect(fitted.model).toMatchObject({ customers: 2, buyingCustomers: 2 });
    // Two buyers cannot identify a purchase-count model: it waits for more repeat buyers.
    expect(fitted.model?.purchaseCounts).toBeUndefined();

    const ann = await customerWhen(
      email("ann@example.com"),
      (r) => r.customer?.modelId === fitted.model?.modelId,
    );
    expect(ann.customer?.rfm).toMatchObject({ frequency: 4, monetaryMinor: 110_000 });
  });

  it("lists, reports and explains the population over gRPC, with proper status codes", async () => {
    const ask = <Response>(
      invoke: (done: (error: ServiceError | null, response: Response) => void) => void,
    ) =>
      new Promise<Response>((resolve, reject) =>
        invoke((error, response) => (error ? reject(error) : resolve(response))),
      );
    const list = (request: Partial<ListCustomersRequest>) =>
      ask<ListCustomersResponse>((done) =>
        client.listCustomers(ListCustomersRequest.fromPartial(request), done),
      );
    // Wait until both customers are scored with the model fitted above.
    const model = await ask<GetModelResponse>((done) => client.getModel({ asOf: "" }, done));
    await customerWhen(email("bob@example.com"), (r) => r.customer?.modelId === model.model?.modelId);

    const byRevenue = await list({ sort: CustomerSort.CUSTOMER_SORT_REVENUE, pageSize: 1 });
    expect(byRevenue.totalMatching).toBe(2);
    expect(byRevenue.customers).toHaveLength(1);
    expect(byRevenue.customers[0]?.revenueMinor).toBe(110_000);
    const nextPage = await list({
      sort: CustomerSort.CUSTOMER_SORT_REVENUE,
      pageSize: 1,
      pageToken: byRevenue.nextPageToken,
    });
    expect(nextPage.customers[0]?.revenueMinor).toBe(15_000);
    expect(nextPage.nextPageToken).toBe("");
    const lapsed = await list({ lifecycleStages: ["lapsed"] });
    expect(lapsed.customers.map((customer) => customer.lifecycleStage)).toEqual(["lapsed", "lapsed"]);

    const report = await ask<GetSegmentReportResponse>((done) => client.getSegmentReport({}, done));
    expect(report.customerBase).toMatchObject({ registered: 2, unique: 2, active: 0, meaningful: 0 });
    // Bob's two records at least; Ann's email-only call too when identity saw it before her order.
    expect(report.customerBase?.mergedDuplicates).toBeGreaterThanOrEqual(1);
    expect(report.tiers).toEqual([
      expect.objectContaining({ name: "purchasing", customers: 2, revenueMinor: 125_000 }),
    ]);
    expect(report.grid.reduce((sum, cell) => sum + (cell.figures?.customers ?? 0), 0)).toBe(2);

    const web = await ask<GetWebAnalyticsResponse>((done) =>
      client.getWebAnalytics({ from: "", to: "", top: 0 }, done),
    );
    expect(web).toMatchObject({ pageViews: 0, sessions: 0, visitors: 0 });
    expect(model.model?.rfmBreakpoints?.frequency).toHaveLength(4);

    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: ServiceError) => error.code,
      );
    expect(
      await refused(
        ask<GetCustomerResponse>((done) => client.getCustomer({ subject: undefined, asOf: "" }, done)),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await refused(
        ask<GetCustomerResponse>((done) =>
          client.getCustomer({ subject: { $case: "customerId", value: "cus_nobody" }, asOf: "" }, done),
        ),
      ),
    ).toBe(status.NOT_FOUND);
    expect(await refused(getCustomer(email("nobody@example.com")))).toBe(status.NOT_FOUND);
    expect(
      await refused(
        ask<GetCustomerResponse>((done) =>
          client.getCustomer({ subject: { $case: "customerId", value: "x" }, asOf: "yesterday" }, done),
        ),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await refused(
        ask<GetWebAnalyticsResponse>((done) =>
          client.getWebAnalytics({ from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z", top: 0 }, done),
        ),
      ),
    ).toBe(status.INVALID_ARGUMENT);
  });

  it("replays every projection from offset zero into a new version and swaps it in while serving", async () => {
    const identifiers = [email("ann@example.com"), email("bob@example.com")];
    const before = await Promise.all(identifiers.map((identifier) => getCustomer(identifier)));
    const progress: ReplayProgress[] = [];

    const result = await replayScoring({
      config: scoringConfig(),
      logger: pino({ level: "silent" }),
      onProgress: (step) => progress.push(step),
    });

    expect(result.activated).toMatchObject({ version: 2, consumerGroup: `${prefix}scoring-v2` });
    expect(progress.at(-1)?.consumed).toBeGreaterThan(0);
    await waitFor(() => scoring.projectionVersion() === 2, {
      description: "the live service to switch to version 2",
      timeoutMs: 20_000,
    });
    const after = await Promise.all(identifiers.map((identifier) => getCustomer(identifier)));
    expect(after).toEqual(before);

    // The rebuilt version is kept current from where the replay stopped.
    await appendToLog([order("shop:O-5", "2026-07-02T10:00:00.000Z", [customerNumber("C-1")], 5_000)]);
    await customerWhen(email("ann@example.com"), (r) => r.customer?.orders?.orders === 5);
  });
});
