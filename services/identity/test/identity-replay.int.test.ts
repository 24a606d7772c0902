import { credentials } from "@grpc/grpc-js";
import { type CustomerEvent, crmTopics, type Identifier } from "@rapport/events";
import { callUnary } from "@rapport/grpc";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { IdentifierType, IdentityServiceClient, MatchDecision } from "@rapport/proto";
import { infraEndpoints, readTopic, uniqueName, waitFor } from "@rapport/testing";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerOfStored, type StoredCustomer } from "../src/adapters/customer-documents.js";
import { createMatchStore } from "../src/adapters/match-store.js";
import { type RunningIdentityService, replayIdentity, startIdentityService } from "../src/app.js";
import type { IdentityConfig } from "../src/config.js";
import { appendToLog, customerEvent, testIdentityConfig, testStoreLayout } from "./identity-harness.js";
import { fittedLikeModel } from "./match-model-fixture.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("identity-replay")}.`;
const database = uniqueName("identity");
const config: IdentityConfig = {
  ...testIdentityConfig(endpoints, { prefix, database, group: `${prefix}identity`, instance: "replay-it" }),
  IDENTITY_MATCH_AUTO_MERGE: 0.999,
  IDENTITY_MATCH_REVIEW: 0.9,
};
const logger = pino({ level: "silent" });
const fatalErrors: Error[] = [];
let producer: Producer;
let mongo: MongoConnection;
let service: RunningIdentityService;
let client: IdentityServiceClient;

const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });
const cookie = (value: string): Identifier => ({ type: "cookie_id", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

/** A Korean mobile number per person: +82 10 1<batch letter's place><six digits>. */
const phoneOf = (batch: string, n: number) =>
  phone(`+82101${batch.charCodeAt(0) - 96}${String(n).padStart(6, "0")}`);

/**
 * People met in pieces: an order by email, a call by phone, a visit by cookie, then an event that
 * carries two of them (a merge, decided on whichever partition it lands on), and for every third
 * person a second account (a merge refused).
 */
function fragmentedPeople(batch: string, people: number): CustomerEvent[] {
  const at = (day: number) => `2026-02-${String(day).padStart(2, "0")}T09:00:00.000Z`;
  return Array.from({ length: people }, (_, n) => {
    const id = `${batch}-${n}`;
    const mail = email(`${id}@example.com`);
    const mobile = phoneOf(batch, n);
    return [
      customerEvent(`shop:${id}`, [customerNumber(`C-${id}`), mail], at(1), {
        preferences: { "favourite.category": n % 2 === 0 ? "tea" : "coffee" },
      }),
      customerEvent(`callcenter:${id}`, [mobile], at(2)),
      customerEvent(`web:${id}`, [cookie(`ck-${id}`)], at(3)),
      customerEvent(`web:${id}-login`, [mail, cookie(`ck-${id}`), mobile], at(4)),
      ...(n % 3 === 0 ? [customerEvent(`shop:${id}-second`, [customerNumber(`D-${id}`), mail], at(5))] : []),
    ];
  }).flat();
}

const append = (events: readonly CustomerEvent[]) => appendToLog(producer, prefix, events);

/** The ids of the events on crm.events.resolved, once there are `count` of them. */
async function resolvedEventIds(count: number): Promise<string[]> {
  const records = await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).resolvedEvents, {
    until: (found) => found.length >= count,
    timeoutMs: 120_000,
  });
  return records.map((record) => JSON.parse(record.value ?? "{}").id as string);
}

/**
 * Every document of a build of the graph, by collection. Aside: the lock documents (they come and
 * go) and the blocking index (live, a customer is filed under the keys of each state it was matched
 * in, and keeps them; a rebuild files each customer once, under its keys of now). Lists are sorted
 * where their order is the order decisions happened to be applied in.
 */
async function graphDocuments(databaseName: string): Promise<Record<string, unknown[]>> {
  const db = mongo.client.db(databaseName);
  const names = (await db.listCollections().toArray())
    .map(({ name }) => name)
    .filter(
      (name) =>
        !["writer_leases", "projection_versions", "projection_version_claims", "identity_switch"].includes(
          name,
        ),
    )
    .sort();
  const documents: Record<string, unknown[]> = {};
  for (const name of names) {
    const found = await db.collection<StoredCustomer>(name).find({}).sort({ _id: 1 }).toArray();
    documents[name] = found.map((stored) => {
      if (!name.startsWith("customers")) return stored;
      const document = customerOfStored(stored);
      const identifiers = Object.fromEntries(
        Object.entries(document.identifiers as Record<string, string[]>).map(([type, values]) => [
          type,
          [...values].sort(),
        ]),
      );
      return {
        ...document,
        identifiers,
        ...(document.keptApartFrom ? { keptApartFrom: [...document.keptApartFrom].sort() } : {}),
      };
    });
  }
  return documents;
}

/**
 * Min-jun signs up in the shop, then on the web with his name spelt another way (probabilistic
 * matching merges them), then a caller with a similar name and his birth date (a proposal for review).
 */
const minjunTraits = {
  firstName: "Min-jun",
  lastName: "Kim",
  birthDate: "1985-05-05",
  address: { line1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", countryCode: "KR" },
};
const minjun = [
  customerEvent("shop:signup-mj", [customerNumber("C-MJ")], "2026-04-01T09:00:00.000Z", {
    traits: minjunTraits,
  }),
  customerEvent("web:signup-mj", [email("minjun.kim@example.net")], "2026-04-02T09:00:00.000Z", {
    traits: { ...minjunTraits, firstName: "Minjun" },
  }),
  customerEvent("callcenter:call-mj", [phone("+821099998888")], "2026-04-03T09:00:00.000Z", {
    traits: { firstName: "Minsu", lastName: "Kim", birthDate: "1985-05-05" },
  }),
];

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  mongo = await connectMongo(endpoints.mongodbUri, database);
  // A model as if fitted on a large population (a test holds a few dozen customers).
  const matches = await createMatchStore(mongo.db, testStoreLayout);
  await matches.saveModel({
    model: fittedLikeModel,
    fittedAt: "2026-04-01T00:00:00.000Z",
    records: 1_000,
    candidatePairs: 0,
  });
  service = await startIdentityService({ config, logger, onFatal: (error) => fatalErrors.push(error) });
  client = new IdentityServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await producer?.disconnect();
  for (const name of [database, `${database}_v2`, `${database}_v3`, `${database}_v4`])
    await mongo?.client.db(name).dropDatabase();
  await mongo?.close();
  expect(fatalErrors).toEqual([]);
});

describe("rapport replay identity", { timeout: 300_000 }, () => {
  const before = [...fragmentedPeople("a", 24), ...minjun];
  const during = fragmentedPeople("b", 24);
  const after = fragmentedPeople("c", 4);

  it("rebuilds the graph from identity's log into a new version that equals the one decided live", async () => {
    const people = fragmentedPeople("a", 24);
    await append(people);
    // Matching compares a customer with those there before it: Min-jun's events one after the other.
    for (const [index, event] of minjun.entries()) {
      await append([event]);
      await resolvedEventIds(people.length + index + 1);
    }
    const [proposal] = (
      await callUnary(client, client.listMatchProposals, { minScore: 0, pageSize: 10, pageToken: "" }, 10_000)
    ).proposals;
    expect(proposal?.rightCustomerId).toMatch(/^cus_/);
    await callUnary(
      client,
      client.decideMatch,
      {
        proposalId: proposal?.proposalId ?? "",
        decision: MatchDecision.MATCH_DECISION_ACCEPT,
        decidedBy: "reviewer",
        note: "same birth date, same surname, called about his order",
        waitUntilApplied: true,
      },
      10_000,
    );
    // A person splits one customer's phone off: a decision made over gRPC, logged on crm.identity.
    const { customerId } = await callUnary(
      client,
      client.resolve,
      {
        identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "a-0@example.com" }],
      },
      10_000,
    );
    await callUnary(
      client,
      client.splitCustomer,
      {
        customerId,
        identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_PHONE, value: phoneOf("a", 0).value }],
        reason: "the phone is a colleague's",
        waitUntilApplied: true,
      },
      10_000,
    );

    const progress: number[] = [];
    const result = await replayIdentity({
      config,
      logger,
      settleMs: 2_000,
      onProgress: ({ consumed }) => progress.push(consumed),
    });
    expect(result.previous.version).toBe(1);
    expect(result.activated).toMatchObject({ version: 2, database: `${database}_v2` });
    expect(progress.at(-1)).toBe(result.records);
    const live = await graphDocuments(database);
    expect(await graphDocuments(`${database}_v2`)).toEqual(live);
    const merges = Object.entries(live)
      .filter(([name]) => name.startsWith("customers"))
      .flatMap(([, documents]) => documents as { merge?: { rule: string } }[])
      .map((document) => document.merge?.rule);
    expect(merges).toEqual(
      expect.arrayContaining(["probabilistic_match", "match_accepted", "anonymous_stitch"]),
    );
    await waitFor(() => service.graphVersion() === 2, { description: "identity to serve version 2" });
  });

  it("switches the running deciders over while events keep arriving, losing and repeating none", async () => {
    const appending = (async () => {
      for (let start = 0; start < during.length; start += 6) {
        await append(during.slice(start, start + 6));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const result = await replayIdentity({ config, logger, settleMs: 3_000 });
    await appending;
    expect(result.activated.version).toBe(3);
    await append(after);

    const ids = await resolvedEventIds(before.length + during.length + after.length);
    const expected = [...before, ...during, ...after].map(({ id }) => id);
    expect([...ids].sort()).toEqual([...expected].sort());
    await waitFor(() => service.graphVersion() === 3, { description: "identity to serve version 3" });
    // The last events were decided on the rebuilt graph.
    const answer = await callUnary(
      client,
      client.resolve,
      {
        identifiers: [{ type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "c-3@example.com" }],
      },
      10_000,
    );
    expect(answer.customerId).toMatch(/^cus_/);

    // Rebuilt once more from the log alone, the graph is the one the switched deciders hold: nothing
    // decided during the switch went missing from it or was decided on the old build.
    await replayIdentity({ config, logger, settleMs: 1_000 });
    expect(await graphDocuments(`${database}_v4`)).toEqual(await graphDocuments(`${database}_v3`));
  });
});
