import { randomBytes } from "node:crypto";
import { credentials } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  ContactChannel,
  CustomerServiceClient,
  type GetNextBestOffersResponse,
  IdentityServiceClient,
  type Offer,
  OfferKind,
  OfferServiceClient,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";
import { infraEndpoints, type OtlpReceiver, startOtlpReceiver, waitFor } from "@rapport/testing";
import { Kafka, logLevel, type Producer } from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildDataset, type Delivery, type Person } from "./support/dataset.js";
import { bearerOf, type Platform, startPlatform } from "./support/platform.js";
import { keyOf, type PlatformProjection, protoIdentifier, readProjection } from "./support/projection.js";
import { type PublishAnswers, publish } from "./support/publish.js";

// The whole platform as it runs in production: ingestion, identity, scoring and the offer service
// each in its own process, on the real broker and FerretDB. A small shop's dataset goes in through
// Kafka raw topics, HTTP and gRPC; every service's gRPC API is asked what it made of it; one request
// is followed through all four services by its trace; and a second run over the same dataset, with
// services killed mid-stream and restarted, must end with the same projections as the first.

const minutes = 60_000;
const endpoints = infraEndpoints();
const dataset = buildDataset(new Date());
const platforms: Platform[] = [];
let clean: Platform;
let producer: Producer;
let receiver: OtlpReceiver;
/** What the clean run made of the dataset, read once everything was consumed. */
let cleanProjection: PlatformProjection | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  producer = new Kafka({ brokers: endpoints.kafkaBrokers, logLevel: logLevel.WARN }).producer();
  await producer.connect();
  clean = await startPlatform({ ...endpoints, run: "e2e-clean", otlpTracesEndpoint: receiver.tracesUrl });
  platforms.push(clean);
}, 10 * minutes);

afterAll(async () => {
  await Promise.all(platforms.map((platform) => platform.stop()));
  await producer?.disconnect();
  await receiver?.close();
}, 3 * minutes);

afterEach(({ task }) => {
  if (task.result?.state === "fail")
    for (const platform of platforms) process.stderr.write(`${platform.output()}\n`);
});

type Phases = {
  /** Runs when half of the first phase is published: the moment to crash a service mid-stream. */
  afterFirstHalf?: () => Promise<void>;
  /** Runs when the whole first phase is published. */
  afterFirstPhase?: () => Promise<void>;
};

/** Publishes the dataset: the first phase, then, once identity knows what it relies on, the second. */
async function publishDataset(platform: Platform, phases: Phases = {}): Promise<PublishAnswers[]> {
  const half = Math.ceil(dataset.firstPhase.length / 2);
  const answers = [await publish(platform, producer, dataset.firstPhase.slice(0, half))];
  await phases.afterFirstHalf?.();
  answers.push(await publish(platform, producer, dataset.firstPhase.slice(half)));
  await phases.afterFirstPhase?.();
  const identity = new IdentityServiceClient(platform.grpcAddress.identity, credentials.createInsecure());
  try {
    await waitFor(
      async () => {
        for (const identifier of dataset.secondPhaseRelies)
          await callUnary(identity, identity.resolve, { identifiers: [protoIdentifier(identifier)] }, 60_000);
        return true;
      },
      {
        description: "identity to know the first phase's identifiers",
        timeoutMs: 5 * minutes,
        intervalMs: 500,
      },
    );
  } finally {
    identity.close();
  }
  answers.push(await publish(platform, producer, dataset.secondPhase));
  return answers;
}

const label = (projection: PlatformProjection, customerNumber: string) =>
  projection.customerOf[`customer_number:${customerNumber}`] ?? "";

/** Whether scoring shows every event of the dataset, person by person (and the anonymous visitor). */
function showsWholeDataset(projection: PlatformProjection): boolean {
  const shows = (person: Person) => {
    const customer = projection.customers[label(projection, person.customerNumber)]?.customer;
    return (
      customer?.orders?.orders === person.orders &&
      customer.orders.revenueMinor === person.revenueMinor &&
      customer.consents.length === person.emailConsents &&
      customer.surveys?.surveysAnswered === person.surveys &&
      customer.service?.inboundCalls === person.inboundCalls &&
      customer.web?.pageViews === person.pageViews
    );
  };
  const anonymous = projection.customerOf[keyOf({ type: "cookie_id", value: dataset.anonymousCookie })];
  return (
    dataset.persons.every(shows) &&
    projection.customers[anonymous ?? ""]?.customer?.web?.pageViews === 2 &&
    projection.customers[label(projection, "C-1010")]?.customer?.mergedCustomerIds.length === 1 &&
    projection.customers[label(projection, dataset.duplicate.customerNumber)]?.customer?.mergedCustomerIds
      .length === 1
  );
}

describe("the platform, each service its own process", () => {
  it("accepts the dataset through a Kafka raw topic, HTTP and gRPC", { timeout: 10 * minutes }, async () => {
    const published = await publishDataset(clean);

    const sent = (path: Delivery["path"]) =>
      [...dataset.firstPhase, ...dataset.secondPhase].filter((delivery) => delivery.path === path).length;
    const http = published.flatMap((answers) => answers.http);
    expect(http.map((answer) => answer.status)).toEqual(http.map(() => 202));
    expect(http.reduce((sum, answer) => sum + answer.body.accepted, 0)).toBe(sent("http"));
    const grpc = published.flatMap((answers) => answers.grpc);
    expect(grpc.reduce((sum, answer) => sum + answer.acceptedCount, 0)).toBe(sent("grpc"));
    expect(grpc.flatMap((answer) => answer.results.map((result) => result.eventId))).toContain(
      "shop:order-C-1020-web",
    );
    expect(grpc.every((answer) => answer.rejectedCount === 0)).toBe(true);
  });

  it("resolves a duplicate sign-up, a logged-in browser and a caller's phone to their customers", {
    timeout: 10 * minutes,
  }, async () => {
    const identity = new IdentityServiceClient(clean.grpcAddress.identity, credentials.createInsecure());
    const resolve = async (type: "customer_number" | "email" | "phone" | "cookie_id", value: string) =>
      (
        await callUnary(
          identity,
          identity.resolve,
          { identifiers: [protoIdentifier({ type, value })] },
          60_000,
        )
      ).customerId;
    try {
      await waitFor(
        async () =>
          (await resolve("email", dataset.duplicate.email)) ===
            (await resolve("customer_number", dataset.duplicate.customerNumber)) &&
          (await resolve("cookie_id", dataset.visitorCookie)) ===
            (await resolve("customer_number", "C-1010")),
        {
          description: "identity to merge the second phase's customers",
          timeoutMs: 5 * minutes,
          intervalMs: 500,
        },
      );
      // The call center logged the number as written nationally; it is the complaint customer's all the same.
      expect(await resolve("phone", dataset.complaint.phone)).toBe(
        await resolve("customer_number", dataset.complaint.customerNumber),
      );
      expect(await resolve("cookie_id", dataset.anonymousCookie)).not.toBe(
        await resolve("customer_number", "C-1010"),
      );

      const { stats } = await callUnary(identity, identity.getIdentityStats, {}, 60_000);
      expect(stats).toEqual({
        // 30 registrations, 30 shops' customers, 3 survey answers and 2 callers by their strongest
        // identifier, the second sign-up by its email, 2 browsers and one logged-in visit.
        sourceRecords: 30 + 30 + 3 + 2 + 1 + 3,
        // 30 people and the visitor who never logged in.
        uniqueCustomers: 31,
        // The second sign-up and the browser before the login.
        duplicatesMerged: 2,
        anonymousOnlyCustomers: 1,
      });
    } finally {
      identity.close();
    }
  });

  it("scores every customer from all their events: orders, complaint, web visits, survey, consent", {
    timeout: 10 * minutes,
  }, async () => {
    let projection: PlatformProjection | undefined;
    await waitFor(
      async () => {
        projection = await readProjection(clean, dataset);
        return showsWholeDataset(projection);
      },
      {
        description: "scoring to show every event of the dataset",
        timeoutMs: 5 * minutes,
        intervalMs: 1_000,
      },
    ).catch((error: Error) => {
      throw new Error(
        `${error.message}\nlast projection: ${JSON.stringify(projection, null, 1).slice(0, 20_000)}`,
      );
    });
    cleanProjection = projection as PlatformProjection;
    const customer = (customerNumber: string) =>
      cleanProjection?.customers[label(cleanProjection, customerNumber)];

    const complaint = customer(dataset.complaint.customerNumber)?.customer?.service;
    expect(complaint).toMatchObject({ inboundCalls: 1, openComplaints: 1, resolvedComplaints: 0 });
    expect(complaint?.complaints).toEqual([
      expect.objectContaining({ reference: dataset.complaint.reference, state: "open" }),
    ]);
    expect(complaint?.callsByPurpose).toEqual([{ name: "complaint", count: 1 }]);

    // The pages seen before the login count for the customer who logged in: one visit of four pages.
    const web = customer("C-1010")?.customer?.web;
    expect(web).toMatchObject({ pageViews: 4, sessions: 1, meanPageViewsPerSession: 4 });
    expect(web?.entryPages).toEqual([{ name: "/tea/green-sencha", count: 1 }]);
    expect(web?.searchKeywords.map((keyword) => keyword.name).sort()).toEqual(["green", "tea"]);

    const surveyed = customer(dataset.surveyed.customerNumber)?.customer?.surveys;
    expect(surveyed).toMatchObject({ surveysAnswered: 1, latestNps: 9, latestNpsClass: "promoter" });

    // Both sign-ups are one customer with the orders of both.
    const duplicate = dataset.persons.find((p) => p.customerNumber === dataset.duplicate.customerNumber);
    const merged = customer(dataset.duplicate.customerNumber);
    expect(merged?.customer?.mergedCustomerIds).toEqual(["merged"]);
    expect(merged?.customer?.orders).toMatchObject({
      orders: duplicate?.orders,
      revenueMinor: duplicate?.revenueMinor,
    });
    expect(merged?.summary?.tier).toBe("purchasing");

    // Every person bought: a purchasing customer with the revenue of their orders.
    for (const person of dataset.persons)
      expect(customer(person.customerNumber)?.summary, person.customerNumber).toMatchObject({
        revenueMinor: person.revenueMinor,
        tier: "purchasing",
      });
    expect(customer(dataset.complaint.customerNumber)?.summary?.openComplaints).toBe(1);
  });

  it("reports the customer base and, once a model is fitted, RFM segments", {
    timeout: 10 * minutes,
  }, async () => {
    const scoring = new CustomerServiceClient(clean.grpcAddress.scoring, credentials.createInsecure());
    try {
      await callUnary(scoring, scoring.refitModels, { asOf: "" }, 60_000);
      const report = await waitFor(
        async () => {
          const answer = await callUnary(scoring, scoring.getSegmentReport, {}, 60_000);
          const scored = answer.rfmSegments.reduce((sum, segment) => sum + segment.customers, 0);
          return scored === dataset.persons.length ? answer : undefined;
        },
        { description: "RFM segments for every buyer", timeoutMs: 5 * minutes, intervalMs: 1_000 },
      );
      expect(report.customerBase).toMatchObject({ registered: 30, unique: 31, mergedDuplicates: 2 });
      expect(report.tiers.find((tier) => tier.name === "purchasing")?.customers).toBe(30);
      const revenue = dataset.persons.reduce((sum, person) => sum + person.revenueMinor, 0);
      expect(report.tiers.reduce((sum, tier) => sum + tier.revenueMinor, 0)).toBe(revenue);
    } finally {
      scoring.close();
    }
  });

  it("offers the complaint caller only service recovery, and email offers only to those who opted in", {
    timeout: 10 * minutes,
  }, async () => {
    const offers = new OfferServiceClient(clean.grpcAddress.offer, credentials.createInsecure());
    const offer = (definition: Partial<Offer>): Offer => ({
      offerId: "",
      name: "",
      description: "",
      kind: OfferKind.OFFER_KIND_DISCOUNT,
      strategy: OfferStrategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [ContactChannel.CONTACT_CHANNEL_EMAIL],
      eligibility: [],
      costMinor: 0,
      valueMinor: 0,
      validFrom: "",
      validUntil: "",
      perCustomerCap: 0,
      priorResponseRate: 0.1,
      revision: 0,
      updatedAt: "",
      retiredAt: "",
      ...definition,
    });
    const preview = (type: "customer_number" | "phone", value: string, channel: ContactChannel) =>
      callUnary(
        offers,
        offers.getNextBestOffers,
        {
          subject: { $case: "identifier", value: protoIdentifier({ type, value }) },
          channel,
          limit: 5,
          context: { strategies: [], placement: "e2e", explore: false, preview: true },
        },
        60_000,
      );
    try {
      for (const definition of [
        offer({ offerId: "tea-week", name: "Tea week discount", costMinor: 500, valueMinor: 8_000 }),
        offer({
          offerId: "sorry-call",
          name: "Apology call with a voucher",
          kind: OfferKind.OFFER_KIND_SERVICE_RECOVERY,
          strategy: OfferStrategy.OFFER_STRATEGY_SERVICE_RECOVERY,
          channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
          valueMinor: 2_000,
        }),
        offer({
          offerId: "retention-call",
          name: "Dedicated agent call",
          kind: OfferKind.OFFER_KIND_DEDICATED_AGENT,
          strategy: OfferStrategy.OFFER_STRATEGY_RETENTION,
          channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
          eligibility: [
            {
              attribute: "tier",
              operator: RuleOperator.RULE_OPERATOR_IN,
              values: ["purchasing"],
              threshold: 0,
            },
          ],
          costMinor: 3_000,
          valueMinor: 30_000,
        }),
      ])
        expect(
          (await callUnary(offers, offers.upsertOffer, { offer: definition }, 60_000)).offer?.revision,
        ).toBe(1);

      // The call-center screen asks by the caller's number while the complaint is open.
      let answer: GetNextBestOffersResponse | undefined;
      await waitFor(
        async () => {
          answer = await preview("phone", dataset.complaint.phone, ContactChannel.CONTACT_CHANNEL_PHONE);
          return answer.notMade.some((notMade) => /only service recovery/.test(notMade.reason));
        },
        {
          description: "the offer service to know of the complaint",
          timeoutMs: 5 * minutes,
          intervalMs: 1_000,
        },
      );
      expect(answer?.offers.map((made) => made.offer?.offerId)).toEqual(["sorry-call"]);
      expect(answer?.offers[0]?.presentationId).toBe("");
      expect(answer?.notMade.find((notMade) => notMade.offerId === "retention-call")?.reason).toMatch(
        /complaint .*open.*only service recovery/,
      );

      // Person 2 granted email consent; person 1 never did.
      const optedIn = await waitFor(
        async () => {
          const made = await preview("customer_number", "C-1002", ContactChannel.CONTACT_CHANNEL_EMAIL);
          return made.offers.length > 0 ? made : undefined;
        },
        {
          description: "an email offer for a customer who opted in",
          timeoutMs: 5 * minutes,
          intervalMs: 1_000,
        },
      );
      expect(optedIn.offers.map((made) => made.offer?.offerId)).toEqual(["tea-week"]);
      expect(optedIn.offers[0]?.reasons.join("\n")).toMatch(/email opt-in since/);
      const notOptedIn = await preview("customer_number", "C-1001", ContactChannel.CONTACT_CHANNEL_EMAIL);
      expect(notOptedIn.offers).toEqual([]);
      expect(notOptedIn.notMade.find((notMade) => notMade.offerId === "tea-week")?.reason).toMatch(
        /email: no opt-in/,
      );
    } finally {
      offers.close();
    }
  });

  it("follows one HTTP request through ingestion, identity, scoring and offer in one trace", {
    timeout: 10 * minutes,
  }, async () => {
    const traceId = randomBytes(16).toString("hex");
    const order = dataset.firstPhase.find((delivery) => delivery.event.type === "crm.v1.OrderPlaced")?.event;
    const response = await fetch(`${clean.ingestionUrl}/v1/events`, {
      method: "POST",
      headers: {
        authorization: bearerOf("shop"),
        "content-type": "application/json",
        traceparent: `00-${traceId}-${randomBytes(8).toString("hex")}-01`,
      },
      body: JSON.stringify({
        ...order,
        id: "order-traced",
        time: new Date().toISOString(),
        data: { ...order?.data, orderId: "order-traced" },
      }),
    });
    expect(response.status).toBe(202);

    const services = ["rapport-ingestion", "rapport-identity", "rapport-scoring", "rapport-offer"];
    const servicesInTrace = () =>
      new Set(
        receiver
          .spans()
          .filter((span) => span.traceId === traceId)
          .map((span) => span.serviceName),
      );
    await waitFor(() => services.every((service) => servicesInTrace().has(service)), {
      description: "spans of all four services in the request's trace",
      timeoutMs: 3 * minutes,
      intervalMs: 1_000,
    }).catch((error: Error) => {
      const spans = receiver.spans().filter((span) => span.traceId === traceId);
      throw new Error(
        `${error.message}\nservices in the trace: ${[...servicesInTrace()].join(", ") || "none"}; missing: ${services
          .filter((service) => !servicesInTrace().has(service))
          .join(", ")}\nits spans: ${spans.map((span) => `${span.serviceName} ${span.name}`).join("; ")}\n` +
          `spans received in all: ${receiver.spans().length}`,
      );
    });
  });

  it("ends with the same projections after identity and scoring are killed mid-stream and restarted", {
    timeout: 20 * minutes,
  }, async () => {
    expect(cleanProjection, "the clean run's projection (read by the scoring test)").toBeDefined();
    const crashed = await startPlatform({ ...endpoints, run: "e2e-crash" });
    platforms.push(crashed);
    const identityStats = async () => {
      const identity = new IdentityServiceClient(crashed.grpcAddress.identity, credentials.createInsecure());
      try {
        return (await callUnary(identity, identity.getIdentityStats, {}, 60_000)).stats;
      } finally {
        identity.close();
      }
    };

    await publishDataset(crashed, {
      // Identity dies while it is resolving the first events, with more on the way…
      afterFirstHalf: async () => {
        await waitFor(async () => ((await identityStats())?.sourceRecords ?? 0) > 0, {
          description: "identity to resolve the first events",
          timeoutMs: 5 * minutes,
          intervalMs: 100,
        });
        await crashed.kill("identity");
      },
      // …and comes back once the rest of the first phase has been published.
      afterFirstPhase: () => crashed.restart("identity"),
    });
    // Scoring dies right after the second phase is published, while it is still folding events.
    await crashed.kill("scoring");
    await crashed.restart("scoring");

    let projection: PlatformProjection | undefined;
    await waitFor(
      async () => {
        projection = await readProjection(crashed, dataset);
        return JSON.stringify(projection) === JSON.stringify(cleanProjection);
      },
      {
        description: "the crashed run's projections to equal the clean run's",
        timeoutMs: 5 * minutes,
        intervalMs: 2_000,
      },
    ).catch(() => undefined);
    expect(projection).toEqual(cleanProjection);
  });
});
