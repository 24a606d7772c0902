import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type InfraState, readStateFile, removeStateFile, writeStateFile } from "../src/state-file.js";

const state: InfraState = {
  startedAt: "2025-01-01T00:00:00.000Z",
  dataDir: "/cache/data",
  kafkaBrokers: "127.0.0.1:9092",
  mongodbUri: "mongodb://127.0.0.1:27017",
  kafka: { pid: 100, port: 9092, controllerPort: 9093, logFile: "/cache/data/kafka/kafka.log" },
  ferretdb: { pid: 101, port: 27017, logFile: "/cache/data/ferretdb/ferretdb.log" },
};

describe("the state file", () => {
  let dir = "";
  let path = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "rapport-state-test-"));
    path = join(dir, "run", "state.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads back what was written", async () => {
    await writeStateFile(path, state);
    expect(await readStateFile(path)).toEqual(state);
  });

  it("reads as nothing recorded once removed, and removing twice is harmless", async () => {
    await writeStateFile(path, state);
    await removeStateFile(path);
    await removeStateFile(path);
    expect(await readStateFile(path)).toBeUndefined();
  });

  it("rejects a file that is not JSON, naming it", async () => {
    await writeFile(join(dir, "broken.json"), "{ not json");
    await expect(readStateFile(join(dir, "broken.json"))).rejects.toThrow(
      /broken\.json is not valid \(not JSON\)/,
    );
  });

  it("rejects a state whose server lacks a pid", async () => {
    const { pid: _pid, ...kafkaWithoutPid } = state.kafka;
    await writeFile(join(dir, "partial.json"), JSON.stringify({ ...state, kafka: kafkaWithoutPid }));
    await expect(readStateFile(join(dir, "partial.json"))).rejects.toThrow(
      /a server lacks pid\/port\/logFile/,
    );
  });
});
