import { type CallOptions, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { crmTopics, type Identifier } from "@rapport/events";
import { deadLetterHeaders } from "@rapport/kafka";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import {
  type DecideMatchResponse,
  IdentifierType,
  IdentityServiceClient,
  MatchDecision,
  type SplitCustomerResponse,
} from "@rapport/proto";
import { createTopics, infraEndpoints, readTopic, uniqueName, waitFor } from "@rapport/testing";
import { ConfigResourceTypes, Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionRecord } from "../src/adapters/decision-records.js";
import { createIdentityStore, type IdentityStore } from "../src/adapters/identity-store.js";
import { decisionLogTopic } from "../src/adapters/identity-topics.js";
import { createMatchStore, type MatchStore } from "../src/adapters/match-store.js";
import { type RunningIdentityService, startIdentityService } from "../src/app.js";
import { customerIdFoundedBy } from "../src/domain/identity-types.js";
import { proposalIdOf } from "../src/domain/probabilistic-match.js";
import {
  appendToLog,
  customerEvent,
  decisionsCommitted,
  personDecisionEvents,
  readToEnd,
  testIdentityConfig,
  testStoreLayout,
} from "./identity-harness.js";

const endpoints = infraEndpoints();
const decidedAt = new Date("2026-03-05T08:00:00.000Z");
const prefix = `${uniqueName("identity-decisions")}.`;
const names = { prefix, database: uniqueName("identity-decisions"), group: `${prefix}identity` };
const decisionLog = decisionLogTopic(prefix);
const kafka = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.NOTHING });
const fatalErrors: Error[] = [];
let producer: Producer;
let mongo: MongoConnection;
let service: RunningIdentityService;
let client: IdentityServiceClient;
let store: IdentityStore;
let matches: MatchStore;

const email = (value: string): Identifier => ({ type: "email", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

// Min-jun has a customer number in the shop and an email on the web; a reviewer is asked whether
// they are one person. A visitor's two cookies are one customer, one of them a shared laptop's.
const events = [
  customerEvent("shop:kim-1", [customerNumber("C-2001")], "2026-03-03T09:00:00.000Z"),
  customerEvent("web:kim-2", [email("minjun.k@example.net")], "2026-03-03T10:00:00.000Z"),
  customerEvent(
    "web:visit-1",
    [
      { type: "cookie_id", value: "ck-own" },
      { type: "cookie_id", value: "ck-shared" },
    ],
    "2026-03-03T11:00:00.000Z",
  ),
];
const kim = { number: customerIdFoundedBy("shop:kim-1"), web: customerIdFoundedBy("web:kim-2") };
const visitor = customerIdFoundedBy("web:visit-1");
const proposalId = proposalIdOf(kim.web, kim.number);

beforeAll(async () => {
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 1 }]);
  service = await startIdentityService({
    config: testIdentityConfig(endpoints, { ...names, instance: "decisions-1" }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
    clock: () => decidedAt,
  });
  client = new IdentityServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
  await appendToLog(producer, prefix, events);
  await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).resolvedEvents, {
    until: (records) => records.length >= events.length,
  });
  mongo = await connectMongo(endpoints.mongodbUri, names.database);
  store = await createIdentityStore(mongo.db, testStoreLayout);
  matches = await createMatchStore(mongo.db, testStoreLayout);
  await matches.addProposal({
    type: "MatchProposed",
    proposalId,
    customers: [kim.web, kim.number],
    score: 0.93,
    evidence: [{ field: "lastName", level: "exact", weight: 6.5 }],
    eventId: "web:kim-2",
    time: "2026-03-03T10:00:00.000Z",
  });
});

afterAll(async () => {
  client?.close();
  await refuseAppends(false).catch(() => undefined);
  await service?.stop();
  await producer?.disconnect();
  await mongo?.db.dropDatabase();
  await mongo?.close();
  expect(fatalErrors).toEqual([]);
});

/**
 * Makes the broker refuse (or accept again) every append to the decision log: the topic takes no
 * record larger than 64 bytes, so Kafka answers each append MESSAGE_TOO_LARGE. Back to the broker's
 * limit (and the topic's unlimited retention, which the same request sets) when accepting again.
 */
async function refuseAppends(refuse: boolean) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: decisionLog,
          configEntries: [
            { name: "retention.ms", value: "-1" },
            ...(refuse ? [{ name: "max.message.bytes", value: tinyRecordLimit }] : []),
          ],
        },
      ],
    });
    await waitFor(
      async () => {
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: decisionLog, configNames: ["max.message.bytes"] },
          ],
        });
        return (resources[0]?.configEntries[0]?.configValue === tinyRecordLimit) === refuse;
      },
      { description: `the broker to ${refuse ? "refuse" : "accept"} appends to ${decisionLog}` },
    );
  } finally {
    await admin.disconnect();
  }
}

const tinyRecordLimit = "64";

type Callback<Response> = (error: ServiceError | null, response: Response) => void;

/** One unary call as a promise, with a deadline. */
function ask<Response>(
  start: (metadata: Metadata, options: Partial<CallOptions>, callback: Callback<Response>) => unknown,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    start(new Metadata(), { deadline: Date.now() + 20_000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

const acceptMatch = () =>
  ask<DecideMatchResponse>((metadata, options, callback) =>
    client.decideMatch(
      {
        proposalId,
        decision: MatchDecision.MATCH_DECISION_ACCEPT,
        decidedBy: "reviewer",
        note: "same person",
        waitUntilApplied: true,
      },
      metadata,
      options,
      callback,
    ),
  );

const splitSharedCookie = () =>
  ask<SplitCustomerResponse>((metadata, options, callback) =>
    client.splitCustomer(
      {
        customerId: visitor,
        identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_COOKIE_ID, value: "ck-shared" }],
        reason: "a shared laptop",
        waitUntilApplied: true,
      },
      metadata,
      options,
      callback,
    ),
  );

async function refusal(answer: Promise<unknown>): Promise<{ code: status; details: string }> {
  const error = await answer.then(
    () => undefined,
    (failure: ServiceError) => failure,
  );
  if (error === undefined) throw new Error("the call was answered, not refused");
  return { code: error.code, details: error.details };
}

/** What the store holds of the customers, the proposal and the decision log, to compare before and after. */
async function storedState() {
  const customers = await store.customersByIds([kim.number, kim.web, visitor]);
  return {
    customers: customers.sort((a, b) => a._id.localeCompare(b._id)),
    proposal: await matches.proposal(proposalId),
    decisionLog: (await readToEnd(kafka, decisionLog)).length,
  };
}

describe("a person's decision is logged before anything changes", { timeout: 120_000 }, () => {
  it("DecideMatch: when it cannot be logged nothing changes and the answer says to retry; a retry merges, published once", async () => {
    const before = await storedState();
    expect(before.proposal?.status).toBe("open");
    expect(before.decisionLog).toBe(0);

    await refuseAppends(true);
    const refused = await refusal(acceptMatch());
    expect(refused.code).toBe(status.UNAVAILABLE);
    expect(refused.details).toMatch(/could not be logged .*nothing changed: try again/);
    expect(await storedState()).toEqual(before);
    expect(await personDecisionEvents(kafka, prefix)).toEqual([]);

    await refuseAppends(false);
    expect(await acceptMatch()).toEqual({
      customerId: kim.number,
      decisionId: `decision:${proposalId}`,
      applied: true,
    });
    const answer = await ask<{ customerId: string }>((metadata, options, callback) =>
      client.resolve(
        { identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "minjun.k@example.net" }] },
        metadata,
        options,
        callback,
      ),
    );
    expect(answer.customerId).toBe(kim.number);
    expect((await matches.proposal(proposalId))?.status).toBe("accepted");

    await decisionsCommitted(kafka, prefix, names.group);
    expect(await readToEnd(kafka, decisionLog)).toHaveLength(1);
    expect(await personDecisionEvents(kafka, prefix)).toEqual([
      {
        type: "MatchDecided",
        proposalId,
        decision: "accepted",
        decidedBy: "reviewer",
        note: "same person",
        eventId: `decision:${proposalId}`,
        time: decidedAt.toISOString(),
      },
      {
        type: "CustomersMerged",
        survivor: kim.number,
        merged: [kim.web],
        rule: "match_accepted",
        evidence: {
          kind: "match",
          score: 0.93,
          fields: [{ field: "lastName", level: "exact", weight: 6.5 }],
        },
        eventId: `decision:${proposalId}`,
        time: decidedAt.toISOString(),
      },
    ]);
  });

  it("SplitCustomer: when it cannot be logged nothing changes; a retry splits, published once", async () => {
    const before = await storedState();
    await refuseAppends(true);
    const refused = await refusal(splitSharedCookie());
    expect(refused.code).toBe(status.UNAVAILABLE);
    expect(refused.details).toMatch(/nothing changed: try again/);
    expect(await storedState()).toEqual(before);

    await refuseAppends(false);
    const split = await splitSharedCookie();
    expect(split).toMatchObject({ customerId: visitor, applied: true });
    const shared = await store.customerOfIdentifier({ type: "cookie_id", value: "ck-shared" });
    expect(shared?._id).toBe(split.newCustomerId);

    await decisionsCommitted(kafka, prefix, names.group);
    const splits = (await personDecisionEvents(kafka, prefix)).filter(({ type }) => type === "CustomerSplit");
    expect(splits).toEqual([
      {
        type: "CustomerSplit",
        customerId: visitor,
        newCustomerId: split.newCustomerId,
        identifiers: [{ type: "cookie_id", value: "ck-shared" }],
        reason: "a shared laptop",
        eventId: split.splitId,
        time: decidedAt.toISOString(),
      },
    ]);
  });

  it("the writer refuses a logged decision that no longer applies, dead-letters a record that is none, and goes on", async () => {
    // Checked when the cookie was still the visitor's; by the time the writer meets it, it was split off.
    const stale = {
      type: "CustomerSplit" as const,
      customerId: visitor,
      newCustomerId: customerIdFoundedBy("split:stale"),
      identifiers: [{ type: "cookie_id" as const, value: "ck-shared" }],
      reason: "the same laptop, asked twice",
      eventId: "split:stale",
      time: "2026-03-05T09:00:00.000Z",
    };
    await producer.send({
      topic: decisionLog,
      acks: -1,
      messages: [{ key: "broken", value: "{not a decision" }, decisionRecord(decisionLog, stale, {})],
    });
    await decisionsCommitted(kafka, prefix, names.group);
    expect(
      (await personDecisionEvents(kafka, prefix)).filter(({ type }) => type === "DecisionRefused"),
    ).toEqual([
      {
        type: "DecisionRefused",
        decisionId: "split:stale",
        reason: "identifier_not_owned",
        detail: `cookie_id:ck-shared does not belong to customer ${visitor}`,
        eventId: "split:stale@2026-03-05T09:00:00.000Z",
        time: "2026-03-05T09:00:00.000Z",
      },
    ]);
    expect(await store.customersByIds([stale.newCustomerId])).toEqual([]);
    const deadLetters = await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).deadLetter, {
      until: (records) => records.length >= 1,
    });
    expect(deadLetters.map((record) => [record.value, record.headers[deadLetterHeaders.reason]])).toEqual([
      ["{not a decision", "invalid_decision"],
    ]);
    // The writer goes on: the next decision is applied.
    const next = await ask<SplitCustomerResponse>((metadata, options, callback) =>
      client.splitCustomer(
        {
          customerId: kim.number,
          identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "minjun.k@example.net" }],
          reason: "his wife's email",
          waitUntilApplied: true,
        },
        metadata,
        options,
        callback,
      ),
    );
    expect(next.applied).toBe(true);
  });
});
