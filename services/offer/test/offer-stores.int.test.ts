import { type CustomerEvent, crmTopics } from "@rapport/events";
import { type ConsumerLoop, createKafka, createKafkaMetrics } from "@rapport/kafka";
import { createMetricsRegistry } from "@rapport/telemetry";
import { createTopics, infraEndpoints, uniqueName, waitFor } from "@rapport/testing";
import { type CommandStartedEvent, type Document, MongoClient } from "mongodb";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogStore, type LoggedCatalogEvent } from "../src/adapters/catalog-store.js";
import { createContactHistories } from "../src/adapters/contact-histories.js";
import { type OfferProjection, openOfferProjection } from "../src/adapters/offer-projection.js";
import type { ContactFact } from "../src/domain/contact-facts.js";

// The offer service's stores on the real broker and FerretDB, watched through the MongoDB driver's
// command monitoring: what a consumed part costs the store, that handling it again (a crash before
// the offsets were committed; here a second consumer group folding the same records into the same
// database) changes nothing, that writers racing for a history lose nothing, and that the catalog is
// read from the store only when it changed.

const endpoints = infraEndpoints();
const topics = crmTopics(`${uniqueName("offer-histories")}.`);
const database = uniqueName("offer-histories");
const silent = pino({ level: "silent" });
const kafka = createKafka({
  brokers: endpoints.kafkaBrokers,
  clientId: "offer-histories-test",
  logger: silent,
});
const pagesCollection = "contact_history_pages";
let client: MongoClient;
let commands: CommandStartedEvent[] = [];
/** Documents inserts found stored already: in the race below, contact history pages another writer took. */
let pagesTaken = 0;
const loops = new Set<ConsumerLoop>();
const fatalErrors: Error[] = [];

beforeAll(async () => {
  await createTopics(
    endpoints.kafkaBrokers,
    [topics.resolvedEvents, topics.offers, topics.customerChanges, topics.identity, topics.deadLetter].map(
      (name) => ({ name, partitions: 1 }),
    ),
  );
  client = new MongoClient(endpoints.mongodbUri, { monitorCommands: true, retryWrites: false });
  await client.connect();
  client.on("commandStarted", (event) => commands.push(event));
  client.on("commandSucceeded", (event) => {
    const writeErrors = (event.reply as { writeErrors?: { code: number }[] }).writeErrors ?? [];
    if (event.commandName === "insert")
      pagesTaken += writeErrors.filter((error) => error.code === 11000).length;
  });
});

afterAll(async () => {
  for (const loop of loops) await loop.stop();
  await client?.close();
  expect(fatalErrors).toEqual([]);
});

/** Opens the stores in the test's database and folds the topics into them under a new consumer group. */
async function fold(): Promise<{
  projection: OfferProjection;
  consumerGroup: string;
  stop(): Promise<void>;
}> {
  const consumerGroup = uniqueName("offer-histories");
  const projection = await openOfferProjection(
    { version: 1, database, consumerGroup },
    {
      client,
      kafka,
      topics,
      buckets: 1,
      cachedCustomers: 10_000,
      scoreLookupsInFlight: 16,
      consumerConcurrency: 3,
      logger: silent,
      metrics: createKafkaMetrics(createMetricsRegistry(uniqueName("offer-histories"))),
      scoresOf: () => Promise.reject(new Error("no customer changes are sent in this test")),
    },
  );
  const loop = await projection.consume({
    instanceId: consumerGroup,
    replaying: false,
    onFatal: (error) => fatalErrors.push(error),
    clock: () => new Date(),
  });
  loops.add(loop);
  return {
    projection,
    consumerGroup,
    async stop() {
      loops.delete(loop);
      await loop.stop();
    },
  };
}

async function publish(topic: string, values: readonly { key: string; value: object }[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: values.map(({ key, value }) => ({ key, value: JSON.stringify(value) })),
  });
  await producer.disconnect();
}

/** Waits until `consumerGroup` has committed every record of `topic` (it handled them and wrote their effects). */
async function waitForCommitted(consumerGroup: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [end] = await admin.fetchTopicOffsets(topic);
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId: consumerGroup, topics: [topic] });
        return committed?.partitions[0]?.offset === end?.offset;
      },
      { timeoutMs: 60_000, description: `${consumerGroup} through ${topic}` },
    );
  } finally {
    await admin.disconnect();
  }
}

const resolved = (customerId: string, id: string, type: CustomerEvent["type"], data: object) => ({
  key: customerId,
  value: {
    specversion: "1.0",
    id,
    source: "offer-histories-test",
    type,
    time: "2026-05-01T09:00:00.000Z",
    customerid: customerId,
    data: { customer: { identifiers: [{ type: "customer_number", value: customerId }] }, ...data },
  },
});
const consent = (customerId: string, id: string) =>
  resolved(customerId, id, "crm.v1.ConsentChanged", {
    channel: "email",
    status: "granted",
    source: "web_form",
  });
const order = (customerId: string, id: string) =>
  resolved(customerId, id, "crm.v1.OrderPlaced", {
    orderId: id,
    items: [],
    total: { amountMinor: 10_000, currency: "KRW" },
  });
const responded = (customerId: string, id: string, response: string) =>
  resolved(customerId, id, "crm.v1.OfferResponded", { offerId: "tea-club", response, channel: "email" });
const customersMerged = (survivor: string, merged: string[]) => ({
  key: survivor,
  value: {
    specversion: "1.0",
    id: `merge:${survivor}:${merged.join(",")}`,
    source: "rapport/identity",
    type: "crm.v1.CustomersMerged",
    time: "2026-05-02T09:00:00.000Z",
    data: { survivor, merged, rule: "shared_identifier", evidence: [] },
  },
});

/** The commands the consumer sent to the contact history pages, by name. */
function pageCommands(): { finds: Document[]; inserts: number; other: string[] } {
  const onPages = commands.filter((event) => event.command[event.commandName] === pagesCollection);
  return {
    finds: onPages.filter((event) => event.commandName === "find").map((event) => event.command.filter),
    inserts: onPages.filter((event) => event.commandName === "insert").length,
    other: onPages
      .map((event) => event.commandName)
      .filter((name) => name !== "find" && name !== "insert" && name !== "getMore"),
  };
}

const eventIdsOf = (facts: readonly { eventId: string }[]) => facts.map((fact) => fact.eventId).sort();

describe("contact histories on the real store", () => {
  const customers = Array.from({ length: 300 }, (_, index) => `cus_part_${String(index).padStart(3, "0")}`);

  it("writes a part's facts of many customers in a few commands, and nothing when the part is handled again", async () => {
    const first = await fold();
    commands = [];
    await publish(
      topics.resolvedEvents,
      customers.flatMap((customerId) => [
        consent(customerId, `${customerId}:consent`),
        order(customerId, `${customerId}:order`),
      ]),
    );
    await waitForCommitted(first.consumerGroup, topics.resolvedEvents);
    await first.stop();

    const written = pageCommands();
    // 600 records are folded in parts of at most 200: each part reads its customers' pages in one or
    // two `_id` lists and appends its pages in one insert.
    expect(written.inserts).toBeGreaterThanOrEqual(3);
    expect(written.inserts).toBeLessThanOrEqual(6);
    expect(written.finds.length).toBeLessThanOrEqual(12);
    expect(written.finds.every((filter) => Object.keys(filter).join() === "_id" && "$in" in filter._id)).toBe(
      true,
    );
    expect(written.other).toEqual([]);
    for (const customerId of [customers[0], customers[150], customers[299]] as string[])
      expect(eventIdsOf((await first.projection.contacts.historyOf(customerId)).facts)).toEqual([
        `${customerId}:consent`,
        `${customerId}:order`,
      ]);

    commands = [];
    const again = await fold();
    await waitForCommitted(again.consumerGroup, topics.resolvedEvents);
    await again.stop();
    expect(pageCommands().inserts).toBe(0);
    const listed = new Map<string, string[]>();
    for await (const [customerId, facts] of again.projection.contacts.all())
      listed.set(customerId, eventIdsOf(facts));
    expect(listed.size).toBe(customers.length);
    expect([...listed.values()].every((eventIds) => eventIds.length === 2)).toBe(true);
  }, 120_000);

  it("moves a merged customer's facts to the survivor by `_id` alone, once, and sends later facts after them", async () => {
    const merging = await fold();
    const { projection } = merging;
    const [ann, bob] = ["cus_merge_ann", "cus_merge_bob"];
    await publish(topics.resolvedEvents, [
      consent(ann, "ann:consent"),
      responded(ann, "ann:responded", "declined"),
      order(bob, "bob:order-1"),
      order(bob, "bob:order-2"),
      responded(bob, "bob:responded", "accepted"),
    ]);
    await waitFor(async () => (await projection.contacts.historyOf(bob)).facts.length === 3, {
      description: "Bob's orders and answer folded",
    });

    commands = [];
    await publish(topics.identity, [customersMerged(ann, [bob])]);
    await waitFor(async () => (await projection.contacts.historyOf(ann)).facts.length === 5, {
      description: "Bob's facts moved to Ann",
    });
    const merged = pageCommands();
    expect(merged.finds.every((filter) => Object.keys(filter).join() === "_id" && "$in" in filter._id)).toBe(
      true,
    );
    expect(merged.other).toEqual([]);
    // Bob's facts went to Ann in one page, and Bob's history was closed by another.
    expect(merged.inserts).toBe(2);

    await publish(topics.resolvedEvents, [order(bob, "bob:order-late")]);
    await waitFor(async () => (await projection.contacts.historyOf(ann)).facts.length === 6, {
      description: "Bob's late order given to Ann",
    });
    expect((await projection.contacts.historyOf(bob)).customerId).toBe(ann);
    await merging.stop();

    // Everything handled again, in the log's order: the same histories, nothing written.
    commands = [];
    const again = await fold();
    await waitForCommitted(again.consumerGroup, topics.identity);
    await waitForCommitted(again.consumerGroup, topics.resolvedEvents);
    await again.stop();
    expect(pageCommands().inserts).toBe(0);
    expect(eventIdsOf((await again.projection.contacts.historyOf(ann)).facts)).toEqual([
      "ann:consent",
      "ann:responded",
      "bob:order-1",
      "bob:order-2",
      "bob:order-late",
      "bob:responded",
    ]);
    const listed = new Map<string, number>();
    for await (const [customerId, facts] of again.projection.contacts.all())
      listed.set(customerId, facts.length);
    expect(listed.get(ann)).toBe(6);
    expect(listed.has(bob)).toBe(false);
    // A listing of some kinds is filtered by the store and still leaves the merged customer out.
    const orders = new Map<string, string[]>();
    for await (const [customerId, facts] of again.projection.contacts.all(["order"]))
      if (customerId.startsWith("cus_merge_")) orders.set(customerId, eventIdsOf(facts));
    expect(orders).toEqual(new Map([[ann, ["bob:order-1", "bob:order-2", "bob:order-late"]]]));
    // Learning reads the answers alone, each under the customer whose history holds it now.
    const answers = (await again.projection.contacts.presentationsAndResponsesByCustomer())
      .map(eventIdsOf)
      .filter((eventIds) => eventIds.some((eventId) => /^(ann|bob):/.test(eventId)));
    expect(answers).toEqual([["ann:responded", "bob:responded"]]);
  }, 120_000);
});

describe("writers racing for one history", () => {
  const fact = (eventId: string): ContactFact => ({
    eventId,
    time: "2026-05-03T09:00:00.000Z",
    kind: "order",
    amountMinor: 1_000,
    contactPoints: { emails: [], phones: [] },
  });

  it("lose nothing: of two appending the same page one takes it, the other decides again", async () => {
    const db = client.db(database);
    // Two instances (or two partitions of one), each with its own memory of the histories.
    const [one, other] = await Promise.all([
      createContactHistories(db, { buckets: 1, cachedCustomers: 100 }),
      createContactHistories(db, { buckets: 1, cachedCustomers: 100 }),
    ]);
    pagesTaken = 0;
    for (let round = 0; round < 10; round++) {
      const [ann, bob] = [`cus_race_ann_${round}`, `cus_race_bob_${round}`];
      await one.record([{ kind: "facts", customerId: bob, facts: [fact(`${bob}:first`)] }]);
      await other.historyOf(bob);
      await Promise.all([
        one.record([{ kind: "facts", customerId: ann, facts: [fact(`${ann}:from-one`)] }]),
        other.record([{ kind: "facts", customerId: ann, facts: [fact(`${ann}:from-other`)] }]),
        one.record([{ kind: "merge", survivor: ann, merged: [bob] }]),
        other.record([{ kind: "facts", customerId: bob, facts: [fact(`${bob}:late`)] }]),
      ]);
      const fresh = await createContactHistories(db, { buckets: 1, cachedCustomers: 100 });
      expect(eventIdsOf((await fresh.historyOf(ann)).facts)).toEqual(
        [`${ann}:from-one`, `${ann}:from-other`, `${bob}:first`, `${bob}:late`].sort(),
      );
      expect((await fresh.historyOf(bob)).customerId).toBe(ann);
    }
    // The race was run, not just the happy path: writers did lose page numbers to each other.
    expect(pagesTaken).toBeGreaterThan(0);
  });
});

describe("the catalog kept in memory", () => {
  const upserted = (offerId: string, name: string): LoggedCatalogEvent["event"] => ({
    type: "crm.v1.OfferUpserted",
    id: `offer:${offerId}:${name}`,
    time: "2026-05-01T00:00:00.000Z",
    offer: {
      offerId,
      name,
      description: "",
      kind: "discount",
      strategy: "cross_sell",
      channels: ["email"],
      eligibility: [],
      costMinor: 0,
      valueMinor: 1_000,
      perCustomerCap: 0,
      priorResponseRate: 0.05,
    },
  });
  const offerReads = () =>
    commands.filter((event) => event.commandName === "find" && event.command.find === "offers").length;

  it("is read again only after it changed, by any writer", async () => {
    const db = client.db(uniqueName("offer-catalog"));
    const reader = createCatalogStore(db);
    const writer = createCatalogStore(db);
    await writer.applyAll([{ offerId: "tea", event: upserted("tea", "Tea"), offset: "0" }]);

    commands = [];
    expect((await reader.all()).map((offer) => offer.name)).toEqual(["Tea"]);
    expect((await reader.all()).map((offer) => offer.name)).toEqual(["Tea"]);
    expect(await reader.get("tea")).toMatchObject({ offer: { revision: 1 } });
    expect(offerReads()).toBe(1);

    await writer.applyAll([
      { offerId: "tea", event: upserted("tea", "Green tea"), offset: "1" },
      { offerId: "tea", event: upserted("tea", "Old tea"), offset: "0" },
      { offerId: "mug", event: upserted("mug", "Mug"), offset: "2" },
    ]);
    commands = [];
    expect((await reader.all()).map((offer) => `${offer.name} ${offer.revision}`)).toEqual([
      "Mug 1",
      "Green tea 2",
    ]);
    expect(offerReads()).toBe(1);
  });
});

describe("opening a database built otherwise", () => {
  const open = (databaseName: string, buckets: number) =>
    openOfferProjection(
      { version: 1, database: databaseName, consumerGroup: uniqueName("offer-open") },
      {
        client,
        kafka,
        topics,
        buckets,
        cachedCustomers: 10,
        scoreLookupsInFlight: 1,
        consumerConcurrency: 1,
        logger: silent,
        metrics: createKafkaMetrics(createMetricsRegistry(uniqueName("offer-open"))),
        scoresOf: () => Promise.resolve(undefined),
      },
    );

  it("refuses another bucket count, naming the setting and the count it was built with", async () => {
    const databaseName = uniqueName("offer-buckets");
    await open(databaseName, 4);
    await expect(open(databaseName, 1)).rejects.toThrow(/OFFER_STORE_BUCKETS=4/);
  });

  it("refuses the layout of an earlier release, saying how to rebuild it", async () => {
    const databaseName = uniqueName("offer-earlier");
    // What the earlier release recorded when it opened its contact facts.
    await client.db(databaseName).collection<{ _id: string; buckets: number }>("bucket_layouts").insertOne({
      _id: "contact_facts",
      buckets: 256,
    });
    await expect(open(databaseName, 1)).rejects.toThrow(/earlier release.*rapport -- replay offer/s);
  });
});
