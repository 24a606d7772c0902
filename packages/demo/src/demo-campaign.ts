import { crmTopics, type Identifier } from "@rapport/events";
import { callUnary, mapConcurrently } from "@rapport/grpc";
import {
  type CampaignTarget,
  ContactChannel,
  type GetCampaignReportResponse,
  IdentifierType,
  type IdentityServiceClient,
  type Offer,
  OfferKind,
  OfferResponse,
  type OfferServiceClient,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";
import { seededRandom } from "@rapport/sampling";
import { Kafka, logLevel } from "kafkajs";
import { customerHolding } from "./await-projections.js";
import { drawsOf } from "./company/draws.js";
import { upstreamEvent } from "./company/upstream.js";
import type { DemoEndpoints } from "./demo-endpoints.js";
import { awaitQuiet, readConsumers } from "./platform-quiet.js";
import type { ProgressOutput } from "./progress-line.js";

type Output = ProgressOutput;

const offer = (definition: Partial<Offer> & Pick<Offer, "offerId" | "name">): Offer => ({
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
  priorResponseRate: 0,
  revision: 0,
  updatedAt: "",
  retiredAt: "",
  ...definition,
});

/** The demo's catalog: a retention call for customers slipping away, a cross-sell, and service recovery. */
export const demoOffers: readonly Offer[] = [
  offer({
    offerId: "demo-retention-call",
    name: "We miss you: 20% off your next tea order",
    kind: OfferKind.OFFER_KIND_DISCOUNT,
    strategy: OfferStrategy.OFFER_STRATEGY_RETENTION,
    channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
    eligibility: [
      {
        attribute: "lifecycle_stage",
        operator: RuleOperator.RULE_OPERATOR_IN,
        values: ["at_risk", "lapsed"],
        threshold: 0,
      },
    ],
    costMinor: 4_000,
    valueMinor: 45_000,
    priorResponseRate: 0.15,
  }),
  offer({
    offerId: "demo-teaware-cross-sell",
    name: "A celadon cup for your tea",
    strategy: OfferStrategy.OFFER_STRATEGY_CROSS_SELL,
    channels: [
      ContactChannel.CONTACT_CHANNEL_EMAIL,
      ContactChannel.CONTACT_CHANNEL_PHONE,
      ContactChannel.CONTACT_CHANNEL_WEB,
    ],
    eligibility: [
      { attribute: "categories", operator: RuleOperator.RULE_OPERATOR_IN, values: ["tea"], threshold: 0 },
    ],
    costMinor: 1_500,
    valueMinor: 28_000,
    priorResponseRate: 0.08,
  }),
  offer({
    offerId: "demo-service-recovery",
    name: "Apology call with a 10,000 KRW voucher",
    kind: OfferKind.OFFER_KIND_SERVICE_RECOVERY,
    strategy: OfferStrategy.OFFER_STRATEGY_SERVICE_RECOVERY,
    channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
    costMinor: 10_000,
    valueMinor: 30_000,
    priorResponseRate: 0.3,
  }),
];

export type CampaignOutcome = {
  campaignId: string;
  treatment: number;
  holdout: number;
  exclusions: { reason: string; customers: number }[];
  responsesRecorded: number;
  ordersAfter: { treatment: number; holdout: number };
  report: GetCampaignReportResponse;
};

async function allTargets(
  client: OfferServiceClient,
  campaignId: string,
  group: string,
): Promise<CampaignTarget[]> {
  const targets: CampaignTarget[] = [];
  let pageToken = "";
  do {
    const page = await callUnary(
      client,
      client.getCampaignTargets,
      {
        campaignId,
        group,
        pageSize: 1_000,
        pageToken,
      },
      60_000,
    );
    targets.push(...page.targets);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return targets;
}

/**
 * Upserts the catalog, freezes a retention phone campaign (at-risk and lapsed customers, a 20%
 * holdout) on a platform that has handled the company, records the call center's responses for a
 * share of the treatment group, lets some of them (and a few of the holdout, who would have bought
 * anyway) order through the shop's raw topic, and once the platform has handled those, asks for the
 * report with the lift.
 */
export async function runDemoCampaign(input: {
  offers: OfferServiceClient;
  identity: IdentityServiceClient;
  endpoints: DemoEndpoints;
  seed: number;
  /** The company's customer numbers by phone, to tell which of a household bought. */
  customerNumbersByPhone: ReadonlyMap<string, readonly string[]>;
  /** When the demo started: with the seed, it names the campaign. */
  now: Date;
  timeoutMs: number;
  output: Output;
}): Promise<CampaignOutcome> {
  const { offers: client, output } = input;
  for (const definition of demoOffers)
    await callUnary(client, client.upsertOffer, { offer: definition }, 60_000);

  const campaignId = `demo-winback-${input.seed}-${input.now.toISOString().slice(0, 16).replace(/\D/g, "")}`;
  const { campaign } = await callUnary(
    client,
    client.createCampaign,
    {
      campaignId,
      name: "Win back at-risk and lapsed tea buyers by phone",
      offerId: "demo-retention-call",
      channel: ContactChannel.CONTACT_CHANNEL_PHONE,
      audience: {
        tiers: [],
        lifecycleStages: ["at_risk", "lapsed"],
        rfmSegments: [],
        segmentCells: [],
        maxTargets: 0,
      },
      holdoutPercent: 20,
      measurementDays: 30,
    },
    10 * 60_000,
  );
  if (!campaign) throw new Error("the offer service answered CreateCampaign without the campaign");
  const treatment = await allTargets(client, campaignId, "treatment");
  const holdout = await allTargets(client, campaignId, "holdout");

  // What the call center hears back, and who buys within the window: responders mostly, others rarely.
  const draws = drawsOf(seededRandom(input.seed + 1));
  const buyers: CampaignTarget[] = [];
  const responses: { target: CampaignTarget; response: OfferResponse; revenueMinor: number }[] = [];
  for (const target of treatment) {
    if (!draws.chance(0.6)) continue;
    const roll = draws.uniform();
    const response =
      roll < 0.3
        ? OfferResponse.OFFER_RESPONSE_CONVERTED
        : roll < 0.45
          ? OfferResponse.OFFER_RESPONSE_ACCEPTED
          : roll < 0.75
            ? OfferResponse.OFFER_RESPONSE_DECLINED
            : OfferResponse.OFFER_RESPONSE_NO_ANSWER;
    responses.push({ target, response, revenueMinor: draws.int(20, 90) * 1_000 });
    if (response === OfferResponse.OFFER_RESPONSE_CONVERTED || draws.chance(0.05)) buyers.push(target);
  }
  const beforeResponses = await readConsumers(input.endpoints.metrics);
  // The call center's agents record their answers side by side.
  await mapConcurrently(responses, responsesInFlight, ({ target, response, revenueMinor }) =>
    callUnary(
      client,
      client.recordResponse,
      {
        customerId: target.customerId,
        offerId: "demo-retention-call",
        campaignId,
        presentationId: "",
        response,
        channel: ContactChannel.CONTACT_CHANNEL_PHONE,
        revenue:
          response === OfferResponse.OFFER_RESPONSE_CONVERTED
            ? { amountMinor: revenueMinor, currency: "KRW" }
            : undefined,
        respondedAt: "",
      },
      60_000,
    ),
  );
  const responsesRecorded = responses.length;
  const treatmentBuyers = buyers.length;
  for (const target of holdout) if (draws.chance(0.05)) buyers.push(target);
  // They buy after the campaign was frozen: the lift counts purchases within its measurement window.
  const shopIdentifiers = await shopIdentifiersOf(input.identity, buyers, input.customerNumbersByPhone);
  await publishOrdersAfter(input.endpoints, buyers, shopIdentifiers, campaignId, new Date());

  await awaitQuiet({
    metrics: input.endpoints.metrics,
    before: beforeResponses,
    pickedUpBy: "ingestion",
    what: "the campaign's responses and orders reaching its report",
    timeoutMs: input.timeoutMs,
    output,
  });
  const report = await callUnary(client, client.getCampaignReport, { campaignId }, 10 * 60_000);
  return {
    campaignId,
    treatment: treatment.length,
    holdout: holdout.length,
    exclusions: campaign.exclusions,
    responsesRecorded,
    ordersAfter: { treatment: treatmentBuyers, holdout: buyers.length - treatmentBuyers },
    report,
  };
}

/**
 * How the shop knows each buyer: by the phone on the call list when identity resolves that phone to
 * the buyer; otherwise (a family phone identity knows as another customer's) by the customer number of
 * the household member identity resolves to the buyer, the phone when none does.
 */
async function shopIdentifiersOf(
  identity: IdentityServiceClient,
  buyers: readonly CampaignTarget[],
  customerNumbersByPhone: ReadonlyMap<string, readonly string[]>,
): Promise<Identifier[]> {
  return Promise.all(
    buyers.map(async (target): Promise<Identifier> => {
      const phone = { type: "phone" as const, value: target.phone };
      const phoneOwner = await customerHolding(identity, {
        type: IdentifierType.IDENTIFIER_TYPE_PHONE,
        value: target.phone,
      });
      if (phoneOwner === target.customerId) return phone;
      for (const customerNumber of customerNumbersByPhone.get(target.phone) ?? []) {
        const owner = await customerHolding(identity, {
          type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER,
          value: customerNumber,
        });
        if (owner === target.customerId) return { type: "customer_number", value: customerNumber };
      }
      return phone;
    }),
  );
}

/** The orders the campaign's buyers place in the shop, under the identifier the shop knows each by. */
async function publishOrdersAfter(
  endpoints: DemoEndpoints,
  buyers: readonly CampaignTarget[],
  identifiers: readonly Identifier[],
  campaignId: string,
  now: Date,
) {
  if (buyers.length === 0) return;
  const producer = new Kafka({
    brokers: endpoints.kafkaBrokers,
    clientId: "rapport-demo",
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: crmTopics(endpoints.topicPrefix).raw("orders"),
      acks: -1,
      messages: buyers.map((target, index) => {
        const orderId = `${campaignId}-order-${index + 1}`;
        const event = upstreamEvent(
          orderId,
          "crm.v1.OrderPlaced",
          now.getTime(),
          [identifiers[index] ?? { type: "phone", value: target.phone }],
          {
            orderId,
            items: [
              {
                productId: "tea-green-01",
                productName: "제주 녹차 50g",
                category: "tea",
                quantity: 3,
                unitPrice: { amountMinor: 15_000, currency: "KRW" },
              },
            ],
            total: { amountMinor: 45_000, currency: "KRW" },
            salesChannel: "call_center",
          },
          "shop",
        );
        return { key: orderId, value: JSON.stringify(event) };
      }),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Calls at once while the call center records its answers. */
const responsesInFlight = 16;
