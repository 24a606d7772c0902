import { credentials, Metadata, status } from "@grpc/grpc-js";
import { crmTopics } from "@rapport/events";
import { deadLetterHeaders } from "@rapport/kafka";
import {
  EventOutcome,
  IngestionServiceClient,
  type PublishEventsResponse,
  RejectionReason,
} from "@rapport/proto";
import { infraEndpoints, readTopic, type TopicRecord, uniqueName } from "@rapport/testing";
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningIngestionService, startIngestionService } from "../src/app.js";
import { orderPlaced, testIngestionConfig } from "./ingestion-harness.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("ingestion-it")}.`;
const topics = crmTopics(prefix);
let service: RunningIngestionService;
let producer: Producer;
const fatalErrors: Error[] = [];

beforeAll(async () => {
  const config = testIngestionConfig(endpoints, {
    prefix,
    database: uniqueName("ingestion"),
    instance: "it-1",
  });
  service = await startIngestionService({
    config,
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.stop();
  expect(fatalErrors).toEqual([]);
});

const eventIdsIn = (records: readonly TopicRecord[]) =>
  records.map((record) => JSON.parse(record.value ?? "{}").id as string);

function readEventsUntil(ids: readonly string[]) {
  return readTopic(endpoints.kafkaBrokers, topics.events, {
    until: (records) => ids.every((id) => eventIdsIn(records).includes(id)),
    timeoutMs: 30_000,
  });
}

function postJson(path: string, body: unknown, key = "shop-key") {
  return fetch(`http://127.0.0.1:${service.httpPort}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("ingestion against a real Kafka broker and FerretDB", () => {
  it("appends a CloudEvent published to a raw topic to crm.events, normalised and keyed by its customer", async () => {
    await producer.send({
      topic: topics.raw("orders"),
      messages: [{ value: JSON.stringify({ ...orderPlaced("o-raw-1", "C-RAW-1"), source: "shop" }) }],
    });
    const records = await readEventsUntil(["shop:o-raw-1"]);
    const record = records.find((candidate) => eventIdsIn([candidate])[0] === "shop:o-raw-1") as TopicRecord;
    expect(record.key).toBe("customer_number:C-RAW-1");
    expect(record.headers).toMatchObject({ ce_id: "shop:o-raw-1", ce_type: "crm.v1.OrderPlaced" });
    expect(JSON.parse(record.value ?? "")).toEqual({
      specversion: "1.0",
      id: "shop:o-raw-1",
      source: "shop",
      type: "crm.v1.OrderPlaced",
      time: "2026-03-01T09:30:00.000Z",
      datacontenttype: "application/json",
      data: {
        customer: {
          identifiers: [
            { type: "customer_number", value: "C-RAW-1" },
            { type: "email", value: "c-raw-1@example.com" },
          ],
        },
        orderId: "o-raw-1",
        total: { amountMinor: 45000, currency: "KRW" },
      },
    });
  });

  it("answers HTTP callers per event and appends what it accepted", async () => {
    const response = await postJson("/v1/events", [
      orderPlaced("o-http-1", "C-HTTP-1"),
      { ...orderPlaced("o-http-2", "C-HTTP-2"), type: "crm.v1.Nope" },
    ]);
    expect(response.status).toBe(207);
    expect(await response.json()).toEqual({
      accepted: 1,
      ignored: 0,
      rejected: 1,
      results: [
        { index: 0, status: "accepted", eventId: "shop:o-http-1" },
        {
          index: 1,
          status: "rejected",
          reason: "unknown_type",
          detail: expect.stringContaining("crm.v1.Nope"),
        },
      ],
    });
    await readEventsUntil(["shop:o-http-1"]);
  });

  it("takes access-log lines over HTTP as page views of the visitor cookie", async () => {
    const line =
      '198.51.100.4 - - [01/Mar/2026:20:15:02 +0900] "GET /tea/green HTTP/1.1" 200 512 "https://www.google.com/search?q=green+tea" ' +
      '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" "vid=v-http-1"';
    const response = await fetch(`http://127.0.0.1:${service.httpPort}/v1/weblogs`, {
      method: "POST",
      headers: { authorization: "Bearer web-key", "content-type": "text/plain" },
      body: `${line}\n${line.replace("/tea/green", "/app.js")}\n`,
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      results: { status: string; eventId?: string; reason?: string }[];
    };
    expect(body.results.map((result) => result.status)).toEqual(["accepted", "ignored"]);
    expect(body.results[1]?.reason).toBe("static_asset");
    const eventId = body.results[0]?.eventId as string;
    const records = await readEventsUntil([eventId]);
    const event = JSON.parse(records.find((record) => eventIdsIn([record])[0] === eventId)?.value ?? "");
    expect(event).toMatchObject({
      source: "web",
      type: "crm.v1.PageViewed",
      data: {
        customer: { identifiers: [{ type: "cookie_id", value: "v-http-1" }] },
        url: "/tea/green",
        searchKeywords: ["green tea"],
      },
    });
  });

  it("refuses a bad write key with 401 and an oversized body with 413", async () => {
    const unauthorised = await postJson("/v1/events", [orderPlaced("o-1", "C-1")], "wrong-key");
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers.get("www-authenticate")).toContain("Bearer");
    const tooLarge = await postJson("/v1/events", [
      { ...orderPlaced("o-big", "C-BIG"), padding: "x".repeat(70_000) },
    ]);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({
      title: "Content Too Large",
      detail: expect.stringContaining("65536 bytes"),
    });
    const tooMany = await postJson(
      "/v1/events",
      Array.from({ length: 51 }, (_, i) => orderPlaced(`o-many-${i}`, "C-MANY")),
    );
    expect(tooMany.status).toBe(413);
  });

  it("serves PublishEvents over gRPC with a result per event", async () => {
    const client = new IngestionServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure());
    const publish = (key: string) => {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${key}`);
      const { specversion: _, ...event } = orderPlaced("o-grpc-1", "C-GRPC-1");
      const noIdentifier = {
        ...event,
        id: "o-grpc-2",
        data: { ...event.data, customer: { identifiers: [] } },
      };
      return new Promise<PublishEventsResponse>((resolve, reject) =>
        client.publishEvents(
          {
            events: [event, noIdentifier].map((e) => ({
              ...e,
              id: e.id ?? "",
              source: "",
              subject: "",
              specVersion: "1.0",
            })),
          },
          metadata,
          { deadline: Date.now() + 10_000 },
          (error, response) => (error ? reject(error) : resolve(response)),
        ),
      );
    };
    await expect(publish("nope")).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    const response = await publish("callcenter-key");
    client.close();
    expect(response).toMatchObject({
      acceptedCount: 1,
      rejectedCount: 1,
      results: [
        { index: 0, eventId: "callcenter:o-grpc-1", outcome: EventOutcome.EVENT_OUTCOME_ACCEPTED },
        {
          index: 1,
          eventId: "",
          outcome: EventOutcome.EVENT_OUTCOME_REJECTED,
          reason: RejectionReason.REJECTION_REASON_MISSING_IDENTIFIER,
        },
      ],
    });
    await readEventsUntil(["callcenter:o-grpc-1"]);
  });

  it("sends every kind of bad input to the dead-letter topic with its reason and the original bytes", async () => {
    const valid = orderPlaced("o-dlq", "C-DLQ");
    const bad: Record<string, string> = {
      unparseable: '{"specversion":"1.0",',
      unknown_type: JSON.stringify({ ...valid, id: "dlq-1", type: "crm.v1.OrderShipped" }),
      schema_violation: JSON.stringify({ ...valid, id: "dlq-2", data: { ...valid.data, orderId: 42 } }),
      missing_identifier: JSON.stringify({
        ...valid,
        id: "dlq-3",
        data: { ...valid.data, customer: { identifiers: [] } },
      }),
      invalid_identifier: JSON.stringify({
        ...valid,
        id: "dlq-4",
        data: { ...valid.data, customer: { identifiers: [{ type: "email", value: "nobody" }] } },
      }),
      invalid_timestamp: JSON.stringify({ ...valid, id: "dlq-5", time: "last tuesday" }),
      future_timestamp: JSON.stringify({ ...valid, id: "dlq-6", time: "2999-01-01T00:00:00Z" }),
      oversized: JSON.stringify({ ...valid, id: "dlq-7", padding: "x".repeat(5000) }),
    };
    await producer.send({
      topic: topics.raw("orders"),
      messages: Object.entries(bad).map(([reason, value]) => ({ key: reason, value })),
    });
    const mismatch = await postJson("/v1/events", [{ ...valid, id: "dlq-8", source: "someone-else" }]);
    expect(mismatch.status).toBe(400);

    const expectedReasons = [...Object.keys(bad), "source_mismatch"];
    const records = await readTopic(endpoints.kafkaBrokers, topics.deadLetter, {
      until: (seen) =>
        expectedReasons.every(
          (reason) =>
            seen.some(
              (record) =>
                record.headers[deadLetterHeaders.reason] === reason &&
                record.headers[deadLetterHeaders.topic] !== "http",
            ) ||
            (reason === "source_mismatch" &&
              seen.some((record) => record.headers[deadLetterHeaders.reason] === reason)),
        ),
    });
    for (const [reason, value] of Object.entries(bad)) {
      const record = records.find(
        (candidate) =>
          candidate.headers[deadLetterHeaders.reason] === reason &&
          candidate.headers[deadLetterHeaders.topic] === topics.raw("orders"),
      );
      expect(record?.value, reason).toBe(value);
      expect(record?.headers[deadLetterHeaders.detail]).not.toBe("");
    }
    const mismatched = records.find(
      (record) => record.headers[deadLetterHeaders.reason] === "source_mismatch",
    );
    expect(mismatched?.headers[deadLetterHeaders.detail]).toContain('the write key belongs to "shop"');
    expect(mismatched?.headers[deadLetterHeaders.topic]).toBe("http");
    const metrics = await service.registry.getSingleMetricAsString("rapport_ingestion_events_rejected_total");
    expect(metrics).toContain('reason="oversized"');
  });

  it("appends an event delivered twice only once, whichever path brought each copy", async () => {
    const { source: _source, ...overHttp } = { ...orderPlaced(undefined, "C-TWICE"), source: "shop" };
    const response = await postJson("/v1/events", [overHttp]);
    const [result] = ((await response.json()) as { results: { eventId: string }[] }).results;
    const duplicateId = result?.eventId as string;
    expect(duplicateId).toMatch(/^shop:h:/);
    // The front door queued its copy keyed by the event id; keying the other copies and a sentinel the
    // same way puts them all on one partition, so once the sentinel is in the log every copy was handled.
    const copy = { key: duplicateId, value: JSON.stringify({ ...overHttp, source: "shop" }) };
    const sentinel = {
      key: duplicateId,
      value: JSON.stringify({ ...orderPlaced("sentinel", "C-S"), source: "shop" }),
    };
    await producer.send({ topic: topics.raw("orders"), messages: [copy, copy] });
    await producer.send({ topic: topics.raw("orders"), messages: [sentinel] });
    const records = await readEventsUntil(["shop:sentinel", duplicateId]);
    expect(eventIdsIn(records).filter((id) => id === duplicateId)).toHaveLength(1);
  });
});
