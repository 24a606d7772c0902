import { describe, expect, it } from "vitest";
import { parseDlqOptions } from "../src/commands/dlq-options.js";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

const context = { env: {}, cwd: "/home/ops" };

describe("rapport dlq command line", () => {
  it("reads list filters, with the environment's brokers and topic prefix", () => {
    expect(
      parseDlqOptions(
        ["list", "--reason", "schema_violation", "--since", "2026-03-01", "--limit", "5", "--json"],
        {
          env: { KAFKA_BROKERS: "kafka-1:9092,kafka-2:9092", KAFKA_TOPIC_PREFIX: "staging." },
          cwd: "/",
        },
      ),
    ).toEqual({
      brokers: ["kafka-1:9092", "kafka-2:9092"],
      topicPrefix: "staging.",
      action: "list",
      filter: { reason: "schema_violation", since: new Date("2026-03-01T00:00:00.000Z") },
      limit: 5,
      json: true,
    });
  });

  it("redrives positions with a fixed file taken relative to where the command ran", () => {
    expect(parseDlqOptions(["redrive", "0:42", "--fixed", "event.json", "--dry-run"], context)).toMatchObject(
      {
        brokers: ["127.0.0.1:9092"],
        selection: { positions: [{ partition: 0, offset: "42" }] },
        fixedFile: "/home/ops/event.json",
        dryRun: true,
      },
    );
    expect(
      parseDlqOptions(["redrive", "--reason", "invalid_timestamp", "--topic", "http"], context),
    ).toMatchObject({
      selection: { filter: { reason: "invalid_timestamp", topic: "http" } },
    });
  });

  it.each([
    [["dlq"], "say what to do: rapport dlq <list|show|redrive>"],
    [["dlq", "purge"], 'unknown dlq action "purge"'],
    [["dlq", "show"], "name one dead letter: rapport dlq show <partition:offset>"],
    [["dlq", "show", "42"], '"42" is not a dead-letter position'],
    [["dlq", "show", "0:1", "--raw", "--json"], "--raw and --json exclude each other"],
    [["dlq", "list", "--since", "yesterday"], '--since "yesterday" is not an ISO 8601 time'],
    [["dlq", "list", "--limit", "0"], '--limit "0" is not a whole number above 0'],
    [["dlq", "list", "--fixed", "x.json"], "--fixed does not go with dlq list"],
    [["dlq", "redrive"], "name the dead letters to redrive"],
    [["dlq", "redrive", "--topic", "http"], "name the dead letters to redrive"],
    [
      ["dlq", "redrive", "0:1", "--reason", "unparseable"],
      "by position or select them with --reason, not both",
    ],
    [["dlq", "redrive", "0:1", "0:2", "--fixed", "x.json"], "--fixed replaces one dead letter"],
    [
      ["dlq", "list", "--brokers", "kafka"],
      'the brokers "kafka" are not a comma-separated list of host:port',
    ],
  ])("%j is a usage error", async (args, message) => {
    const { io, out } = bufferedIo();
    expect(await runCli(args, io, commandTable)).toBe(64);
    expect(out.stderr).toContain(message);
  });

  it("says Kafka cannot be reached rather than hanging or printing a stack", async () => {
    const { io, out } = bufferedIo({ KAFKA_BROKERS: "127.0.0.1:1" });
    expect(await runCli(["dlq", "list"], io, commandTable)).toBe(1);
    expect(out.stderr).toMatch(/^rapport dlq: Kafka at 127.0.0.1:1 failed: .*Is it running \(npm start\)/);
  }, 60_000);
});
