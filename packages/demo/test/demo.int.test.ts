import { Writable } from "node:stream";
import { loadIdentityConfig, startIdentityService } from "@rapport/identity";
import { loadIngestionConfig, startIngestionService } from "@rapport/ingestion";
import { loadOfferConfig, startOfferService } from "@rapport/offer";
import { loadScoringConfig, startScoringService } from "@rapport/scoring";
import { infraEndpoints, uniqueName } from "@rapport/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoEndpoints } from "../src/demo-endpoints.js";
import { type DemoReport, demoReportText } from "../src/demo-report.js";
import { runDemo } from "../src/run-demo.js";

// The demo's whole pipeline with a small company, against the four services started in this process
// on the throwaway Kafka and FerretDB.

const infra = infraEndpoints();
const prefix = `${uniqueName("demo-it")}.`;
const fatalErrors: Error[] = [];
const stops: (() => Promise<void>)[] = [];
const silent = pino({ level: "silent" });
const onFatal = (error: Error) => fatalErrors.push(error);
const writeKey = "demo-it-write-key-0001";
let endpoints: DemoEndpoints;
const sameCompany = { customers: 60, months: 6, seed: 3, timeoutMinutes: 12 };
let firstReport: DemoReport | undefined;

const common = {
  KAFKA_BROKERS: infra.kafkaBrokers.join(","),
  MONGODB_URI: infra.mongodbUri,
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_TOPIC_PARTITIONS: "3",
  HTTP_PORT: "0",
  GRPC_PORT: "0",
  LOG_LEVEL: "silent",
};

beforeAll(async () => {
  const ingestion = await startIngestionService({
    config: loadIngestionConfig({
      ...common,
      INGESTION_DATABASE: uniqueName("demo-it-ingestion"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      INGESTION_WRITE_KEYS: `demo=${writeKey}`,
      WEBLOG_VISITOR_COOKIE_FIELD: "1",
      INSTANCE_ID: "ingestion-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => ingestion.stop());
  const identity = await startIdentityService({
    config: loadIdentityConfig({
      ...common,
      IDENTITY_DATABASE: uniqueName("demo-it-identity"),
      IDENTITY_CONSUMER_GROUP: `${prefix}identity`,
      IDENTITY_STORE_BUCKETS: "8",
      INSTANCE_ID: "identity-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => identity.stop());
  const scoring = await startScoringService({
    config: loadScoringConfig({
      ...common,
      SCORING_DATABASE: uniqueName("demo-it-scoring"),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_STORE_BUCKETS: "8",
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: "scoring-1",
      IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}`,
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => scoring.stop());
  const offer = await startOfferService({
    config: loadOfferConfig({
      ...common,
      OFFER_DATABASE: uniqueName("demo-it-offer"),
      OFFER_CONSUMER_GROUP: `${prefix}offer`,
      OFFER_STORE_BUCKETS: "8",
      OFFER_UNSUBSCRIBE_SECRET: "integration-test-secret",
      INSTANCE_ID: "offer-1",
      SCORING_GRPC_ADDRESS: `127.0.0.1:${scoring.grpcPort}`,
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => offer.stop());
  endpoints = {
    kafkaBrokers: infra.kafkaBrokers,
    topicPrefix: prefix,
    ingestionUrl: `http://127.0.0.1:${ingestion.httpPort}`,
    writeKey,
    identityAddress: `127.0.0.1:${identity.grpcPort}`,
    scoringAddress: `127.0.0.1:${scoring.grpcPort}`,
    offerAddress: `127.0.0.1:${offer.grpcPort}`,
    metrics: {
      ingestion: `http://127.0.0.1:${ingestion.httpPort}/metrics`,
      identity: `http://127.0.0.1:${identity.httpPort}/metrics`,
      scoring: `http://127.0.0.1:${scoring.httpPort}/metrics`,
      offer: `http://127.0.0.1:${offer.httpPort}/metrics`,
    },
  };
}, 180_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  expect(fatalErrors).toEqual([]);
}, 60_000);

describe("npm run demo", () => {
  it("says to start the platform when nothing answers", async () => {
    await expect(
      runDemo({
        options: { customers: 10, months: 1, seed: 1, timeoutMinutes: 1 },
        endpoints: { ...endpoints, ingestionUrl: "http://127.0.0.1:9" },
        now: new Date(),
        output: new Writable({ write: (_chunk, _encoding, done) => done() }),
      }),
    ).rejects.toThrow(/npm start/);
  });

  it("publishes a small company through the three doors and reports customers, segments, a 360 and a campaign's lift", async () => {
    let progress = "";
    const output = new Writable({
      write: (chunk, _encoding, done) => {
        progress += String(chunk);
        done();
      },
    });
    const report: DemoReport = await runDemo({
      options: sameCompany,
      endpoints,
      now: new Date(),
      output,
    });

    expect(report.published.byPath.kafka).toBeGreaterThan(0);
    expect(report.published.byPath.http).toBeGreaterThan(0);
    expect(report.published.byPath.weblog).toBeGreaterThan(0);
    expect(progress).toMatch(/publishing: [\d,]+ \/ [\d,]+ events/);
    // Second sign-ups sharing a phone and cookies stitched at login fold into fewer customers.
    expect(report.identity.duplicatesMerged).toBeGreaterThan(0);
    expect(report.identity.uniqueCustomers).toBeLessThan(report.identity.sourceRecords);
    expect(report.segments.customerBase?.mergedDuplicates).toBeGreaterThan(0);
    expect(report.segments.grid.length).toBeGreaterThan(0);
    expect(report.topByValue.length).toBeGreaterThan(0);
    expect(report.timeline.entries.length).toBeGreaterThan(0);
    expect(report.campaign.treatment).toBeGreaterThan(0);
    expect(report.campaign.report.responded).toBe(report.campaign.responsesRecorded);

    const text = demoReportText(report);
    expect(text).toMatch(/Registered vs unique customers/);
    expect(text).toMatch(/^Customer cus_/m);
    expect(text).toMatch(/Timeline of cus_/);
    expect(text).toMatch(/lift +[+−][\d.]+ points \(95% CI [+−][\d.]+ points to [+−][\d.]+ points\)/);
    firstReport = report;
  }, 900_000);

  it("runs again with the same company: ingestion drops what it appended before, and the demo finishes", async () => {
    const again = await runDemo({
      options: sameCompany,
      endpoints,
      now: new Date(),
      output: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });

    // It waits for the revenue already folded, not for a second company's: before, it waited out its timeout.
    expect(again.published.sent).toBe(firstReport?.published.sent);
    expect(again.campaign.report.responded).toBe(again.campaign.responsesRecorded);
  }, 900_000);
});
