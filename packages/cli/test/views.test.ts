import {
  ContactChannel,
  GetCampaignReportResponse,
  GetCampaignTargetsResponse,
  GetCustomerResponse,
  GetNextBestOffersResponse,
  GetSegmentReportResponse,
  GetTimelineResponse,
  IdentifierType,
  IdentityGraph,
  OfferStrategy,
} from "@rapport/proto";
import { describe, expect, it } from "vitest";
import {
  campaignLines,
  campaignReportLines,
  campaignTargetsLines,
  customer360Lines,
  nextBestOffersLines,
  segmentReportLines,
  textTable,
  timelineLines,
} from "../src/index.js";

describe("a text table", () => {
  it("makes each column as wide as its widest cell, numbers on the right, without trailing spaces", () => {
    expect(
      textTable(
        [{ heading: "offer" }, { heading: "value", alignRight: true }, { heading: "note" }],
        [
          ["tea-club", "5,000", ""],
          ["welcome", "20,000", "queued"],
        ],
      ),
    ).toEqual(["  offer      value  note", "  tea-club   5,000", "  welcome   20,000  queued"]);
  });
});

const offers = GetNextBestOffersResponse.fromPartial({
  customerId: "cus_ann",
  offers: [
    {
      presentationId: "",
      offer: {
        offerId: "welcome-email",
        name: "Welcome discount",
        strategy: OfferStrategy.OFFER_STRATEGY_NEW_CUSTOMER_STAGE_1,
      },
      channel: ContactChannel.CONTACT_CHANNEL_EMAIL,
      score: {
        responseProbability: 0.1,
        valueMinor: 20_000,
        costMinor: 1_000,
        expectedNetValueMinor: 1_000,
        presentationsSeen: 4,
        positiveResponsesSeen: 1,
        segmentCell: "high_low_high",
      },
      reasons: ["email opt-in since 2026-01-02", "tier in [purchasing]"],
      queuedTreatment: "first purchase on 2026-01-03",
    },
  ],
  notMade: [{ offerId: "retention-call", reason: "phone: not an email channel" }],
});

describe("next best offers", () => {
  it("rank the offers with their scores and reasons, say a preview recorded nothing, and give the offers not made", () => {
    const lines = nextBestOffersLines(offers, ContactChannel.CONTACT_CHANNEL_EMAIL, { isPreview: true });
    expect(lines[0]).toBe(
      "Next best offers for cus_ann on email (preview: nothing recorded, no contact counted)",
    );
    expect(lines[1]).toMatch(/^ {2}# +offer +name +strategy +P\(response\) +value +cost +expected net$/);
    expect(lines[2]).toMatch(
      /^ {2}1 +welcome-email +Welcome discount +new_customer_stage_1 +10\.0% +20,000 +1,000 +1,000$/,
    );
    expect(lines).toContain("  1. welcome-email: email opt-in since 2026-01-02; tier in [purchasing]");
    expect(lines).toContain("     first because a treatment is queued: first purchase on 2026-01-03");
    expect(lines).toContain("     response rate from 1 positive of 4 presentations in cell high_low_high");
    expect(lines.slice(lines.indexOf("Not offered"))).toContain(
      "  retention-call  phone: not an email channel",
    );
  });

  it("show the presentation ids of offers presented for real", () => {
    const presented = GetNextBestOffersResponse.fromPartial({
      ...offers,
      offers: offers.offers.map((decision) => ({ ...decision, presentationId: "offer:welcome-email:7" })),
    });
    const lines = nextBestOffersLines(presented, ContactChannel.CONTACT_CHANNEL_EMAIL, { isPreview: false });
    expect(lines[0]).toContain("(recorded as presented on crm.offers)");
    expect(lines[1]).toMatch(/presentation id$/);
    expect(lines[2]).toMatch(/offer:welcome-email:7$/);
  });
});

describe("the customer 360", () => {
  const graph = IdentityGraph.fromPartial({
    customerId: "cus_ann",
    aliases: ["cus_dup"],
    firstSeenAt: "2026-01-02T09:00:00.000Z",
    identifiers: [
      {
        identifier: { type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "ann@example.com" },
        eventId: "shop:reg-ann",
        linkedAt: "2026-01-02T09:00:00.000Z",
      },
    ],
    merges: [
      {
        survivor: "cus_ann",
        merged: ["cus_dup"],
        rule: "shared_identifier",
        mergedAt: "2026-01-05T10:30:00.000Z",
      },
    ],
    goldenRecord: [
      { name: "firstName", value: "Ann", source: "shop", observedAt: "2026-01-02T09:00:00.000Z" },
    ],
    eventsBySource: [{ source: "shop", events: 3 }],
  });
  const customer = GetCustomerResponse.fromPartial({
    customer: {
      customerId: "cus_ann",
      asOf: "2026-02-01T00:00:00.000Z",
      currency: "KRW",
      tier: "purchasing",
      lifecycleStage: "new_stage_2",
      lifecycleHistory: [{ stage: "new_stage_2", since: "2026-01-20T12:00:00.000Z" }],
      modelId: "model-1",
      rfm: {
        recencyDays: 12,
        frequency: 2,
        monetaryMinor: 57_500,
        recencyScore: 4,
        frequencyScore: 3,
        monetaryScore: 3,
        segment: "potential_loyalists",
        recencyQuintileScore: 4,
        recencyBand: "recent",
      },
      lifetimeValue: {
        historicMinor: 57_500,
        predictedMinor: 80_000,
        churnRisk: 0.2,
        churnRiskBand: "low",
        probabilityAlive: 0.8,
        predictedPurchases30d: 0.4,
        predictedPurchases90d: 1.1,
        predictedPurchases365d: 3.25,
      },
      segment: {
        purchasingPower: "high",
        loyalty: "low",
        responsePropensity: "high",
        responsePolicy: "respond_with_appropriate_terms",
      },
      orders: {
        orders: 2,
        revenueMinor: 57_500,
        categories: [{ name: "tea", orders: 2, amountMinor: 57_500 }],
      },
      service: { inboundCalls: 1, openComplaints: 1, callsByPurpose: [{ name: "complaint", count: 1 }] },
      consents: [
        {
          channel: ContactChannel.CONTACT_CHANNEL_EMAIL,
          status: "granted",
          changedAt: "2026-01-02T09:00:00.000Z",
          via: "web_form",
        },
      ],
    },
    summary: { customerId: "cus_ann", segmentCell: "high_low_high" },
  });

  it("puts identity, scores and history, and the previewed offers together", () => {
    const lines = customer360Lines({
      graph,
      customer,
      offers,
      channel: ContactChannel.CONTACT_CHANNEL_EMAIL,
    });
    const text = lines.join("\n");
    expect(lines[0]).toBe("Customer cus_ann");
    expect(text).toContain("  also known as       cus_dup");
    expect(text).toMatch(/ {2}email +ann@example\.com +2026-01-02 09:00 +shop:reg-ann/);
    expect(text).toContain("  2026-01-05 10:30  cus_dup into cus_ann (shared_identifier)");
    expect(text).toMatch(/ {2}firstName +Ann +shop/);
    expect(text).toContain("Scores as of 2026-02-01 00:00 (model model-1)");
    expect(text).toContain("  lifecycle           new_stage_2 since 2026-01-20 12:00");
    expect(text).toContain(
      "  segment grid cell   high_low_high (purchasing power high, loyalty low, response high): respond_with_appropriate_terms",
    );
    expect(text).toContain(
      "  RFM                 R4 F3 M3 potential_loyalists: 12 days since the last order (recent), 2 orders, 57,500 KRW",
    );
    expect(text).toContain("  lifetime value      historic 57,500 KRW, predicted 80,000 KRW");
    expect(text).toContain("  churn risk          20.0% (low), P(alive) 80.0%");
    expect(text).toContain("  predicted purchases 0.4 in 30 days, 1.1 in 90, 3.25 in 365");
    expect(text).toContain("  top categories      tea (2, 57,500 KRW)");
    expect(text).toContain("  calls               1 inbound, 0 outbound (complaint 1)");
    expect(text).toMatch(/ {2}email +granted +2026-01-02 09:00 +web_form/);
    expect(text).toContain(
      "Next best offers for cus_ann on email (preview: nothing recorded, no contact counted)",
    );
  });

  it("shows the population's recency score beside the one the lifecycle's recency band allows", () => {
    const backfilled = GetCustomerResponse.fromPartial({
      ...customer,
      customer: {
        ...customer.customer,
        lifecycleStage: "lapsed",
        rfm: {
          recencyDays: 10_720,
          frequency: 5,
          monetaryMinor: 57_500,
          recencyScore: 1,
          frequencyScore: 5,
          monetaryScore: 3,
          segment: "cannot_lose_them",
          recencyQuintileScore: 5,
          recencyBand: "lapsed",
        },
      },
    });
    const text = customer360Lines({
      graph,
      customer: backfilled,
      offers,
      channel: ContactChannel.CONTACT_CHANNEL_EMAIL,
    }).join("\n");
    expect(text).toContain(
      "  RFM                 R1 F5 M3 cannot_lose_them: 10,720 days since the last order " +
        "(lapsed; R5 by the population's quintiles), 5 orders, 57,500 KRW",
    );
  });

  it("says what is not known yet rather than printing zeros", () => {
    const early = GetCustomerResponse.fromPartial({
      customer: {
        customerId: "cus_new",
        currency: "EUR",
        tier: "registered",
        lifecycleStage: "prospect",
        lifetimeValue: { historicMinor: 0 },
      },
      summary: { customerId: "cus_new" },
    });
    const text = customer360Lines({
      graph,
      customer: early,
      offers,
      channel: ContactChannel.CONTACT_CHANNEL_WEB,
    }).join("\n");
    expect(text).toContain("(no population model yet)");
    expect(text).toContain("  segment grid cell   none before the first population model");
    expect(text).toContain("  lifetime value      historic 0.00 EUR, predicted –");
    expect(text).toContain("  churn risk          not predicted yet");
    expect(text).toContain("Consents\n  none recorded");
  });
});

describe("the timeline", () => {
  it("lists the entries newest first and says when older ones were left out", () => {
    const timeline = GetTimelineResponse.fromPartial({
      customerId: "cus_ann",
      entries: [
        {
          eventId: "shop:order-2",
          time: "2026-01-20T12:00:00.000Z",
          kind: "order",
          source: "shop",
          summary: "order O-2, 27,500 KRW",
        },
        {
          eventId: "shop:reg-ann",
          time: "2026-01-02T09:00:00.000Z",
          kind: "registration",
          source: "shop",
          summary: "registered on the web",
        },
      ],
    });
    expect(timelineLines(timeline, { hasMore: true })).toEqual([
      "Timeline of cus_ann, newest first (2 entries; older ones with a higher --limit)",
      "  time (UTC)        kind          source  what                   event id",
      "  2026-01-20 12:00  order         shop    order O-2, 27,500 KRW  shop:order-2",
      "  2026-01-02 09:00  registration  shop    registered on the web  shop:reg-ann",
    ]);
    expect(timelineLines({ ...timeline, entries: [] }, { hasMore: false })).toEqual([
      "Timeline of cus_ann: no events yet",
    ]);
  });
});

describe("the segment report", () => {
  it("shows the funnel, the grid with each cell's policy, and tiers, stages and RFM segments", () => {
    const report = GetSegmentReportResponse.fromPartial({
      asOf: "2026-02-01T00:00:00.000Z",
      customerBase: { registered: 120, unique: 110, mergedDuplicates: 10, active: 70, meaningful: 30 },
      grid: [
        {
          cell: {
            purchasingPower: "high",
            loyalty: "high",
            responsePropensity: "high",
            responsePolicy: "top_priority_best_terms",
          },
          figures: {
            customers: 30,
            revenueMinor: 4_500_000,
            meanHistoricValueMinor: 150_000,
            meanPredictedValueMinor: 90_000,
          },
        },
      ],
      tiers: [{ name: "platinum", customers: 12, revenueMinor: 3_000_000 }],
      lifecycleStages: [{ name: "active", customers: 70 }],
    });
    const lines = segmentReportLines(report);
    expect(lines[1]).toBe(
      "  customer base: 120 registered, 110 unique (10 merged duplicates), 70 active, 30 meaningful (active with high purchasing power)",
    );
    const grid = lines.indexOf("Segment grid (purchasing power x loyalty x response propensity)");
    expect(lines[grid + 1]).toMatch(
      /^ {2}power +loyalty +response +policy +customers +revenue +mean historic value +mean predicted value$/,
    );
    expect(lines[grid + 2]).toMatch(
      /^ {2}high +high +high +top_priority_best_terms +30 +4,500,000 +150,000 +90,000$/,
    );
    expect(lines[lines.indexOf("Tiers") + 2]).toMatch(/^ {2}platinum +12 +3,000,000 +0 +0$/);
    expect(lines[lines.indexOf("RFM segments") + 1]).toBe("  no segments yet");
    expect(segmentReportLines({ ...report, grid: [] })).toContain(
      "  no cells yet: the grid needs a population model (CustomerService.RefitModels)",
    );
  });
});

describe("campaigns", () => {
  const campaign = {
    campaignId: "winback-q3",
    name: "Win back by phone",
    offerId: "retention-call",
    channel: ContactChannel.CONTACT_CHANNEL_PHONE,
    audience: {
      tiers: ["purchasing"],
      lifecycleStages: [],
      rfmSegments: [],
      segmentCells: [],
      maxTargets: 0,
    },
    holdoutPercent: 30,
    measurementDays: 30,
    createdAt: "2026-02-01T08:00:00.000Z",
    treatmentTargets: 28,
    holdoutTargets: 12,
    exclusions: [{ reason: "no phone number is known for the customer", customers: 3 }],
  };

  it("describe a created campaign: offer, audience, targets and exclusions", () => {
    expect(campaignLines(campaign)).toEqual([
      'Campaign winback-q3 "Win back by phone", created 2026-02-01 08:00',
      "  offer               retention-call by phone",
      "  audience            tier purchasing",
      "  targets             28 to contact, 12 held out (holdout 30%)",
      "  measured over       30 days after creation",
      "  excluded by the offer's rules or the contact policy:",
      "    customers  reason",
      "            3  no phone number is known for the customer",
    ]);
  });

  it("print a phone campaign's call list with numbers and best hours", () => {
    const page = GetCampaignTargetsResponse.fromPartial({
      campaign,
      targets: [
        {
          customerId: "cus_a",
          group: "treatment",
          priority: 1234.567,
          phone: "+821020000001",
          bestHour: 18,
          scriptHints: ["at risk", "open complaint"],
        },
        { customerId: "cus_b", group: "treatment", priority: 99, phone: "+821020000002", bestHour: -1 },
      ],
      nextPageToken: "2",
    });
    expect(campaignTargetsLines(page, { group: "treatment", hasMore: true })).toEqual([
      "winback-q3 call list: 2 of 28; more with a higher --limit",
      "  #  customer  priority  phone          best hour  last contact  hints",
      "  1  cus_a     1,234.57  +821020000001      18:00  never         at risk; open complaint",
      "  2  cus_b           99  +821020000002          –  never",
    ]);
  });

  it("report response, ROI and the conversion lift with its interval", () => {
    const report = GetCampaignReportResponse.fromPartial({
      campaign,
      asOf: "2026-03-01T00:00:00.000Z",
      targeted: 28,
      holdout: 12,
      contacted: 6,
      responded: 6,
      positiveResponses: 5,
      responseRate: 1,
      revenueMinor: 50_000,
      costMinor: 18_000,
      roi: 32_000 / 18_000,
      conversionLift: {
        treatmentRate: 8 / 28,
        holdoutRate: 2 / 12,
        difference: 8 / 28 - 2 / 12,
        lower95: -0.15,
        upper95: 0.388,
        relative: 0.714,
      },
      treatmentRevenuePerTargetMinor: 1_786,
      holdoutRevenuePerTargetMinor: 1_250,
    });
    const lines = campaignReportLines(report);
    expect(lines).toContain("  responded           6 (5 positive), response rate 100.0%");
    expect(lines).toContain("  ROI                 177.8%");
    expect(lines).toContain("  conversion          treatment 28.6%, holdout 16.7%");
    expect(lines).toContain(
      "  lift                +11.9 points (95% CI −15.0 points to +38.8 points), +71.4% relative",
    );
    expect(campaignReportLines({ ...report, roi: undefined, conversionLift: undefined })).toEqual(
      expect.arrayContaining(["  ROI                 –", "  conversion          not measured yet"]),
    );
  });
});
