import { infraEndpoints, uniqueName } from "@rapport/testing";
import type { Db } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BucketLayoutMismatch,
  bucketLayoutsCollection,
  bucketOf,
  openBucketedCollections,
} from "../src/bucketed-collections.js";
import { connectMongo, type MongoConnection } from "../src/connect.js";
import { pageInIdOrder } from "../src/id-order.js";

type Note = { _id: string; text: string };

const endpoints = infraEndpoints();
let connection: MongoConnection;
let db: Db;

beforeAll(async () => {
  connection = await connectMongo(endpoints.mongodbUri, uniqueName("mongo-buckets"));
  db = connection.db;
});

afterAll(async () => {
  await db?.dropDatabase();
  await connection?.close();
});

const layoutOf = (name: string) =>
  db.collection<{ _id: string; buckets: number }>(bucketLayoutsCollection).findOne({ _id: name });

describe("bucketed collections on FerretDB", () => {
  it("records the count at the first open and keeps each key's documents in its bucket", async () => {
    const notes = await openBucketedCollections<Note>(db, "notes", 4);
    expect(await layoutOf("notes")).toEqual({ _id: "notes", buckets: 4 });
    expect(notes.all.map((bucket) => bucket.collectionName)).toEqual([
      "notes_0000",
      "notes_0001",
      "notes_0002",
      "notes_0003",
    ]);

    const keys = Array.from({ length: 20 }, (_, n) => `note-${n}`);
    for (const key of keys) await notes.of(key).insertOne({ _id: key, text: key });
    for (const key of keys) {
      expect(notes.of(key)).toBe(notes.all[bucketOf(key, 4)]);
      expect(await notes.of(key).findOne({ _id: key })).toEqual({ _id: key, text: key });
    }
    const counts = await Promise.all(notes.all.map((bucket) => bucket.countDocuments({})));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(1);

    const again = await openBucketedCollections<Note>(db, "notes", 4);
    expect(await again.of("note-7").findOne({ _id: "note-7" })).toEqual({ _id: "note-7", text: "note-7" });
  });

  it("refuses another count than the one the collections were built with, saying which and what to do", async () => {
    await openBucketedCollections<Note>(db, "drafts", 16);
    const refusal = openBucketedCollections<Note>(db, "drafts", 1);
    await expect(refusal).rejects.toBeInstanceOf(BucketLayoutMismatch);
    await expect(refusal).rejects.toThrow(
      /the drafts collections of database .* were built with 16 buckets, not 1: open them with 16 buckets, or rebuild them into a new database/,
    );
    await expect(openBucketedCollections<Note>(db, "drafts", 32)).rejects.toMatchObject({
      reason: "bucket_layout_mismatch",
      kind: "drafts",
      recordedBuckets: 16,
      requestedBuckets: 32,
    });
    expect(await layoutOf("drafts")).toEqual({ _id: "drafts", buckets: 16 });
  });

  it("lets one count win when first opens race, and refuses the others", async () => {
    const opens = await Promise.allSettled(
      [2, 3, 5, 7, 11].map((buckets) => openBucketedCollections<Note>(db, "racy", buckets)),
    );
    const opened = opens.filter((open) => open.status === "fulfilled");
    expect(opened).toHaveLength(1);
    const layout = await layoutOf("racy");
    expect(opened[0]?.value.all).toHaveLength(layout?.buckets ?? 0);
    for (const open of opens.filter((open) => open.status === "rejected"))
      expect(open.reason).toBeInstanceOf(BucketLayoutMismatch);
  });

  it("keeps one bucket's plain name, and counts a kind stored before bucketing as one bucket", async () => {
    const plain = await openBucketedCollections<Note>(db, "letters", 1);
    expect(plain.all.map((bucket) => bucket.collectionName)).toEqual(["letters"]);
    expect(plain.of("any")).toBe(plain.all[0]);

    await db.collection<Note>("memos").insertOne({ _id: "memo-1", text: "written before buckets" });
    await expect(openBucketedCollections<Note>(db, "memos", 8)).rejects.toThrow(/built with 1 bucket, not 8/);
    const memos = await openBucketedCollections<Note>(db, "memos", 1);
    expect(await memos.of("memo-1").findOne({ _id: "memo-1" })).toMatchObject({
      text: "written before buckets",
    });
  });

  it("pages through every bucket in the server's _id order", async () => {
    const pages = await openBucketedCollections<Note>(db, "pages", 8);
    const ids = [
      ...Array.from({ length: 40 }, (_, n) => `shop/email:p${String(n).padStart(2, "0")}@example.com`),
      "shop/email:\uFF01@example.com",
      "shop/email:\u{1F600}@example.com",
      "shop/email:é@example.com",
    ];
    for (const id of ids) await pages.of(id).insertOne({ _id: id, text: id });
    const single = db.collection<Note>("pages_in_one");
    await single.insertMany(ids.map((id) => ({ _id: id, text: id })));
    const serverOrder = (await single.find({}).sort({ _id: 1 }).toArray()).map(({ _id }) => _id);

    const listed: string[] = [];
    let after = "";
    for (;;) {
      const page = await pageInIdOrder(pages.all, after, 6);
      listed.push(...page.map(({ _id }) => _id));
      if (page.length < 6) break;
      after = page.at(-1)?._id ?? "";
    }
    expect(listed).toEqual(serverOrder);
    expect(listed.slice(-3)).toEqual([
      "shop/email:é@example.com",
      "shop/email:\uFF01@example.com",
      "shop/email:\u{1F600}@example.com",
    ]);
  });
});
