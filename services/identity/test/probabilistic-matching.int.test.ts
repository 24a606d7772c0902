import type { Identifier } from "@rapport/events";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentityStore } from "../src/adapters/identity-store.js";
import type { MatchStore } from "../src/adapters/match-store.js";
import { customerIdFoundedBy } from "../src/domain/identity-types.js";
import { proposalIdOf } from "../src/domain/probabilistic-match.js";
import { customerEvent, testGraph } from "./identity-harness.js";
import { fittedLikeModel } from "./match-model-fixture.js";

const endpoints = infraEndpoints();
let mongo: MongoConnection;
let store: IdentityStore;
let matches: MatchStore;
let resolve: Awaited<ReturnType<typeof testGraph>>["resolve"];

const model = fittedLikeModel;

const minjun = {
  traits: {
    firstName: "Min-jun",
    lastName: "Kim",
    birthDate: "1985-05-05",
    address: { line1: "1 Sejong-daero", city: "Seoul", postalCode: "04524", countryCode: "KR" },
  },
};
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });

beforeAll(async () => {
  mongo = await connectMongo(endpoints.mongodbUri, uniqueName("identity-matching"));
  const graph = await testGraph(mongo.db, {
    thresholds: { autoMerge: 0.999, review: 0.9 },
    minRecords: 1_000,
  });
  ({ store, matches, resolve } = graph);
  const { matcher } = graph;
  expect(await matcher.fit(() => new Date("2026-04-01T00:00:00.000Z"))).toEqual({
    fitted: false,
    records: 0,
    reason: "0 customers with person traits; matching needs 1000",
  });
  await matches.saveModel({ model, fittedAt: "2026-04-01T00:00:00.000Z", records: 1_000, candidatePairs: 0 });
  await matcher.loadModel();
});

afterAll(async () => {
  await mongo?.db.dropDatabase();
  await mongo?.close();
});

describe("probabilistic matching of customers that share no identifier", () => {
  const shopCustomer = customerIdFoundedBy("shop:signup-1");
  const webCustomer = customerIdFoundedBy("web:signup-2");
  const caller = customerIdFoundedBy("callcenter:call-3");

  it("merges a second sign-up with the same name, birth date and address (rule probabilistic_match, with evidence)", async () => {
    await resolve(
      customerEvent(
        "shop:signup-1",
        [{ type: "customer_number", value: "C-1" }],
        "2026-04-01T09:00:00.000Z",
        minjun,
      ),
    );
    const second = await resolve(
      customerEvent("web:signup-2", [email("minjun.kim@example.net")], "2026-04-02T09:00:00.000Z", {
        traits: { ...minjun.traits, firstName: "Minjun" },
      }),
    );

    if (second.kind !== "resolved") throw new Error("the sign-up has an identifier");
    const merge = second.identityEvents.find((event) => event.type === "CustomersMerged");
    expect(merge).toMatchObject({
      survivor: shopCustomer,
      merged: [webCustomer],
      rule: "probabilistic_match",
      eventId: "web:signup-2",
    });
    if (merge?.type !== "CustomersMerged" || merge.evidence.kind !== "match")
      throw new Error("a match merge");
    expect(merge.evidence.score).toBeGreaterThanOrEqual(0.999);
    expect(merge.evidence.fields.map(({ field, level }) => `${field}:${level}`)).toEqual([
      "firstName:exact",
      "lastName:exact",
      "birthDate:exact",
      "address:exact",
      "email:missing",
      "phone:missing",
    ]);
    expect((await store.customerOfIdentifier(email("minjun.kim@example.net")))?._id).toBe(shopCustomer);
  });

  it("answers a sign-up handled again with the match it recorded the first time", async () => {
    const again = await resolve(
      customerEvent("web:signup-2", [email("minjun.kim@example.net")], "2026-04-02T09:00:00.000Z", {
        traits: { ...minjun.traits, firstName: "Minjun" },
      }),
    );
    if (again.kind !== "resolved") throw new Error("the sign-up has an identifier");
    expect(again.identityEvents.filter((event) => event.type === "CustomersMerged")).toHaveLength(1);
    expect((await store.stats()).duplicatesMerged).toBe(1);
  });

  it("proposes a weaker match for review once, and never again after a person rejected it", async () => {
    const call = (id: string) =>
      customerEvent(id, [phone("+821099998888")], "2026-04-03T09:00:00.000Z", {
        traits: { firstName: "Minsu", lastName: "Kim", birthDate: "1985-05-05" },
      });
    const first = await resolve(call("callcenter:call-3"));
    if (first.kind !== "resolved") throw new Error("the call has an identifier");
    const proposalId = proposalIdOf(caller, shopCustomer);
    expect(first.identityEvents.filter((event) => event.type === "MatchProposed")).toEqual([
      expect.objectContaining({ proposalId, customers: [caller, shopCustomer] }),
    ]);
    expect((await matches.openProposals(0)).map(({ _id }) => _id)).toEqual([proposalId]);

    const secondCall = await resolve(call("callcenter:call-4"));
    if (secondCall.kind !== "resolved") throw new Error("the call has an identifier");
    expect(secondCall.identityEvents).toEqual([]);

    await matches.recordDecision(proposalId, "rejected", {
      decidedBy: "qa",
      note: "",
      at: "2026-04-04T00:00:00.000Z",
    });
    const thirdCall = await resolve(call("callcenter:call-5"));
    if (thirdCall.kind !== "resolved") throw new Error("the call has an identifier");
    expect(thirdCall.identityEvents).toEqual([]);
    expect((await store.customerOfIdentifier(phone("+821099998888")))?._id).toBe(caller);
  });
});

describe("fitting the match model", () => {
  it("fits on the stored customers with person traits, on a worker thread, and keeps the model", async () => {
    const fitMongo = await connectMongo(endpoints.mongodbUri, uniqueName("identity-match-fit"));
    try {
      const graph = await testGraph(fitMongo.db, {
        thresholds: { autoMerge: 0.999, review: 0.9 },
        minRecords: 40,
      });
      const firstNames = ["Ji-woo", "Seo-yeon", "Do-yun", "Ha-eun", "Min-seo", "Ye-jun", "Su-ah", "Eun-woo"];
      const lastNames = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang"];
      for (let n = 0; n < 60; n++) {
        const traits = {
          firstName: firstNames[n % firstNames.length],
          lastName: lastNames[n % lastNames.length],
          birthDate: `19${70 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`,
          address: {
            line1: `${n + 1} Teheran-ro`,
            city: "Seoul",
            postalCode: `06${100 + n}`,
            countryCode: "KR",
          },
        };
        await graph.resolve(
          customerEvent(
            `shop:fit-signup-${n}`,
            [email(`person${n}@example.com`)],
            "2026-04-01T09:00:00.000Z",
            {
              traits,
            },
          ),
        );
        // Every sixth person signs up again in the app with another email: the pairs EM learns from.
        if (n % 6 === 0)
          await graph.resolve(
            customerEvent(`app:fit-signup-${n}`, [email(`p${n}@example.org`)], "2026-04-02T09:00:00.000Z", {
              traits,
            }),
          );
      }

      const report = await graph.matcher.fit(() => new Date("2026-04-03T00:00:00.000Z"));

      expect(report).toMatchObject({ fitted: true, records: 70, fittedAt: "2026-04-03T00:00:00.000Z" });
      if (!report.fitted) throw new Error("fitted above");
      expect(report.candidatePairs).toBeGreaterThan(0);
      const kept = await graph.matches.currentModel();
      expect(kept).toMatchObject({ fittedAt: "2026-04-03T00:00:00.000Z", records: 70 });
      expect(kept?.model).toEqual(graph.matcher.model());
      expect(graph.matcher.model()?.priorMatchProbability).toBeGreaterThan(0);
    } finally {
      await fitMongo.db.dropDatabase();
      await fitMongo.close();
    }
  });
});
