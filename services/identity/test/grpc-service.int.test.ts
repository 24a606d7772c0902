import { type CallOptions, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { type CustomerEvent, crmTopics, type EventType } from "@rapport/events";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import {
  type DecideMatchResponse,
  type GetIdentityGraphRequest,
  type GetIdentityGraphResponse,
  type GetIdentityStatsResponse,
  type Identifier,
  IdentifierType,
  IdentityServiceClient,
  type ListMatchProposalsResponse,
  type ListSourceRecordsResponse,
  MatchDecision,
  type ResolveResponse,
  type SourceRecord,
  type SplitCustomerRequest,
  type SplitCustomerResponse,
} from "@rapport/proto";
import { createTopics, infraEndpoints, readTopic, uniqueName } from "@rapport/testing";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionLogTopic } from "../src/adapters/identity-topics.js";
import { createMatchStore, type MatchStore } from "../src/adapters/match-store.js";
import { type RunningIdentityService, startIdentityService } from "../src/app.js";
import type { MatchProposed } from "../src/domain/identity-events.js";
import { customerIdFoundedBy } from "../src/domain/identity-types.js";
import { proposalIdOf } from "../src/domain/probabilistic-match.js";
import {
  appendToLog,
  decisionsCommitted,
  personDecisionEvents,
  readToEnd,
  testIdentityConfig,
  testStoreLayout,
} from "./identity-harness.js";

const endpoints = infraEndpoints();
const splitTime = new Date("2026-03-02T08:00:00.000Z");
const prefix = `${uniqueName("identity-grpc")}.`;
const names = { prefix, database: uniqueName("identity-grpc"), group: `${prefix}identity` };
const kafka = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN });
const fatalErrors: Error[] = [];
const running: RunningIdentityService[] = [];
let producer: Producer;
let mongo: MongoConnection;
let client: IdentityServiceClient;
let matches: MatchStore;
/** Events resolved so far: what a wait for the next ones counts from. */
let resolvedEvents = 0;

/** Identity as deployed, its clock at the split time: the writer, or one that stands by. */
async function startIdentity(instance: string) {
  const service = await startIdentityService({
    config: testIdentityConfig(endpoints, { ...names, instance }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
    clock: () => splitTime,
  });
  running.push(service);
  return service;
}

/** Appends events to crm.events and waits until identity has resolved them. */
async function resolveEvents(events: readonly CustomerEvent[]) {
  await appendToLog(producer, prefix, events);
  resolvedEvents += events.length;
  await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).resolvedEvents, {
    until: (records) => records.length >= resolvedEvents,
  });
}

/** What crm.identity holds of people's decisions, once every logged decision is applied. */
async function published() {
  await decisionsCommitted(kafka, prefix, names.group);
  return personDecisionEvents(kafka, prefix);
}

const email = (value: string): Identifier => ({ type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value });
const phone = (value: string): Identifier => ({ type: IdentifierType.IDENTIFIER_TYPE_PHONE, value });
const cookie = (value: string): Identifier => ({ type: IdentifierType.IDENTIFIER_TYPE_COOKIE_ID, value });
const customerNumber = (value: string): Identifier => ({
  type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER,
  value,
});

/** A crm.events event as ingestion appends it: normalised identifiers, UTC time, source from the id. */
function customerEvent(
  id: string,
  time: string,
  identifiers: CustomerEvent["data"]["customer"]["identifiers"],
  extra: {
    type?: EventType;
    traits?: CustomerEvent["data"]["customer"]["traits"];
  } = {},
): CustomerEvent {
  return {
    specversion: "1.0",
    id,
    source: id.slice(0, id.indexOf(":")),
    type: extra.type ?? "crm.v1.OrderPlaced",
    time,
    datacontenttype: "application/json",
    data: {
      customer: { identifiers, ...(extra.traits === undefined ? {} : { traits: extra.traits }) },
    },
  };
}

// Ann called the call center, then ordered as a new customer number; an order with both her
// customer number and her email joined the two. A visitor nobody knows browsed the shop.
const history = [
  customerEvent(
    "callcenter:call-1",
    "2026-03-01T09:00:00.000Z",
    [
      { type: "email", value: "ann@example.com" },
      { type: "phone", value: "+821012345678" },
    ],
    {
      type: "crm.v1.CallLogged",
      traits: {
        firstName: "Ann",
        lastName: "Lee",
        address: { line1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", countryCode: "KR" },
      },
    },
  ),
  customerEvent("shop:order-1", "2026-03-01T10:00:00.000Z", [{ type: "customer_number", value: "C-1001" }], {
    traits: { firstName: "Anne" },
  }),
  customerEvent("shop:order-2", "2026-03-01T11:00:00.000Z", [
    { type: "customer_number", value: "C-1001" },
    { type: "email", value: "ann@example.com" },
  ]),
  customerEvent("web:visit-1", "2026-03-01T12:00:00.000Z", [{ type: "cookie_id", value: "ck-9" }], {
    type: "crm.v1.PageViewed",
  }),
  customerEvent("app:profile-1", "2026-03-01T13:00:00.000Z", [{ type: "email", value: "ann@example.com" }], {
    type: "crm.v1.ProfileUpdated",
    traits: { birthDate: "1990-04-01" },
  }),
];
const ann = customerIdFoundedBy("callcenter:call-1");
const annsOrderAccount = customerIdFoundedBy("shop:order-1");
const visitor = customerIdFoundedBy("web:visit-1");

beforeAll(async () => {
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // One partition: the events are resolved in the order they happened.
  await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 1 }]);
  const writer = await startIdentity("grpc-1");
  await resolveEvents(history);
  mongo = await connectMongo(endpoints.mongodbUri, names.database);
  matches = await createMatchStore(mongo.db, testStoreLayout);
  client = new IdentityServiceClient(`127.0.0.1:${writer.grpcPort}`, credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await Promise.all(running.map((service) => service.stop()));
  await producer?.disconnect();
  await mongo?.db.dropDatabase();
  await mongo?.close();
  expect(fatalErrors).toEqual([]);
});

type Callback<Response> = (error: ServiceError | null, response: Response) => void;

/** One unary call of the generated client as a promise, with a deadline. */
function ask<Response>(
  start: (metadata: Metadata, options: Partial<CallOptions>, callback: Callback<Response>) => unknown,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    start(new Metadata(), { deadline: Date.now() + 10_000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

const resolve = (identifiers: Identifier[]) =>
  ask<ResolveResponse>((metadata, options, callback) =>
    client.resolve({ identifiers }, metadata, options, callback),
  );
const identityGraph = (subject: GetIdentityGraphRequest["subject"]) =>
  ask<GetIdentityGraphResponse>((metadata, options, callback) =>
    client.getIdentityGraph({ subject }, metadata, options, callback),
  );
const split = (request: Omit<SplitCustomerRequest, "waitUntilApplied">, on = client) =>
  ask<SplitCustomerResponse>((metadata, options, callback) =>
    on.splitCustomer({ ...request, waitUntilApplied: true }, metadata, options, callback),
  );
const identityStats = () =>
  ask<GetIdentityStatsResponse>((metadata, options, callback) =>
    client.getIdentityStats({}, metadata, options, callback),
  );
const proposalsPage = (pageSize: number, pageToken: string, minScore: number) =>
  ask<ListMatchProposalsResponse>((metadata, options, callback) =>
    client.listMatchProposals({ pageSize, pageToken, minScore }, metadata, options, callback),
  );
const decide = (proposalId: string, decision: MatchDecision) =>
  ask<DecideMatchResponse>((metadata, options, callback) =>
    client.decideMatch(
      { proposalId, decision, decidedBy: "qa", note: "", waitUntilApplied: true },
      metadata,
      options,
      callback,
    ),
  );
const sourceRecordsPage = (pageSize: number, pageToken = "") =>
  ask<ListSourceRecordsResponse>((metadata, options, callback) =>
    client.listSourceRecords({ pageSize, pageToken }, metadata, options, callback),
  );

/** The status a refused call answered, and its message. */
async function refusal(answer: Promise<unknown>): Promise<{ code: status; details: string }> {
  const error = await answer.then(
    () => undefined,
    (failure: ServiceError) => failure,
  );
  if (error === undefined) throw new Error("the call was answered, not refused");
  return { code: error.code, details: error.details };
}

describe("IdentityService over gRPC, on a graph resolved from Kafka into FerretDB", () => {
  it("Resolve answers the survivor for an identifier of a merged customer, normalising what it is given", async () => {
    expect(await resolve([email("  Ann@Example.COM ")])).toEqual({
      customerId: ann,
      matchedBy: email("ann@example.com"),
    });
    expect((await resolve([customerNumber("C-1001")])).customerId).toBe(ann);
    // A national number is read in the default region, as ingestion reads it.
    expect(await resolve([phone("010-1234-5678")])).toEqual({
      customerId: ann,
      matchedBy: phone("+821012345678"),
    });
  });

  it("Resolve lets the strongest known identifier decide", async () => {
    const answer = await resolve([cookie("ck-9"), email("ann@example.com"), customerNumber("C-404")]);
    // C-404 is stronger but unknown; the email outranks the visitor's cookie.
    expect(answer).toEqual({ customerId: ann, matchedBy: email("ann@example.com") });
    expect((await resolve([cookie("ck-9")])).customerId).toBe(visitor);
  });

  it("Resolve refuses unknown, missing and malformed identifiers", async () => {
    expect(await refusal(resolve([email("nobody@example.com")]))).toMatchObject({ code: status.NOT_FOUND });
    expect(await refusal(resolve([]))).toMatchObject({ code: status.INVALID_ARGUMENT });
    expect(await refusal(resolve([email("ann@example.com"), email("not-an-address")]))).toEqual({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('"not-an-address"'),
    });
    const untyped = { type: IdentifierType.IDENTIFIER_TYPE_UNSPECIFIED, value: "x" };
    expect(await refusal(resolve([untyped]))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("GetIdentityGraph of a merged id answers its survivor: aliases, identifiers, merges, golden record, sources", async () => {
    const { graph } = await identityGraph({ $case: "customerId", value: annsOrderAccount });
    expect(graph).toEqual({
      customerId: ann,
      aliases: [annsOrderAccount],
      identifiers: [
        {
          identifier: customerNumber("C-1001"),
          eventId: "shop:order-1",
          linkedAt: "2026-03-01T10:00:00.000Z",
        },
        {
          identifier: email("ann@example.com"),
          eventId: "callcenter:call-1",
          linkedAt: "2026-03-01T09:00:00.000Z",
        },
        {
          identifier: phone("+821012345678"),
          eventId: "callcenter:call-1",
          linkedAt: "2026-03-01T09:00:00.000Z",
        },
      ],
      merges: [
        {
          survivor: ann,
          merged: [annsOrderAccount],
          rule: "shared_identifier",
          evidence: [
            { field: "customer_number", level: "exact", leftValue: "C-1001", rightValue: "", weight: 0 },
            { field: "email", level: "exact", leftValue: "ann@example.com", rightValue: "", weight: 0 },
          ],
          eventId: "shop:order-2",
          mergedAt: "2026-03-01T11:00:00.000Z",
        },
      ],
      goldenRecord: [
        trait("firstName", "Anne", "shop:order-1", "10:00"),
        trait("lastName", "Lee", "callcenter:call-1", "09:00"),
        trait("email", "ann@example.com", "app:profile-1", "13:00"),
        trait("phone", "+821012345678", "callcenter:call-1", "09:00"),
        trait("birthDate", "1990-04-01", "app:profile-1", "13:00"),
        trait("postalAddress", "1 Sejong-daero, Seoul, 04524, KR", "callcenter:call-1", "09:00"),
      ],
      eventsBySource: [
        { source: "app", events: 1 },
        { source: "callcenter", events: 1 },
        { source: "shop", events: 2 },
      ],
      firstSeenAt: "2026-03-01T09:00:00.000Z",
    });
  });

  it("GetIdentityGraph finds a customer by identifier, and refuses what it does not know", async () => {
    const byIdentifier = await identityGraph({ $case: "identifier", value: customerNumber(" C-1001 ") });
    expect(byIdentifier.graph?.customerId).toBe(ann);
    expect(await refusal(identityGraph({ $case: "customerId", value: "cus_nobody" }))).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await refusal(identityGraph({ $case: "identifier", value: cookie("ck-unknown") }))).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(await refusal(identityGraph(undefined))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("GetIdentityStats counts source records, customers, merged duplicates and anonymous visitors", async () => {
    expect(await identityStats()).toEqual({
      stats: { sourceRecords: 4, uniqueCustomers: 2, duplicatesMerged: 1, anonymousOnlyCustomers: 1 },
    });
  });

  it("ListSourceRecords pages through every source record in id order, each with its customer today", async () => {
    const records: SourceRecord[] = [];
    const tokens: string[] = [];
    let pageToken = "";
    do {
      const page = await sourceRecordsPage(3, pageToken);
      records.push(...page.sourceRecords);
      pageToken = page.nextPageToken;
      tokens.push(pageToken);
    } while (pageToken !== "");
    expect(tokens).toHaveLength(2);
    expect(records).toEqual([
      { sourceRecordId: "app/email:ann@example.com", source: "app", customerId: ann },
      { sourceRecordId: "callcenter/email:ann@example.com", source: "callcenter", customerId: ann },
      // Recorded under the customer its first order founded, which has since been merged into Ann.
      { sourceRecordId: "shop/customer_number:C-1001", source: "shop", customerId: ann },
      { sourceRecordId: "web/cookie_id:ck-9", source: "web", customerId: visitor },
    ]);
    const wholeExport = await sourceRecordsPage(0);
    expect(wholeExport).toEqual({ sourceRecords: records, nextPageToken: "" });
    expect(await refusal(sourceRecordsPage(3, "not a token!"))).toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    expect(await refusal(sourceRecordsPage(-1))).toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("SplitCustomer refuses what cannot be split, with a status per reason, and publishes nothing", async () => {
    const reason = "wrongly joined";
    const cases: [Omit<SplitCustomerRequest, "waitUntilApplied">, status][] = [
      [{ customerId: "cus_nobody", identifiers: [email("ann@example.com")], reason }, status.NOT_FOUND],
      [{ customerId: ann, identifiers: [cookie("ck-9")], reason }, status.FAILED_PRECONDITION],
      [{ customerId: visitor, identifiers: [cookie("ck-9")], reason }, status.FAILED_PRECONDITION],
      [{ customerId: ann, identifiers: [], reason }, status.INVALID_ARGUMENT],
      [{ customerId: ann, identifiers: [email("ann@example.com")], reason: "  " }, status.INVALID_ARGUMENT],
      [{ customerId: "", identifiers: [email("ann@example.com")], reason }, status.INVALID_ARGUMENT],
      [{ customerId: ann, identifiers: [phone("12")], reason }, status.INVALID_ARGUMENT],
    ];
    for (const [request, code] of cases) {
      expect(await refusal(split(request)), JSON.stringify(request)).toMatchObject({ code });
    }
    const notOwned = await refusal(split(cases[1]?.[0] as SplitCustomerRequest));
    expect(notOwned.details).toContain("cookie_id:ck-9");
    // Refused when checked: nothing was logged, so nothing is applied or published.
    expect(await readToEnd(kafka, decisionLogTopic(prefix))).toEqual([]);
    expect(await published()).toEqual([]);
  });

  it("SplitCustomer logs the split, and the writer moves the identifiers to a new customer that they resolve to from then on, and publishes the split", async () => {
    const reason = "the phone is her husband's";
    // Named through the merged id, with the phone written as people type it.
    const answer = await split({
      customerId: annsOrderAccount,
      identifiers: [phone("010-1234-5678")],
      reason,
    });
    expect(answer).toEqual({
      customerId: ann,
      newCustomerId: expect.stringMatching(/^cus_/),
      splitId: expect.stringMatching(/^split:/),
      applied: true,
    });
    expect(answer.newCustomerId).not.toBe(ann);
    expect(answer.newCustomerId).toBe(customerIdFoundedBy(answer.splitId));

    expect(await resolve([phone("+821012345678")])).toEqual({
      customerId: answer.newCustomerId,
      matchedBy: phone("+821012345678"),
    });
    expect((await resolve([email("ann@example.com")])).customerId).toBe(ann);
    expect(await published()).toEqual([
      {
        type: "CustomerSplit",
        customerId: ann,
        newCustomerId: answer.newCustomerId,
        identifiers: [{ type: "phone", value: "+821012345678" }],
        reason,
        eventId: answer.splitId,
        time: splitTime.toISOString(),
      },
    ]);

    const { graph } = await identityGraph({ $case: "customerId", value: answer.newCustomerId });
    expect(graph?.identifiers.map(({ identifier }) => identifier)).toEqual([phone("+821012345678")]);
    expect(graph?.firstSeenAt).toBe(splitTime.toISOString());
    const annAfter = await identityGraph({ $case: "customerId", value: ann });
    expect(annAfter.graph?.identifiers.map(({ identifier }) => identifier)).toEqual([
      customerNumber("C-1001"),
      email("ann@example.com"),
    ]);
    expect(await identityStats()).toEqual({
      stats: { sourceRecords: 4, uniqueCustomers: 3, duplicatesMerged: 1, anonymousOnlyCustomers: 1 },
    });
    // The phone is no longer Ann's: splitting it from her again is refused.
    expect(
      await refusal(split({ customerId: ann, identifiers: [phone("+821012345678")], reason })),
    ).toMatchObject({ code: status.FAILED_PRECONDITION });
  });

  it("ListMatchProposals pages the review queue by score, and DecideMatch merges, refuses or rejects", async () => {
    const kim = { number: customerIdFoundedBy("shop:kim-1"), web: customerIdFoundedBy("web:kim-2") };
    const lee = { first: customerIdFoundedBy("shop:lee-1"), second: customerIdFoundedBy("shop:lee-2") };
    await resolveEvents([
      customerEvent("shop:kim-1", "2026-03-03T09:00:00.000Z", [{ type: "customer_number", value: "C-2001" }]),
      customerEvent("web:kim-2", "2026-03-03T10:00:00.000Z", [
        { type: "email", value: "minjun.k@example.net" },
      ]),
      customerEvent("shop:lee-1", "2026-03-03T11:00:00.000Z", [{ type: "customer_number", value: "C-3001" }]),
      customerEvent("shop:lee-2", "2026-03-03T12:00:00.000Z", [{ type: "customer_number", value: "C-3002" }]),
    ]);
    const proposal = (customers: [string, string], score: number): MatchProposed => ({
      type: "MatchProposed",
      proposalId: proposalIdOf(...customers),
      customers,
      score,
      evidence: [
        { field: "lastName", level: "exact", weight: 6.5 },
        { field: "birthDate", level: "exact", weight: 8.2 },
      ],
      eventId: "web:kim-2",
      time: "2026-03-03T10:00:00.000Z",
    });
    const kimsPair = proposal([kim.web, kim.number], 0.93);
    const leesPair = proposal([lee.first, lee.second], 0.88);
    await matches.addProposal(kimsPair);
    await matches.addProposal(leesPair);

    const first = await proposalsPage(1, "", 0);
    expect(first.proposals.map((p) => [p.proposalId, p.leftCustomerId, p.rightCustomerId, p.score])).toEqual([
      [kimsPair.proposalId, kim.web, kim.number, 0.93],
    ]);
    expect(first.proposals[0]?.matchWeight).toBeCloseTo(14.7);
    expect(first.proposals[0]?.evidence[1]).toMatchObject({
      field: "birthDate",
      level: "exact",
      weight: 8.2,
    });
    const second = await proposalsPage(1, first.nextPageToken, 0);
    expect(second.proposals.map((p) => p.proposalId)).toEqual([leesPair.proposalId]);
    expect(second.nextPageToken).toBe("");
    expect((await proposalsPage(0, "", 0.9)).proposals.map((p) => p.proposalId)).toEqual([
      kimsPair.proposalId,
    ]);

    const accepted = await decide(kimsPair.proposalId, MatchDecision.MATCH_DECISION_ACCEPT);
    expect(accepted).toEqual({
      customerId: kim.number,
      decisionId: `decision:${kimsPair.proposalId}`,
      applied: true,
    });
    expect((await resolve([email("minjun.k@example.net")])).customerId).toBe(kim.number);
    const decisions = async (proposalId: string) =>
      (await published()).filter(({ eventId }) => eventId === `decision:${proposalId}`);
    expect(await decisions(kimsPair.proposalId)).toEqual([
      {
        type: "MatchDecided",
        proposalId: kimsPair.proposalId,
        decision: "accepted",
        decidedBy: "qa",
        note: "",
        eventId: `decision:${kimsPair.proposalId}`,
        time: splitTime.toISOString(),
      },
      {
        type: "CustomersMerged",
        survivor: kim.number,
        merged: [kim.web],
        rule: "match_accepted",
        evidence: { kind: "match", score: 0.93, fields: kimsPair.evidence },
        eventId: `decision:${kimsPair.proposalId}`,
        time: splitTime.toISOString(),
      },
    ]);
    expect(await refusal(decide(kimsPair.proposalId, MatchDecision.MATCH_DECISION_REJECT))).toMatchObject({
      code: status.FAILED_PRECONDITION,
    });
    // Accepting again (an answer lost, the request sent again) answers as before, and logs nothing more.
    expect(await decide(kimsPair.proposalId, MatchDecision.MATCH_DECISION_ACCEPT)).toEqual(accepted);
    expect(await decisions(kimsPair.proposalId)).toHaveLength(2);

    // Two customer numbers are two accounts: a person cannot merge them either.
    expect(await refusal(decide(leesPair.proposalId, MatchDecision.MATCH_DECISION_ACCEPT))).toEqual({
      code: status.FAILED_PRECONDITION,
      details:
        "the identity rules keep these customers apart (customer_number_conflict); split or correct the records instead",
    });
    expect((await decide(leesPair.proposalId, MatchDecision.MATCH_DECISION_REJECT)).customerId).toBe("");
    expect(await decisions(leesPair.proposalId)).toEqual([
      expect.objectContaining({ type: "MatchDecided", decision: "rejected" }),
    ]);
    expect((await proposalsPage(0, "", 0)).proposals).toEqual([]);
    expect(await refusal(decide("match:nothing", MatchDecision.MATCH_DECISION_ACCEPT))).toMatchObject({
      code: status.NOT_FOUND,
    });
    // A split and two decisions were logged; none was refused when it was applied.
    expect((await published()).map(({ type }) => type).sort()).toEqual([
      "CustomerSplit",
      "CustomersMerged",
      "MatchDecided",
      "MatchDecided",
    ]);
  });
});

describe("IdentityService on an instance standing by while another writes the graph", () => {
  it("answers reads and refuses changes with UNAVAILABLE, saying why", async () => {
    const standby = await startIdentity("grpc-2");
    expect(standby.isWriter()).toBe(false);
    const standbyClient = new IdentityServiceClient(
      `127.0.0.1:${standby.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      const logged = (await readToEnd(kafka, decisionLogTopic(prefix))).length;
      const answer = await ask<ResolveResponse>((metadata, options, callback) =>
        standbyClient.resolve({ identifiers: [email("ann@example.com")] }, metadata, options, callback),
      );
      expect(answer.customerId).toBe(ann);
      const refused = await refusal(
        split(
          { customerId: ann, identifiers: [phone("+821012345678")], reason: "shared phone" },
          standbyClient,
        ),
      );
      expect(refused.code).toBe(status.UNAVAILABLE);
      expect(refused.details).toMatch(/stands by while another writes the graph/);
      expect(await readToEnd(kafka, decisionLogTopic(prefix))).toHaveLength(logged);
    } finally {
      standbyClient.close();
    }
  });
});

function trait(name: string, value: string, eventId: string, clock: string) {
  return {
    name,
    value,
    source: eventId.slice(0, eventId.indexOf(":")),
    eventId,
    observedAt: `2026-03-01T${clock}:00.000Z`,
  };
}
