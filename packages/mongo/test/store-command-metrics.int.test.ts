import { createMetricsRegistry } from "@rapport/telemetry";
import { infraEndpoints, metricSample, uniqueName } from "@rapport/testing";
import { describe, expect, it } from "vitest";
import { connectMongo } from "../src/connect.js";

const endpoints = infraEndpoints();

describe("store commands counted on a service's registry", () => {
  it("counts every command the client sends, by command name", async () => {
    const registry = createMetricsRegistry("test");
    const connection = await connectMongo(endpoints.mongodbUri, uniqueName("mongo-commands"), { registry });
    try {
      const notes = connection.db.collection<{ _id: string; text: string }>("notes");
      await notes.insertOne({ _id: "a", text: "first" });
      await notes.insertMany([
        { _id: "b", text: "second" },
        { _id: "c", text: "third" },
      ]);
      await notes.findOne({ _id: "a" });
      await notes.updateOne({ _id: "b" }, { $set: { text: "changed" } });
      await notes.deleteOne({ _id: "c" });
      const exposition = await registry.metrics();
      const count = (command: string) =>
        metricSample(exposition, "rapport_store_commands_total", { command });
      // insertMany of a few documents is one command: one round trip.
      expect(count("insert")).toBe(2);
      expect(count("find")).toBe(1);
      expect(count("update")).toBe(1);
      expect(count("delete")).toBe(1);
      // The connect's ping, with the service's label like every other series.
      expect(
        metricSample(exposition, "rapport_store_commands_total", { command: "ping", service: "test" }),
      ).toBe(1);
    } finally {
      await connection.db.dropDatabase();
      await connection.close();
    }
  });

  it("shares one counter between clients of the same registry", async () => {
    const registry = createMetricsRegistry("test");
    const first = await connectMongo(endpoints.mongodbUri, uniqueName("mongo-commands"), { registry });
    const second = await connectMongo(endpoints.mongodbUri, uniqueName("mongo-commands"), { registry });
    await Promise.all([first.close(), second.close()]);
    const exposition = await registry.metrics();
    expect(metricSample(exposition, "rapport_store_commands_total", { command: "ping" })).toBe(2);
  });

  it("counts nothing without a registry", async () => {
    const connection = await connectMongo(endpoints.mongodbUri, uniqueName("mongo-commands"));
    expect(connection.client.options.monitorCommands).toBe(false);
    await connection.close();
  });
});
