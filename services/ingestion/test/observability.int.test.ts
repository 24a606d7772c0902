import { credentials, Metadata } from "@grpc/grpc-js";
import { context, propagation, type Span, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { crmTopics } from "@rapport/events";
import { tracingInterceptor } from "@rapport/grpc";
import { IngestionServiceClient, type PublishEventsResponse } from "@rapport/proto";
import {
  infraEndpoints,
  metricSample,
  readTopic,
  type TopicRecord,
  uniqueName,
  waitFor,
} from "@rapport/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningIngestionService, startIngestionService } from "../src/app.js";
import { orderPlaced, testIngestionConfig } from "./ingestion-harness.js";

const endpoints = infraEndpoints();
const prefix = `${uniqueName("ingestion-observe")}.`;
const topics = crmTopics(prefix);
const consumerGroup = `${prefix}ingestion`;
// What main.ts sets up through the OpenTelemetry SDK: a tracer provider, the W3C propagator and the
// async context manager (spans are created whether or not they are exported).
const tracerProvider = new NodeTracerProvider();
let service: RunningIngestionService;
const fatalErrors: Error[] = [];

beforeAll(async () => {
  tracerProvider.register();
  service = await startIngestionService({
    config: testIngestionConfig(endpoints, {
      prefix,
      database: uniqueName("ingestion"),
      instance: "observe-1",
    }),
    logger: pino({ level: "silent" }),
    onFatal: (error) => fatalErrors.push(error),
  });
});

afterAll(async () => {
  await service?.stop();
  await tracerProvider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
  expect(fatalErrors).toEqual([]);
});

const traceIdOf = (record: TopicRecord | undefined) => record?.headers.traceparent?.split("-")[1];

/** The crm.events record of an event id, once ingestion has appended it. */
async function appended(eventId: string): Promise<TopicRecord | undefined> {
  const idOf = (record: TopicRecord) => JSON.parse(record.value ?? "{}").id as string;
  const records = await readTopic(endpoints.kafkaBrokers, topics.events, {
    until: (read) => read.some((record) => idOf(record) === eventId),
    timeoutMs: 30_000,
  });
  return records.find((record) => idOf(record) === eventId);
}

/** A caller's span, as an upstream system would have it. */
function callerSpan(): { span: Span; traceId: string; traceparent: string } {
  const span = trace.getTracer("upstream").startSpan("upstream");
  const { traceId, spanId } = span.spanContext();
  return { span, traceId, traceparent: `00-${traceId}-${spanId}-01` };
}

describe("ingestion's traces and metrics", () => {
  it("continues the trace of an HTTP caller into the event it appends to crm.events", async () => {
    const caller = callerSpan();
    const response = await fetch(`http://127.0.0.1:${service.httpPort}/v1/events`, {
      method: "POST",
      headers: {
        authorization: "Bearer shop-key",
        "content-type": "application/json",
        traceparent: caller.traceparent,
      },
      body: JSON.stringify(orderPlaced("o-traced-http", "C-TRACED-HTTP")),
    });
    caller.span.end();
    expect(response.status).toBe(202);

    const record = await appended("shop:o-traced-http");
    expect(traceIdOf(record)).toBe(caller.traceId);
  });

  it("continues the trace of access-log lines posted over HTTP", async () => {
    const caller = callerSpan();
    const line =
      '198.51.100.7 - - [01/Mar/2026:20:15:02 +0900] "GET /tea/black HTTP/1.1" 200 512 "-" ' +
      '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36" "vid=v-traced"';
    const response = await fetch(`http://127.0.0.1:${service.httpPort}/v1/weblogs`, {
      method: "POST",
      headers: {
        authorization: "Bearer web-key",
        "content-type": "text/plain",
        traceparent: caller.traceparent,
      },
      body: line,
    });
    caller.span.end();
    expect(response.status).toBe(202);
    const [result] = ((await response.json()) as { results: { eventId: string }[] }).results;

    const record = await appended(result?.eventId ?? "");
    expect(traceIdOf(record)).toBe(caller.traceId);
  });

  it("continues the trace of a gRPC PublishEvents call, and observes the call's latency by method and code", async () => {
    const client = new IngestionServiceClient(`127.0.0.1:${service.grpcPort}`, credentials.createInsecure(), {
      interceptors: [tracingInterceptor],
    });
    const caller = callerSpan();
    const metadata = new Metadata();
    metadata.set("authorization", "Bearer callcenter-key");
    const { specversion: _, ...event } = orderPlaced("o-traced-grpc", "C-TRACED-GRPC");
    await context.with(
      trace.setSpan(context.active(), caller.span),
      () =>
        new Promise<PublishEventsResponse>((resolve, reject) =>
          client.publishEvents(
            { events: [{ ...event, id: event.id ?? "", source: "", subject: "", specVersion: "1.0" }] },
            metadata,
            { deadline: Date.now() + 10_000 },
            (error, response) => (error ? reject(error) : resolve(response)),
          ),
        ),
    );
    caller.span.end();
    client.close();

    const record = await appended("callcenter:o-traced-grpc");
    expect(traceIdOf(record)).toBe(caller.traceId);
    const metrics = await (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    expect(
      metricSample(metrics, "rapport_grpc_server_handling_seconds_count", {
        method: "crm.v1.IngestionService/PublishEvents",
        code: "OK",
        service: "ingestion",
      }),
    ).toBe(1);
  });

  it("shows on /metrics the raw records it consumed, a lag of 0 once caught up, and what it dead-lettered", async () => {
    // Consents: a lane no other test here writes to, so its counts are this test's alone.
    const consent = {
      specversion: "1.0",
      id: "consent-metrics-1",
      type: "crm.v1.ConsentChanged",
      time: "2026-03-01T18:30:00+09:00",
      data: {
        customer: { identifiers: [{ type: "customer_number", value: "C-METRICS-1" }] },
        channel: "email",
        status: "revoked",
        source: "web_form",
      },
    };
    const response = await fetch(`http://127.0.0.1:${service.httpPort}/v1/events`, {
      method: "POST",
      headers: { authorization: "Bearer shop-key", "content-type": "application/json" },
      body: JSON.stringify([consent, { ...consent, id: "consent-metrics-2", type: "crm.v1.Nope" }]),
    });
    expect(response.status).toBe(207);
    await appended("shop:consent-metrics-1");

    const consentsTopic = topics.raw("consents");
    const scrape = async () => (await fetch(`http://127.0.0.1:${service.httpPort}/metrics`)).text();
    const lagLines = (metrics: string) =>
      metrics
        .split("\n")
        .filter(
          (line) =>
            line.startsWith("rapport_kafka_consumer_lag{") && line.includes(`topic="${consentsTopic}"`),
        );
    const metrics = await waitFor(
      async () => {
        const scraped = await scrape();
        const consumed = metricSample(scraped, "rapport_kafka_records_consumed_total", {
          group: consumerGroup,
          topic: consentsTopic,
        });
        const lags = lagLines(scraped);
        return consumed === 1 && lags.length > 0 && lags.every((line) => line.endsWith(" 0"))
          ? scraped
          : undefined;
      },
      { description: "one consent consumed and the consents lane's lag at 0", timeoutMs: 30_000 },
    );
    expect(
      metricSample(metrics, "rapport_dead_letters_total", { topic: "http", reason: "unknown_type" }),
    ).toBe(1);
    expect(
      metricSample(metrics, "rapport_kafka_batch_duration_seconds_count", {
        group: consumerGroup,
        topic: consentsTopic,
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});
