import { crmTopics, type Identifier } from "@rapport/events";
import { deadLetterHeaders } from "@rapport/kafka";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { createTopics, infraEndpoints, readTopic, type TopicRecord, uniqueName } from "@rapport/testing";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goldenRecordOfDocument } from "../src/adapters/customer-documents.js";
import { createIdentityStore } from "../src/adapters/identity-store.js";
import { type RunningIdentityService, startIdentityService } from "../src/app.js";
import { identifierKey } from "../src/domain/identity-types.js";
import { appendToLog, customerEvent, testIdentityConfig, testStoreLayout } from "./identity-harness.js";

const endpoints = infraEndpoints();
let producer: Producer;
const running: RunningIdentityService[] = [];
const connections: MongoConnection[] = [];
const fatalErrors: Error[] = [];

beforeAll(async () => {
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await Promise.all(running.map((service) => service.stop()));
  await Promise.all(connections.map((connection) => connection.close()));
  expect(fatalErrors).toEqual([]);
});

async function startIdentity(names: { prefix: string; database: string; group: string; instance: string }) {
  const service = await startIdentityService({
    config: testIdentityConfig(endpoints, names),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  running.push(service);
  return service;
}

type Resolved = { eventId: string; customerId: string; key: string | null };

const resolvedOf = (records: readonly TopicRecord[]): Resolved[] =>
  records.map((record) => {
    const value = JSON.parse(record.value ?? "{}");
    return { eventId: value.id, customerId: value.customerid, key: record.key };
  });

function readResolved(prefix: string, until: (resolved: Resolved[]) => boolean) {
  return readTopic(endpoints.kafkaBrokers, crmTopics(prefix).resolvedEvents, {
    until: (records) => until(resolvedOf(records)),
    timeoutMs: 90_000,
  }).then(resolvedOf);
}

async function openStore(database: string) {
  const connection = await connectMongo(endpoints.mongodbUri, database);
  connections.push(connection);
  return createIdentityStore(connection.db, testStoreLayout);
}

const cookie = (value: string): Identifier => ({ type: "cookie_id", value });
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

describe("identity against a real Kafka broker and FerretDB", () => {
  const prefix = `${uniqueName("identity-it")}.`;
  const events = [
    customerEvent("web:1", [cookie("c-ann")], "2026-01-01T09:00:00.000Z"),
    customerEvent(
      "shop:2",
      [customerNumber("C-1"), email("ann@example.com"), cookie("c-ann")],
      "2026-01-02T09:00:00.000Z",
      {
        traits: { firstName: "Ann", lastName: "Kim" },
        preferences: { "favourite.category": "tea" },
      },
    ),
    customerEvent(
      "callcenter:3",
      [phone("+821012345678"), email("ann@example.com")],
      "2026-01-03T09:00:00.000Z",
    ),
    customerEvent("shop:4", [customerNumber("C-2"), email("bob@example.com")], "2026-01-04T09:00:00.000Z"),
    customerEvent("web:5", [cookie("c-bob")], "2026-01-05T09:00:00.000Z"),
    customerEvent("web:6", [email("bob@example.com"), cookie("c-bob")], "2026-01-06T09:00:00.000Z"),
    customerEvent("shop:7", [customerNumber("C-3"), email("ann@example.com")], "2026-01-07T09:00:00.000Z"),
  ];
  const firstRun = { prefix, database: uniqueName("identity"), group: `${prefix}identity`, instance: "it-1" };

  it("appends every event to crm.events.resolved keyed by its customer id, and emits what it decided on crm.identity", async () => {
    // One partition: the events are resolved in the order they happened, as one customer's events
    // are (ingestion keys each by its strongest identifier). Several partitions: see the next describe.
    await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 1 }]);
    await startIdentity(firstRun);
    await appendToLog(producer, prefix, events);

    const resolved = await readResolved(prefix, (found) => found.length >= events.length);
    expect(resolved.map(({ eventId }) => eventId).sort()).toEqual(events.map(({ id }) => id).sort());
    for (const record of resolved) expect(record.key).toBe(record.customerId);
    const customerOf = new Map(resolved.map(({ eventId, customerId }) => [eventId, customerId]));

    // Ann: an anonymous cookie, then a login with her customer number, then a call with her email.
    expect(customerOf.get("shop:2")).toBe(customerOf.get("web:1"));
    expect(customerOf.get("callcenter:3")).toBe(customerOf.get("web:1"));
    // Bob: known by his order, and a visitor's cookie that logs in later: the visitor is merged into him.
    expect(customerOf.get("web:6")).toBe(customerOf.get("shop:4"));
    expect(customerOf.get("web:5")).not.toBe(customerOf.get("shop:4"));
    // A second customer number with Ann's email is another account: not merged.
    expect(customerOf.get("shop:7")).not.toBe(customerOf.get("web:1"));

    const identity = await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).identity, {
      until: (records) => {
        const types = records.map((record) => JSON.parse(record.value ?? "{}").type);
        return (
          types.filter((type) => type === "crm.v1.IdentifierLinked").length >= 8 &&
          types.includes("crm.v1.CustomersMerged") &&
          types.includes("crm.v1.MergeRefused")
        );
      },
      timeoutMs: 30_000,
    });
    const facts = identity.map((record) => JSON.parse(record.value ?? "{}"));
    expect(facts.find((fact) => fact.type === "crm.v1.CustomersMerged")?.data).toMatchObject({
      survivor: customerOf.get("shop:4"),
      merged: [customerOf.get("web:5")],
      rule: "anonymous_stitch",
      evidence: { kind: "shared_identifiers" },
    });
    expect(facts.find((fact) => fact.type === "crm.v1.MergeRefused")?.data).toMatchObject({
      customers: [customerOf.get("shop:7"), customerOf.get("web:1")],
      rule: "customer_number_conflict",
    });
    const links = facts.filter((fact) => fact.type === "crm.v1.IdentifierLinked");
    expect(links.map((fact) => identifierKey(fact.data.identifier)).sort()).toEqual(
      [
        "cookie_id:c-ann",
        "customer_number:C-1",
        "email:ann@example.com",
        "phone:+821012345678",
        "customer_number:C-2",
        "email:bob@example.com",
        "cookie_id:c-bob",
        "customer_number:C-3",
      ].sort(),
    );

    const store = await openStore(firstRun.database);
    const bobsVisitor = await store.rootCustomer(customerOf.get("web:5") ?? "");
    expect(bobsVisitor?._id).toBe(customerOf.get("shop:4"));
    const ann = await store.customerOfIdentifier(phone("+821012345678"));
    const golden = goldenRecordOfDocument(ann?.goldenRecord);
    expect(golden.firstName).toEqual({
      value: "Ann",
      lineage: { source: "shop", eventId: "shop:2", time: "2026-01-02T09:00:00.000Z" },
    });
    expect(golden.preferences["favourite.category"]?.value).toBe("tea");
    expect(await store.stats()).toEqual({
      sourceRecords: 7,
      uniqueCustomers: 3,
      duplicatesMerged: 1,
      anonymousOnlyCustomers: 0,
    });
  });

  it("reproduces the same customer ids when the log is replayed from offset zero into a new database", async () => {
    await startIdentity({
      prefix,
      database: uniqueName("identity-replay"),
      group: `${prefix}replay`,
      instance: "it-2",
    });

    const resolved = await readResolved(prefix, (found) => found.length >= 2 * events.length);
    const byEvent = new Map<string, string[]>();
    for (const { eventId, customerId } of resolved)
      byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), customerId]);
    for (const event of events) {
      const [live, replayed, ...more] = byEvent.get(event.id) ?? [];
      expect(more).toEqual([]);
      expect(replayed).toBe(live);
    }
  });
});

describe("a record on crm.events that is not an event", () => {
  it("goes to the dead-letter topic with its reason, and the events after it are resolved", async () => {
    const prefix = `${uniqueName("identity-poison")}.`;
    await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 1 }]);
    await startIdentity({
      prefix,
      database: uniqueName("identity-poison"),
      group: `${prefix}identity`,
      instance: "poison-1",
    });
    await producer.send({
      topic: crmTopics(prefix).events,
      acks: -1,
      messages: [
        { key: "broken", value: "{not json" },
        {
          key: "no-identifiers",
          value: JSON.stringify({ ...customerEvent("web:empty", [], "2026-01-01T00:00:00.000Z") }),
        },
      ],
    });
    await appendToLog(producer, prefix, [
      customerEvent("web:after", [cookie("c-after")], "2026-01-02T00:00:00.000Z"),
    ]);

    const resolved = await readResolved(prefix, (found) => found.length >= 1);
    expect(resolved.map(({ eventId }) => eventId)).toEqual(["web:after"]);
    const deadLetters = await readTopic(endpoints.kafkaBrokers, crmTopics(prefix).deadLetter, {
      until: (records) => records.length >= 2,
      timeoutMs: 30_000,
    });
    expect(
      deadLetters.map((record) => [record.value, record.headers[deadLetterHeaders.reason]]).sort(),
    ).toEqual([
      [JSON.stringify(customerEvent("web:empty", [], "2026-01-01T00:00:00.000Z")), "no_identifiers"],
      ["{not json", "invalid_event"],
    ]);
  });
});

describe("two identity instances on the partitions of one log", () => {
  it("resolve each person's identifiers to one customer, whatever partition each event is on", async () => {
    const prefix = `${uniqueName("identity-pair")}.`;
    const names = { prefix, database: uniqueName("identity-pair"), group: `${prefix}identity` };
    // Five events a person, each keyed (and so partitioned) by a different identifier: a visit, a
    // login, a call, a call giving the email, an order. Only the last three join all the fragments.
    const people = Array.from({ length: 40 }, (_, n) => ({
      number: customerNumber(`C-${1000 + n}`),
      email: email(`person${n}@example.com`),
      phone: phone(`+8210${String(20000000 + n)}`),
      cookie: cookie(`visitor-${n}`),
    }));
    const at = (n: number, step: number) => new Date(Date.UTC(2026, 0, 1 + step, 0, n)).toISOString();
    const events = people.flatMap((person, n) => [
      customerEvent(`web:${n}-visit`, [person.cookie], at(n, 0)),
      customerEvent(`web:${n}-login`, [person.email, person.cookie], at(n, 1)),
      customerEvent(`callcenter:${n}-call`, [person.phone], at(n, 2)),
      customerEvent(`callcenter:${n}-email`, [person.phone, person.email], at(n, 3)),
      customerEvent(`shop:${n}-order`, [person.number, person.phone], at(n, 4)),
    ]);
    // Shuffled with a fixed permutation, so partitions interleave the fragments differently.
    const shuffled = events
      .map((event, i) => ({ event, rank: (i * 7919) % events.length }))
      .sort((a, b) => a.rank - b.rank);
    await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 6 }]);
    await appendToLog(
      producer,
      prefix,
      shuffled.map(({ event }) => event),
    );

    await Promise.all([
      startIdentity({ ...names, instance: "pair-1" }),
      startIdentity({ ...names, instance: "pair-2" }),
    ]);
    const resolved = await readResolved(prefix, (found) => found.length >= events.length);
    expect(resolved).toHaveLength(events.length);
    expect(new Set(resolved.map(({ eventId }) => eventId)).size).toBe(events.length);

    const store = await openStore(names.database);
    const roots = new Set<string>();
    for (const person of people) {
      const owners = await Promise.all(
        [person.number, person.email, person.phone, person.cookie].map((identifier) =>
          store.customerOfIdentifier(identifier),
        ),
      );
      const ids = new Set(owners.map((owner) => owner?._id));
      expect(ids.size, `${person.number.value}'s identifiers belong to ${[...ids].join(", ")}`).toBe(1);
      roots.add(owners[0]?._id ?? "");
    }
    expect(roots.size).toBe(people.length);
    // Every event's customer id, merged since or not, leads to its person's customer.
    for (const { eventId, customerId } of resolved) {
      const n = Number(eventId.split(":")[1]?.split("-")[0]);
      const person = people[n];
      const root = await store.rootCustomer(customerId);
      const expected = person ? await store.customerOfIdentifier(person.number) : null;
      expect(root?._id).toBe(expected?._id);
    }
    expect((await store.stats()).uniqueCustomers).toBe(people.length);
  });
});

describe("an identity instance standing by", () => {
  it("takes over when the writer stops, and goes on where it stopped", async () => {
    const prefix = `${uniqueName("identity-takeover")}.`;
    const names = { prefix, database: uniqueName("identity-takeover"), group: `${prefix}identity` };
    const visits = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => {
        const n = from + k;
        return customerEvent(
          `web:takeover-${n}`,
          [email(`shopper${n % 25}@example.com`), cookie(`visit-${n}`)],
          new Date(Date.UTC(2026, 1, 1, 0, n)).toISOString(),
        );
      });
    await createTopics(endpoints.kafkaBrokers, [{ name: crmTopics(prefix).events, partitions: 6 }]);
    const first = await startIdentity({ ...names, instance: "takeover-1" });
    const second = await startIdentity({ ...names, instance: "takeover-2" });
    expect([first.isWriter(), second.isWriter()]).toEqual([true, false]);
    await appendToLog(producer, prefix, visits(0, 60));
    await readResolved(prefix, (found) => found.length >= 60);

    await first.stop();
    running.splice(running.indexOf(first), 1);
    await appendToLog(producer, prefix, visits(60, 120));
    const resolved = await readResolved(prefix, (found) => found.length >= 120);

    expect(second.isWriter()).toBe(true);
    expect(resolved).toHaveLength(120);
    expect(new Set(resolved.map(({ eventId }) => eventId)).size).toBe(120);
    const store = await openStore(names.database);
    for (let shopper = 0; shopper < 25; shopper += 1) {
      const customer = await store.customerOfIdentifier(email(`shopper${shopper}@example.com`));
      expect(customer?.identifiers.cookie_id).toHaveLength(
        visits(0, 120).filter((_, n) => n % 25 === shopper).length,
      );
    }
    expect(fatalErrors).toEqual([]);
  });
});
