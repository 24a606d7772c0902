import type { Identifier } from "@rapport/events";
import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createEventResolver } from "../src/adapters/event-resolver.js";
import { createIdentityStore, type IdentityStore } from "../src/adapters/identity-store.js";
import { defaultIdentityRules } from "../src/domain/identifier-rules.js";
import { customerEvent, testStoreLayout } from "./identity-harness.js";

const endpoints = infraEndpoints();
const connections: MongoConnection[] = [];

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
});

/** A store and resolver of their own, as a second service instance has, on a shared database. */
async function instanceOn(
  database: string,
): Promise<{ store: IdentityStore; resolve: ReturnType<typeof createEventResolver> }> {
  const connection = await connectMongo(endpoints.mongodbUri, database);
  connections.push(connection);
  const store = await createIdentityStore(connection.db, { sourcePriority: [] }, testStoreLayout);
  await store.ensureIndexes();
  return { store, resolve: createEventResolver(store, defaultIdentityRules) };
}

const email = (value: string): Identifier => ({ type: "email", value });
const cookie = (value: string): Identifier => ({ type: "cookie_id", value });
const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });

describe("event resolution on the stored identity graph", () => {
  it("founds one customer when two instances race to resolve events that share a new identifier", async () => {
    const database = uniqueName("identity-race");
    const [a, b] = await Promise.all([instanceOn(database), instanceOn(database)]);
    const events = Array.from({ length: 30 }, (_, n) =>
      customerEvent(
        `web:race-${n}`,
        [email("shared@example.com"), cookie(`c-${n}`)],
        `2026-02-01T10:00:${String(n).padStart(2, "0")}.000Z`,
      ),
    );

    const resolutions = await Promise.all(events.map((event, n) => (n % 2 === 0 ? a : b).resolve(event)));

    const owner = await a.store.customerOfIdentifier(email("shared@example.com"));
    expect(owner).not.toBeNull();
    for (let n = 0; n < events.length; n += 1) {
      expect((await a.store.customerOfIdentifier(cookie(`c-${n}`)))?._id).toBe(owner?._id);
    }
    for (const resolution of resolutions) {
      if (resolution.kind !== "resolved") throw new Error("every event has identifiers");
      expect((await a.store.rootCustomer(resolution.customerId))?._id).toBe(owner?._id);
    }
    expect(owner?.identifiers.cookie_id).toHaveLength(events.length);
    expect((await a.store.stats()).uniqueCustomers).toBe(1);
  });

  it("answers an event handled again with the decision it made the first time", async () => {
    const { resolve, store } = await instanceOn(uniqueName("identity-again"));
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
  it("resolves an event that changes no customer without waiting for the customer's lock", async () => {
    const { resolve, store } = await instanceOn(uniqueName("identity-lock-free"));
    const first = await resolve(
      customerEvent(
        "shop:signup",
        [customerNumber("C-5"), email("c5@example.com")],
        "2026-02-04T09:00:00.000Z",
      ),
    );
    if (first.kind !== "resolved") throw new Error("the sign-up names identifiers");
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Another instance holds the customer while it works on it.
    const holding = store.withCustomerLocks([first.customerId], async () => {
      locked();
      await released;
    });
    await lockTaken;

    const order = await resolve(
      customerEvent("shop:order-1", [customerNumber("C-5")], "2026-02-05T09:00:00.000Z"),
    );
    let newEmailResolved = false;
    const newEmail = resolve(
      customerEvent(
        "shop:order-2",
        [customerNumber("C-5"), email("new@example.com")],
        "2026-02-06T09:00:00.000Z",
      ),
    ).then((resolution) => {
      newEmailResolved = true;
      return resolution;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waitedForLock = !newEmailResolved;
    release();
    await holding;

    expect(order).toEqual({ kind: "resolved", customerId: first.customerId, identityEvents: [] });
    expect((await store.resolution("shop:order-1"))?.customerId).toBe(first.customerId);
    expect(waitedForLock).toBe(true);
    expect((await newEmail).kind).toBe("resolved");
    expect((await store.customerOfIdentifier(email("new@example.com")))?._id).toBe(first.customerId);
  });
});

describe("the store's layout", () => {
  it("refuses to open a database built with another bucket count, naming the setting", async () => {
    const database = uniqueName("identity-layout");
    const { resolve } = await instanceOn(database);
    await resolve(customerEvent("web:visit", [cookie("c-1")], "2026-02-03T10:00:00.000Z"));
    const connection = await connectMongo(endpoints.mongodbUri, database);
    connections.push(connection);

    await expect(
      createIdentityStore(connection.db, { sourcePriority: [] }, { buckets: 256 }),
    ).rejects.toThrow(
      new RegExp(
        `keeps \\w+ in ${testStoreLayout.buckets} collections, not 256: set IDENTITY_STORE_BUCKETS=${testStoreLayout.buckets};`,
      ),
    );
  });
});
