import { connectMongo, type MongoConnection } from "@rapport/mongo";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createWriterLease } from "../src/writer-lease.js";

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

describe("the writer's lease", () => {
  it("lets one instance write at a time, and the next take over as soon as the writer stops", async () => {
    const db = await database("identity-lease");
    const lost: Error[] = [];
    const leaseOf = (holder: string) =>
      createWriterLease(db, {
        name: "graph_writer",
        holder,
        leaseMs: 3_000,
        logger: pino({ level: "silent" }),
        onLost: (error) => lost.push(error),
      });
    const first = leaseOf("instance-a");
    const second = leaseOf("instance-b");
    expect(await first.acquire(() => undefined)).toBe(true);
    let waitedFor = "";
    const taking = second.acquire((holder) => {
      waitedFor = holder;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(waitedFor).toBe("instance-a");
    expect(second.isHeld()).toBe(false);

    await first.release();

    expect(await taking).toBe(true);
    expect(second.isHeld()).toBe(true);
    expect(first.isHeld()).toBe(false);
    await second.release();
    expect(lost).toEqual([]);
  });

  it("takes over a lease its holder stopped renewing (a crash) once it has run out", async () => {
    const db = await database("identity-lease-crash");
    const leaseOf = (holder: string) =>
      createWriterLease(db, {
        name: "graph_writer",
        holder,
        leaseMs: 2_000,
        logger: pino({ level: "silent" }),
        onLost: () => {},
      });
    await db.collection("writer_leases").insertOne({
      _id: "graph_writer" as never,
      holder: "crashed-instance",
      until: new Date(Date.now() + 1_000),
    });
    const started = Date.now();
    const taker = leaseOf("instance-b");

    expect(await taker.acquire(() => undefined)).toBe(true);

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await taker.release();
  });
});
