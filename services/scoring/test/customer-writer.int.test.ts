import { infraEndpoints, uniqueName } from "@rapport/testing";
import { type Db, MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerCache } from "../src/adapters/customer-cache.js";
import { type CustomerStore, createCustomerStore } from "../src/adapters/customer-store.js";
import {
  type CustomerPart,
  createCustomerWriter,
  type PartOutcome,
} from "../src/adapters/customer-writer.js";
import { createPopulationModels } from "../src/adapters/population-models.js";
import { createRescoreTracker } from "../src/adapters/rescore-tracker.js";
import { createScoringClock } from "../src/adapters/scoring-clock.js";
import type { RescoreRequest, ScoringFact } from "../src/adapters/scoring-records.js";
import type { CustomerFact } from "../src/domain/customer-facts.js";
import { emptyHistory, recordFact } from "../src/domain/customer-history.js";
import { profileFrom, profileOf } from "../src/domain/customer-profile.js";
import { foldProfileState } from "../src/domain/profile-state.js";
import type { LoggedFact } from "../src/domain/scored-customer.js";
import { day, settings } from "./scoring-fixtures.js";

// The customer writer against a real FerretDB: a part handled again after a crash, merges
// interrupted half-way and merges meeting late facts, and rescorings streamed in parts. A writer
// created afresh is a restarted process (nothing in memory); its store is the one the first wrote.

const endpoints = infraEndpoints();
let client: MongoClient;

beforeAll(async () => {
  client = new MongoClient(endpoints.mongodbUri);
  await client.connect();
});

afterAll(async () => {
  await client?.close();
});

const build = "scoring-writer-it";

async function freshDatabase(): Promise<{ db: Db; store: CustomerStore }> {
  const db = client.db(uniqueName("writer-it"));
  return { db, store: await createCustomerStore(db, { buckets: 1 }) };
}

/** A writer as a process starting against `db` would make it; `store` may be wrapped to fail. */
async function startWriter(db: Db, store: CustomerStore, rescoreChunk = 500) {
  const writer = createCustomerWriter({
    store,
    cache: customerCache(100),
    models: createPopulationModels(db),
    clock: createScoringClock(db),
    rescores: createRescoreTracker(),
    settings,
    build,
    rescoreChunk,
  });
  await writer.start();
  return writer;
}

/** A part of one stream: facts at consecutive offsets from `from`. */
function factPart(
  stream: string,
  from: number,
  facts: readonly (readonly [string, CustomerFact])[],
): CustomerPart {
  return {
    stream,
    firstOffset: from,
    lastOffset: from + facts.length - 1,
    facts: facts.map(
      ([customerId, fact], i): LoggedFact => ({
        customerId,
        fact,
        position: { stream, offset: from + i },
      }),
    ),
    merges: [],
    scoringFacts: [],
    announces: true,
  };
}

function mergePart(offset: number, survivor: string, merged: string[]): CustomerPart {
  return {
    stream: "identity:0",
    firstOffset: offset,
    lastOffset: offset,
    facts: [],
    merges: [
      { merge: { eventId: `merge-${offset}`, survivor, merged }, position: { stream: "identity:0", offset } },
    ],
    scoringFacts: [],
    announces: true,
  };
}

function scoringPart(offset: number, fact: ScoringFact): CustomerPart {
  const position = { stream: "scoring:0", offset };
  return {
    stream: "scoring:0",
    firstOffset: offset,
    lastOffset: offset,
    facts: [],
    merges: [],
    scoringFacts: [{ fact, position }],
    announces: true,
  };
}

let events = 0;
const origin = (time: string) => ({ eventId: `it:${++events}`, time, source: "it" });
const order = (time: string, orderId: string, totalMinor: number): CustomerFact => ({
  ...origin(time),
  kind: "order",
  orderId,
  totalMinor,
  currency: "KRW",
  lines: [{ productId: "tea-01", category: "tea", quantity: 1, amountMinor: totalMinor }],
});
const view = (time: string, page: string): CustomerFact => ({ ...origin(time), kind: "page_view", page });
const registration = (time: string): CustomerFact => ({ ...origin(time), kind: "registration" });

const changeIds = (outcome: PartOutcome) =>
  outcome.changes.map(
    ({ customerId, change }) => `${customerId} ${change.attribute}=${change.value} by ${change.causeEventId}`,
  );

async function stored(store: CustomerStore, customerId: string) {
  const [document] = await store.customersByIds([customerId]);
  if (!document) throw new Error(`customer ${customerId} is not stored`);
  return document;
}

describe("the customer writer, against a real FerretDB", () => {
  it("takes a part in once when it is handled again after a crash, and publishes its changes again", async () => {
    const { db, store } = await freshDatabase();
    const annsOrders = [order(day(0), "O-1", 30_000), order(day(5), "O-2", 20_000)];
    const part = factPart("resolved:0", 0, [
      ["cus_ann", annsOrders[0] as CustomerFact],
      ["cus_bob", registration(day(1))],
      ["cus_ann", annsOrders[1] as CustomerFact],
    ]);

    const first = await (await startWriter(db, store)).handle(part);
    // The process died before the part's offsets were committed: a new one meets the part again.
    const again = await (await startWriter(db, store)).handle(part);

    const [firstOrder, secondOrder] = annsOrders as [CustomerFact, CustomerFact];
    const bobs = part.facts[1]?.fact.eventId;
    expect(changeIds(first).sort()).toEqual(
      [
        `cus_ann tier=purchasing by ${secondOrder.eventId}`,
        `cus_ann lifecycle_stage=new_stage_2 by ${secondOrder.eventId}`,
        `cus_bob tier=registered by ${bobs}`,
        `cus_bob lifecycle_stage=prospect by ${bobs}`,
      ].sort(),
    );
    expect(firstOrder.eventId).not.toBe(secondOrder.eventId);
    expect(again.changes).toEqual(first.changes);
    const ann = await stored(store, "cus_ann");
    expect(ann.customer.summary.revenueMinor).toBe(50_000);
    expect(ann.customer.state).toEqual(foldProfileState(annsOrders));
    expect(await store.factsOf(ann)).toHaveLength(2);

    // Handed over again in a bigger part (the fetch after a restart brought more): the records taken
    // in before are not taken in again, and their changes go out with the part all the same.
    const laterOrder = order(day(9), "O-3", 10_000);
    const bigger = factPart("resolved:0", 0, [
      ...part.facts.map(({ customerId, fact }) => [customerId, fact] as const),
      ["cus_ann", laterOrder],
      ["cus_cy", view(day(9), "/tea")],
    ]);
    const biggerOutcome = await (await startWriter(db, store)).handle(bigger);
    expect(changeIds(biggerOutcome)).toEqual(
      expect.arrayContaining([
        ...changeIds(first),
        `cus_ann lifecycle_stage=active by ${laterOrder.eventId}`,
      ]),
    );
    expect(new Set(changeIds(biggerOutcome)).size).toBe(biggerOutcome.changes.length);
    const annAfter = await stored(store, "cus_ann");
    expect(annAfter.customer.summary.revenueMinor).toBe(60_000);
    expect((await store.factsOf(annAfter)).map((fact) => fact.eventId).sort()).toEqual(
      [...annsOrders, laterOrder].map((fact) => fact.eventId).sort(),
    );

    // The next part of the stream starts after them: what they changed is known published, forgotten.
    const writer = await startWriter(db, store);
    await writer.handle(factPart("resolved:0", 5, [["cus_ann", view(day(10), "/cups")]]));
    const annLater = await stored(store, "cus_ann");
    expect(annLater.customer.changes.every((change) => change.causedAt.offset >= 5)).toBe(true);
  });

  it("completes a merge interrupted after its aliases were written, counting the merged customer's late facts once", async () => {
    const { db, store } = await freshDatabase();
    const beforeMerge = factPart("resolved:0", 0, [
      ["cus_m", order(day(0), "O-1", 10_000)],
      ["cus_s", order(day(1), "O-2", 20_000)],
    ]);
    await (await startWriter(db, store)).handle(beforeMerge);

    // The process dies while writing the merge: the alias is stored, the survivor is not.
    const crashing: CustomerStore = {
      ...store,
      async write(writes) {
        await store.write({ ...writes, customers: [] });
        throw new Error("the process died here");
      },
    };
    await expect((await startWriter(db, crashing)).handle(mergePart(0, "cus_s", ["cus_m"]))).rejects.toThrow(
      "the process died here",
    );
    expect((await stored(store, "cus_m")).aliasOf).toBe("cus_s");
    expect((await stored(store, "cus_s")).customer.mergedCustomerIds).toEqual([]);

    // After the restart the merged customer's records come before the merge is handled again: the
    // first part again (not committed either) and a new order.
    const writer = await startWriter(db, store);
    const lateOrder = order(day(2), "O-3", 5_000);
    await writer.handle(
      factPart("resolved:0", 0, [
        ...beforeMerge.facts.map(({ customerId, fact }) => [customerId, fact] as const),
        ["cus_m", lateOrder],
      ]),
    );
    const merge = await writer.handle(mergePart(0, "cus_s", ["cus_m"]));

    const survivor = await stored(store, "cus_s");
    expect(survivor.customer.mergedCustomerIds).toEqual(["cus_m"]);
    expect(survivor.customer.summary.revenueMinor).toBe(35_000);
    const facts = await store.factsOf(survivor);
    expect(facts.map((fact) => fact.eventId).sort()).toEqual(
      [...beforeMerge.facts.map(({ fact }) => fact.eventId), lateOrder.eventId].sort(),
    );
    expect(survivor.customer.state).toEqual(foldProfileState(facts));
    // The merge's changes (recorded when the late order completed it, before the order was taken in)
    // go out with the merge's part.
    expect(changeIds(merge)).toEqual(["cus_s lifecycle_stage=new_stage_2 by merge-0"]);
  });

  it("gives the survivor of a merge every fact once while the merged customer's facts keep coming", async () => {
    const { db, store } = await freshDatabase();
    const writer = await startWriter(db, store);
    const all: CustomerFact[] = [];
    const fact = <F extends CustomerFact>(made: F) => {
      all.push(made);
      return made;
    };
    await writer.handle(
      factPart("resolved:0", 0, [
        ["cus_old", fact(view(day(0, 9), "/tea"))],
        ["cus_old", fact(order(day(0, 10), "O-1", 12_000))],
      ]),
    );
    await writer.handle(factPart("resolved:1", 0, [["cus_new", fact(registration(day(1)))]]));
    await writer.handle(mergePart(0, "cus_new", ["cus_old"]));
    // Late: the old id's records keep coming on its own partition, some from before the merge.
    await writer.handle(
      factPart("resolved:0", 2, [
        ["cus_old", fact(view(day(0, 9.2), "/tea/green"))],
        ["cus_old", fact(order(day(3), "O-2", 8_000))],
      ]),
    );
    await writer.handle(factPart("resolved:1", 1, [["cus_new", fact(view(day(4), "/cups"))]]));
    // A restarted writer meets the last parts again.
    const restarted = await startWriter(db, store);
    await restarted.handle(mergePart(0, "cus_new", ["cus_old"]));
    await restarted.handle(
      factPart("resolved:0", 2, [
        ["cus_old", all[3] as CustomerFact],
        ["cus_old", all[4] as CustomerFact],
      ]),
    );

    const survivor = await stored(store, "cus_new");
    const alias = await stored(store, "cus_old");
    expect(alias.aliasOf).toBe("cus_new");
    expect(survivor.customer.state).toEqual(foldProfileState(all));
    const facts = await store.factsOf(survivor);
    expect(facts.map((f) => f.eventId).sort()).toEqual(all.map((f) => f.eventId).sort());
    const asOf = Date.parse(survivor.customer.asOf);
    const subject = { customerId: "cus_new", mergedCustomerIds: ["cus_old"] };
    expect(profileFrom({ ...subject, state: survivor.customer.state }, asOf, undefined, settings)).toEqual(
      profileOf({ ...subject, history: all.reduce(recordFact, emptyHistory()) }, asOf, undefined, settings),
    );
    expect(survivor.customer.summary).toMatchObject({ revenueMinor: 20_000, isRegistered: true });
  });

  it("rescores every customer in parts of a chunk each when the clock ticks, once, and again after a crash", async () => {
    const { db, store } = await freshDatabase();
    const writer = await startWriter(db, store, 2);
    const customers = ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"];
    await writer.handle(
      factPart(
        "resolved:0",
        0,
        customers.map((customerId, i) => [customerId, order(day(i), `O-${customerId}`, 10_000)] as const),
      ),
    );
    const tick: ScoringFact = { type: "crm.v1.ScoringClockTicked", id: "tick:summer", asOf: day(200) };

    const ticked = await writer.handle(scoringPart(0, tick));
    expect(ticked.changes).toEqual([]);
    const [everyone] = ticked.rescoreRequests;
    expect(everyone).toMatchObject({
      build,
      announce: true,
      cause: { eventId: "tick:summer", asOf: day(200) },
    });
    expect(everyone?.customerIds).toBeUndefined();
    const listed = await writer.handle(scoringPart(1, everyone as RescoreRequest));
    expect(listed.rescoreRequests.map((request) => request.customerIds)).toEqual([
      ["cus_1", "cus_2"],
      ["cus_3", "cus_4"],
      ["cus_5"],
    ]);

    const rescored: PartOutcome[] = [];
    for (const [i, request] of listed.rescoreRequests.entries())
      rescored.push(await writer.handle(scoringPart(2 + i, request)));
    expect(rescored.map(changeIds)).toEqual(
      listed.rescoreRequests.map((request) =>
        (request.customerIds ?? []).map(
          (customerId) => `${customerId} lifecycle_stage=lapsed by tick:summer`,
        ),
      ),
    );
    for (const customerId of customers)
      expect((await stored(store, customerId)).customer.asOf).toBe(day(200));

    // The second chunk's part again (its commit was lost): the same changes, nothing rescored twice.
    const again = await (await startWriter(db, store, 2)).handle(
      scoringPart(3, listed.rescoreRequests[1] as RescoreRequest),
    );
    expect(again.changes).toEqual(rescored[1]?.changes);

    // A request of another build (a replay's) is left to it.
    const foreign = await writer.handle(
      scoringPart(5, { ...(listed.rescoreRequests[0] as RescoreRequest), build: "another-build" }),
    );
    expect(foreign).toEqual({ changes: [], rescoreRequests: [] });
  });

  it("leaves a rescoring to a later tick that supersedes it", async () => {
    const { db, store } = await freshDatabase();
    const writer = await startWriter(db, store);
    await writer.handle(factPart("resolved:0", 0, [["cus_1", order(day(0), "O-1", 10_000)]]));
    const first = await writer.handle(
      scoringPart(0, { type: "crm.v1.ScoringClockTicked", id: "tick:1", asOf: day(100) }),
    );
    const second = await writer.handle(
      scoringPart(1, { type: "crm.v1.ScoringClockTicked", id: "tick:2", asOf: day(200) }),
    );
    expect(
      (await writer.handle(scoringPart(2, first.rescoreRequests[0] as RescoreRequest))).rescoreRequests,
    ).toEqual([]);
    const listed = await writer.handle(scoringPart(3, second.rescoreRequests[0] as RescoreRequest));
    expect(listed.rescoreRequests).toHaveLength(1);
    const rescored = await writer.handle(scoringPart(4, listed.rescoreRequests[0] as RescoreRequest));
    expect(changeIds(rescored)).toEqual(["cus_1 lifecycle_stage=lapsed by tick:2"]);
  });

  it("refuses a database built with another bucket count, naming the setting, and one an earlier scoring built", async () => {
    const { db } = await freshDatabase();
    await expect(createCustomerStore(db, { buckets: 4 })).rejects.toThrow(/set SCORING_STORE_BUCKETS=1/);

    // An earlier scoring recorded its customers' layout and kept one document per customer version.
    const earlier = client.db(uniqueName("writer-it-earlier"));
    await earlier.collection("bucket_layouts").insertOne({ _id: "customers" as never, buckets: 256 });
    await earlier
      .collection("customers_0000")
      .insertOne({ _id: "cus_1@0000000001" as never, customerId: "cus_1" });
    await expect(createCustomerStore(earlier, { buckets: 256 })).rejects.toThrow(/replay scoring/);
  });
});
