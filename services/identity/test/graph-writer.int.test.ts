import type { CustomerEvent, Identifier } from "@rapport/events";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createGraphCache } from "../src/adapters/graph-cache.js";
import { createGraphWriter } from "../src/adapters/graph-writer.js";
import { createIdentityStore } from "../src/adapters/identity-store.js";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import { customerEvent, testGraph, testStoreLayout } from "./identity-harness.js";

const endpoints = infraEndpoints();
const connections: MongoConnection[] = [];

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

async function database(name: string) {
  const connection = await connectMongo(endpoints.mongodbUri, uniqueName(name));
  connections.push(connection);
  return connection.db;
}

const email = (value: string): Identifier => ({ type: "email", value });
const cookie = (value: string): Identifier => ({ type: "cookie_id", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

describe("the graph writer", () => {
  it("decides a part's events one after the other: events sharing a new identifier found one customer", async () => {
    const { writer, store } = await testGraph(await database("identity-part"));
    const events = Array.from({ length: 30 }, (_, n) =>
      customerEvent(
        `web:part-${n}`,
        [email("shared@example.com"), cookie(`c-${n}`)],
        `2026-02-01T10:00:${String(n).padStart(2, "0")}.000Z`,
      ),
    );

    const resolutions = await writer.resolveEvents(events);

    const owner = await store.customerOfIdentifier(email("shared@example.com"));
    expect(owner).not.toBeNull();
    for (let n = 0; n < events.length; n += 1) {
      expect((await store.customerOfIdentifier(cookie(`c-${n}`)))?._id).toBe(owner?._id);
    }
    expect(resolutions.map((resolution) => resolution.kind === "resolved" && resolution.customerId)).toEqual(
      events.map(() => owner?._id),
    );
    expect(owner?.identifiers.cookie_id).toHaveLength(events.length);
    expect((await store.stats()).uniqueCustomers).toBe(1);
  });

  it("answers an event handled again with the decision it made the first time", async () => {
    const { resolve, store } = await testGraph(await database("identity-again"));
    const visit = customerEvent("web:visit", [cookie("c-visitor")], "2026-02-02T10:00:00.000Z");
    const first = await resolve(visit);
    // The visitor logs in before the visit's offset was committed (a crash); the visit comes again.
    await resolve(
      customerEvent("shop:login", [customerNumber("C-77"), cookie("c-visitor")], "2026-02-02T10:05:00.000Z"),
    );

    const again = await resolve(visit);

    expect(again).toEqual(first);
    expect((await store.stats()).sourceRecords).toBe(2);
  });

  it("completes a part whose writes a crash cut short, with the decisions it recorded, when the part comes again", async () => {
    const db = await database("identity-crash");
    const { store, matches, matcher } = await testGraph(db);
    const part: CustomerEvent[] = [
      customerEvent("web:visit-1", [cookie("c-1")], "2026-02-03T10:00:00.000Z"),
      customerEvent(
        "shop:signup-1",
        [customerNumber("C-1"), email("one@example.com")],
        "2026-02-03T10:01:00.000Z",
      ),
      customerEvent("shop:login-1", [customerNumber("C-1"), cookie("c-1")], "2026-02-03T10:02:00.000Z"),
    ];
    // The first attempt records its decisions, then the process dies before the graph is written.
    const crashing = createGraphWriter({
      store: {
        ...store,
        writeGraph: async () => {
          throw new Error("the process died here");
        },
      },
      matches,
      matcher,
      rules: defaultIdentityRules,
      survivorship: { sourcePriority: [] },
      cache: createGraphCache({ customers: 100, identifiers: 100, sourceRecords: 100 }),
    });
    await expect(crashing.resolveEvents(part)).rejects.toThrow("the process died here");
    const recorded = await store.resolutionsByIds(part.map(({ id }) => id));
    expect(recorded).toHaveLength(3);
    expect(await store.customerOfIdentifier(cookie("c-1"))).toBeNull();

    // A new instance handles the part again, with one more event after it.
    const { writer } = await testGraph(db);
    const later = customerEvent("shop:order-1", [customerNumber("C-1")], "2026-02-03T11:00:00.000Z");
    const outcomes = await writer.resolveEvents([...part, later]);

    const byEvent = new Map(recorded.map((document) => [document._id, document]));
    outcomes.slice(0, 3).forEach((outcome, index) => {
      const document = byEvent.get(part[index]?.id ?? "");
      expect(outcome).toEqual({
        kind: "resolved",
        customerId: document?.customerId,
        identityEvents: document?.identityEvents,
      });
    });
    const customer = await store.customerOfIdentifier(customerNumber("C-1"));
    expect(customer?.identifiers).toEqual({
      customer_number: ["C-1"],
      email: ["one@example.com"],
      cookie_id: ["c-1"],
    });
    expect((await store.customerOfIdentifier(cookie("c-1")))?._id).toBe(customer?._id);
    expect(outcomes[3]).toEqual({ kind: "resolved", customerId: customer?._id, identityEvents: [] });
  });
});

describe("the graph writer's pipeline", () => {
  it("decides a part while the one before it is written, and decides it again when that write fails", async () => {
    const db = await database("identity-pipeline");
    const { store, matches, matcher } = await testGraph(db);
    let failNextWrite = true;
    let releaseWrite = () => {};
    const writeHeld = new Promise<void>((resolve) => {
      releaseWrite = resolve;
    });
    const writer = createGraphWriter({
      store: {
        ...store,
        writeGraph: async (writes) => {
          if (!failNextWrite) return store.writeGraph(writes);
          failNextWrite = false;
          await writeHeld;
          throw new Error("the store went away");
        },
      },
      matches,
      matcher,
      rules: defaultIdentityRules,
      survivorship: { sourcePriority: [] },
      cache: createGraphCache({ customers: 100, identifiers: 100, sourceRecords: 100 }),
    });
    const signup = customerEvent(
      "shop:signup-9",
      [customerNumber("C-9"), email("nine@example.com")],
      "2026-02-05T10:00:00.000Z",
    );
    const login = customerEvent(
      "web:login-9",
      [email("nine@example.com"), cookie("c-9")],
      "2026-02-05T10:05:00.000Z",
    );

    const first = writer.resolveEvents([signup]);
    // Decided on the sign-up's customer, not yet written: the login joins it.
    const second = writer.resolveEvents([login]);
    releaseWrite();

    await expect(first).rejects.toThrow("the store went away");
    await expect(second).rejects.toThrow("decided again");
    expect(await store.customerOfIdentifier(cookie("c-9"))).toBeNull();

    const [signedUp] = await writer.resolveEvents([signup]);
    const [loggedIn] = await writer.resolveEvents([login]);
    expect(signedUp?.kind === "resolved" && loggedIn?.kind === "resolved").toBe(true);
    if (signedUp?.kind !== "resolved" || loggedIn?.kind !== "resolved") return;
    expect(loggedIn.customerId).toBe(signedUp.customerId);
    expect((await store.customerOfIdentifier(cookie("c-9")))?._id).toBe(signedUp.customerId);
  });
});

describe("the store's layout", () => {
  it("refuses to open a database built with another bucket count, naming the setting", async () => {
    const db = await database("identity-layout");
    const { resolve } = await testGraph(db);
    await resolve(customerEvent("web:visit", [cookie("c-1")], "2026-02-03T10:00:00.000Z"));

    await expect(createIdentityStore(db, { buckets: 256 })).rejects.toThrow(
      new RegExp(
        `keeps \\w+ in ${testStoreLayout.buckets} collections, not 256: set IDENTITY_STORE_BUCKETS=${testStoreLayout.buckets};`,
      ),
    );
  });
});
