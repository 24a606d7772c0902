import { Writable } from "node:stream";
import { type LogEntry, logLevel } from "kafkajs";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { concurrentTransactionsMessage, kafkajsLogCreator } from "../src/kafkajs-log-creator.js";

type Line = { level: number; msg: string; [field: string]: unknown };

/** Logs each entry as kafkajs would hand it over, and returns the lines pino wrote. */
function logged(...entries: LogEntry[]): Line[] {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  const log = kafkajsLogCreator(pino({ level: "debug" }, sink))();
  for (const entry of entries) log(entry);
  return lines;
}

const pinoLevel = { debug: 20, warn: 40, error: 50 };

/** A line of kafkajs' Connection about a request's error answer, as connection.js writes it. */
function errorAnswer(request: string, error: string): LogEntry {
  return {
    namespace: "Connection",
    level: logLevel.ERROR,
    label: "ERROR",
    log: {
      timestamp: "2026-12-07T18:38:34.699Z",
      logger: "kafkajs",
      message: `Response ${request}`,
      broker: "127.0.0.1:9092",
      clientId: "rapport-scoring",
      error,
      correlationId: 352,
      size: 59,
    },
  };
}

function producerError(message: string): LogEntry {
  return {
    namespace: "Producer",
    level: logLevel.ERROR,
    label: "ERROR",
    log: { timestamp: "2026-12-07T18:38:34.699Z", logger: "kafkajs", message, retryCount: 0, retryTime: 300 },
  };
}

describe("kafkajsLogCreator", () => {
  it("logs the broker's CONCURRENT_TRANSACTIONS answer to a request that is retried at debug level", () => {
    const lines = logged(
      errorAnswer("AddOffsetsToTxn(key: 25, version: 1)", concurrentTransactionsMessage),
      errorAnswer("AddPartitionsToTxn(key: 24, version: 1)", concurrentTransactionsMessage),
      errorAnswer("InitProducerId(key: 22, version: 1)", concurrentTransactionsMessage),
      producerError(`Failed to send messages: ${concurrentTransactionsMessage}`),
    );

    expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: pinoLevel.debug, msg: "Response AddOffsetsToTxn(key: 25, version: 1)" },
      { level: pinoLevel.debug, msg: "Response AddPartitionsToTxn(key: 24, version: 1)" },
      { level: pinoLevel.debug, msg: "Response InitProducerId(key: 22, version: 1)" },
      { level: pinoLevel.debug, msg: `Failed to send messages: ${concurrentTransactionsMessage}` },
    ]);
    expect(lines[0]).toMatchObject({
      namespace: "Connection",
      error: concurrentTransactionsMessage,
      correlationId: 352,
    });
  });

  it("logs the broker's error answer to CreateTopics at debug level: ensureTopics throws what matters", () => {
    const lines = logged(errorAnswer("CreateTopics(key: 19, version: 3)", "Topic creation errors"));
    expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: pinoLevel.debug, msg: "Response CreateTopics(key: 19, version: 3)" },
    ]);
  });

  it("logs answers that the client's metadata is stale at debug level: kafkajs refreshes it and asks again", () => {
    const lines = logged(
      errorAnswer("Metadata(key: 3, version: 6)", "This server does not host this topic-partition"),
      errorAnswer(
        "ListOffsets(key: 2, version: 3)",
        "This server is not the leader for that topic-partition",
      ),
      errorAnswer(
        "Fetch(key: 1, version: 11)",
        "There is no leader for this topic-partition as we are in the middle of a leadership election",
      ),
    );
    expect(lines.map(({ level }) => level)).toEqual(Array(3).fill(pinoLevel.debug));
  });

  it("logs every other error at error level: other answers, other requests, other parts of kafkajs", () => {
    const fenced = "There is a newer producer with the same transactionalId which fences the current one";
    const lines = logged(
      // Nobody retries EndTxn: that answer fails the commit.
      errorAnswer("EndTxn(key: 26, version: 1)", concurrentTransactionsMessage),
      errorAnswer("AddOffsetsToTxn(key: 25, version: 1)", fenced),
      errorAnswer("AddPartitionsToTxn(key: 24, version: 1)", "The server experienced an unexpected error"),
      producerError("Failed to send messages: This server does not host this topic-partition"),
      producerError(concurrentTransactionsMessage),
      {
        namespace: "Consumer",
        level: logLevel.ERROR,
        label: "ERROR",
        log: {
          timestamp: "2026-12-07T18:38:34.699Z",
          message: `Crash: KafkaJSProtocolError: ${concurrentTransactionsMessage}`,
        },
      },
    );

    expect(lines.map(({ level }) => level)).toEqual(Array(6).fill(pinoLevel.error));
    expect(lines.map(({ msg }) => msg)).toEqual([
      "Response EndTxn(key: 26, version: 1)",
      "Response AddOffsetsToTxn(key: 25, version: 1)",
      "Response AddPartitionsToTxn(key: 24, version: 1)",
      "Failed to send messages: This server does not host this topic-partition",
      concurrentTransactionsMessage,
      `Crash: KafkaJSProtocolError: ${concurrentTransactionsMessage}`,
    ]);
  });

  it("keeps warnings at warn level", () => {
    const [line] = logged({
      namespace: "Cluster",
      level: logLevel.WARN,
      label: "WARN",
      log: { timestamp: "2026-12-07T18:38:34.699Z", message: "Some topics were not found", topics: ["x"] },
    });
    expect(line).toMatchObject({
      level: pinoLevel.warn,
      msg: "Some topics were not found",
      namespace: "Cluster",
    });
  });
});
