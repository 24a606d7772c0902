import { resolvedEventOf } from "@rapport/events";
import { loadOfferConfig } from "@rapport/offer";
import { type ContactChannel, OfferStrategy } from "@rapport/proto";
import { describe, expect, it } from "vitest";
import { admissionRulesOf } from "../../services/ingestion/src/app.js";
import { loadIngestionConfig } from "../../services/ingestion/src/config.js";
import { createAdmission } from "../../services/ingestion/src/domain/admission.js";
import { decisionAsks } from "../offer/decision-load.js";
import { failureCause, failureCode } from "../offer/failure-cause.js";
import { offerCatalog } from "../offer/offer-catalog.js";
import { offerCustomer } from "../offer/offer-customers.js";
import { offerEnvironment } from "../offer/offer-process.js";
import { freshRunNames } from "../shared/run-names.js";

const population = { seed: 5, asOfMs: Date.parse("2026-11-23T00:00:00Z") };
const customers = Array.from({ length: 2_000 }, (_, index) => offerCustomer(population, index));
const shareOf = (predicate: (customer: (typeof customers)[number]) => boolean) =>
  customers.filter(predicate).length / customers.length;

// The rules a production ingestion instance runs with: the histories are what it appends.
const admission = createAdmission(
  admissionRulesOf(loadIngestionConfig({ INGESTION_WRITE_KEYS: "bench=bench-key" })),
);

describe("the customers the offer benchmark folds and scores", () => {
  it("are the same for the same index, with unique customer and event ids", () => {
    expect(offerCustomer(population, 1234)).toEqual(customers[1234]);
    expect(new Set(customers.map((customer) => customer.customerId)).size).toBe(customers.length);
    const ids = customers.flatMap((customer) => customer.events.map((event) => event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(customers.every((customer) => customer.summary.customerId === customer.customerId)).toBe(true);
  });

  it("have histories of events exactly as ingestion appends them (admitting one changes nothing)", () => {
    const now = new Date(population.asOfMs);
    for (const { events } of customers.slice(0, 300)) {
      for (const { customerid: _customerId, ...event } of events) {
        const upstream = { ...event, id: event.id.slice(event.source.length + 1) };
        const text = JSON.stringify(upstream);
        const result = admission.admitCloudEvent(JSON.parse(text), Buffer.byteLength(text), {
          fallbackSource: event.source,
          now,
        });
        if (result.kind !== "accepted")
          throw new Error(`${text}\nwas not accepted: ${JSON.stringify(result)}`);
        expect(result.event).toEqual(event);
      }
    }
  });

  it("go to crm.events.resolved as records the offer service reads, with the customer id, before the run starts", () => {
    for (const customer of customers.slice(0, 300)) {
      for (const event of customer.events) {
        const resolved = resolvedEventOf(Buffer.from(JSON.stringify(event)));
        if (typeof resolved === "string") throw new Error(resolved);
        expect(resolved.customerId).toBe(customer.customerId);
        expect(Date.parse(event.time)).toBeLessThan(population.asOfMs);
      }
    }
  });

  it("mostly opted in to email, a third to SMS, three in four bought, about four events each", () => {
    expect(shareOf((c) => c.isEmailOptedIn)).toBeCloseTo(0.85 * 0.94, 1);
    expect(
      shareOf((c) => c.events.some((e) => e.type === "crm.v1.ConsentChanged" && e.data.channel === "sms")),
    ).toBeCloseTo(0.35, 1);
    expect(shareOf((c) => c.summary.tier !== "registered")).toBeCloseTo(0.75, 1);
    const events = customers.reduce((sum, customer) => sum + customer.events.length, 0);
    expect(events / customers.length).toBeGreaterThan(3.5);
    expect(events / customers.length).toBeLessThan(5);
  });

  it("are scored from the same history: buyers have a tier and churn risk, complaints are counted", () => {
    for (const { events, summary } of customers) {
      const orders = events.filter((event) => event.type === "crm.v1.OrderPlaced").length;
      expect(summary.tier === "registered").toBe(orders === 0);
      expect(summary.lifecycleStage === "prospect").toBe(orders === 0);
      expect(summary.churnRisk === undefined).toBe(orders === 0);
      const complaints = events.filter((event) => event.data.complaintStatus === "open").length;
      expect(summary.openComplaints).toBe(complaints);
    }
  });
});

describe("the benchmark's catalog and calls", () => {
  const catalog = offerCatalog(population.asOfMs);

  it("has 20 offers with distinct ids over every strategy and channel", () => {
    expect(catalog).toHaveLength(20);
    expect(new Set(catalog.map((offer) => offer.offerId)).size).toBe(20);
    const strategies = new Set(catalog.map((offer) => offer.strategy));
    expect(strategies.size).toBe(
      Object.values(OfferStrategy).filter((value) => typeof value === "number").length - 2,
    );
    const channels = new Set(catalog.flatMap((offer) => offer.channels));
    expect([...channels].sort()).toEqual([1, 2, 3, 4, 5, 6] satisfies ContactChannel[]);
  });

  it("asks about customers drawn from those given, half for email and half for the web, the same for a seed", () => {
    const ids = customers.slice(0, 100).map((customer) => customer.customerId);
    const asks = decisionAsks(ids, 2_000, 1);
    expect(decisionAsks(ids, 2_000, 1)).toEqual(asks);
    expect(asks.every((ask) => ids.includes(ask.customerId))).toBe(true);
    expect(asks.filter((ask) => ask.channel === "email").length / asks.length).toBeCloseTo(0.5, 1);
  });

  it("starts the offer service with settings its configuration accepts", () => {
    const names = freshRunNames("offer", "offer");
    const config = loadOfferConfig(
      offerEnvironment({
        endpoints: { kafkaBrokers: ["127.0.0.1:9092"], mongodbUri: "mongodb://127.0.0.1:27017" },
        names,
        scoringAddress: "127.0.0.1:50999",
        storeBuckets: 256,
        grpcPort: 0,
      }),
    );
    expect(config).toMatchObject({
      KAFKA_TOPIC_PREFIX: names.prefix,
      OFFER_DATABASE: names.database,
      OFFER_CONSUMER_GROUP: names.consumerGroup,
      SCORING_GRPC_ADDRESS: "127.0.0.1:50999",
      OFFER_STORE_BUCKETS: 256,
    });
  });
});

describe("why a campaign failed", () => {
  it("is the error of the offer service's handler line, else its last logged message", () => {
    const handler = JSON.stringify({
      level: 50,
      err: {
        type: "KafkaJSProtocolError",
        message: "The request included a message larger than the max",
        code: 10,
      },
      method: "crm.v1.OfferService/CreateCampaign",
      msg: "gRPC handler failed",
    });
    const kafkajs = JSON.stringify({
      level: 50,
      error: "too large",
      msg: "Response Produce(key: 0, version: 7)",
    });
    expect(failureCause(`${kafkajs}\n${handler}\n`)).toBe(
      "KafkaJSProtocolError: The request included a message larger than the max (Kafka error code 10)",
    );
    expect(failureCause(`noise\n${kafkajs}\n`)).toBe("Response Produce(key: 0, version: 7): too large");
    expect(failureCause("")).toBeUndefined();
    expect(failureCode("code 13: internal error; the service log has the details")).toBe("INTERNAL");
  });
});
