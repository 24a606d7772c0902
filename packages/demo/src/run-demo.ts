import { credentials } from "@grpc/grpc-js";
import { callUnary } from "@rapport/grpc";
import {
  ContactChannel,
  CustomerServiceClient,
  CustomerSort,
  IdentityServiceClient,
  ListCustomersRequest,
  OfferServiceClient,
} from "@rapport/proto";
import {
  awaitFoldedRevenue,
  foldedRevenue,
  identityStats,
  knowsCustomerNumber,
  type Platform,
  refitAndAwaitGrid,
} from "./await-projections.js";
import { type Company, generateCompany } from "./company/company.js";
import { runDemoCampaign } from "./demo-campaign.js";
import type { DemoEndpoints } from "./demo-endpoints.js";
import type { DemoOptions } from "./demo-options.js";
import type { DemoReport } from "./demo-report.js";
import { readConsumers } from "./platform-quiet.js";
import type { ProgressOutput } from "./progress-line.js";
import { publishCompany } from "./publish-company.js";

type Output = ProgressOutput;

/** Throws a readable error when ingestion does not answer: the platform has to run first. */
async function checkPlatformRuns(endpoints: DemoEndpoints): Promise<void> {
  const ready = await fetch(`${endpoints.ingestionUrl}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.ok,
    () => false,
  );
  if (!ready)
    throw new Error(
      `nothing ready answers at ${endpoints.ingestionUrl}: start the platform first with \`npm start\` in another terminal, wait for "Rapport is running", then run the demo again`,
    );
}

/**
 * The whole demo against a running platform: generate the company, publish it through ingestion's three
 * doors, wait for identity and scoring, fit the model, run a campaign, and gather the report.
 */
export async function runDemo(input: {
  options: DemoOptions;
  endpoints: DemoEndpoints;
  now: Date;
  output: Output;
}): Promise<DemoReport> {
  const { options, endpoints, now, output } = input;
  const timeoutMs = options.timeoutMinutes * 60_000;
  await checkPlatformRuns(endpoints);
  const startedAt = performance.now();
  const elapsed = (since: number) => (performance.now() - since) / 1_000;

  const company = generateCompany({
    customers: options.customers,
    months: options.months,
    seed: options.seed,
    now,
  });
  output.write(
    `generated ${options.customers.toLocaleString("en")} people over ${options.months} months: ${company.deliveries.length.toLocaleString("en")} events\n`,
  );
  const identity = new IdentityServiceClient(endpoints.identityAddress, credentials.createInsecure());
  const scoring = new CustomerServiceClient(endpoints.scoringAddress, credentials.createInsecure());
  const offers = new OfferServiceClient(endpoints.offerAddress, credentials.createInsecure());
  const platform: Platform = { identity, scoring };
  try {
    const revenueBefore = await foldedRevenue(platform, timeoutMs, output);
    // Sent before (the same seed): ingestion drops the events it has appended already, by their ids.
    const sentBefore = await knowsCustomerNumber(platform, firstCustomerNumber(company));
    const expectedRevenue = sentBefore
      ? Math.max(revenueBefore, company.facts.revenueMinor)
      : revenueBefore + company.facts.revenueMinor;
    const beforePublishing = await readConsumers(endpoints.metrics);
    const published = await publishCompany(company.deliveries, endpoints, output);
    const publishSeconds = elapsed(startedAt);
    const foldStartedAt = performance.now();
    await awaitFoldedRevenue({
      platform,
      metrics: endpoints.metrics,
      before: beforePublishing,
      expectedRevenueMinor: expectedRevenue,
      timeoutMs,
      output,
    });
    const foldSeconds = elapsed(foldStartedAt);
    const rescoreStartedAt = performance.now();
    const model = await refitAndAwaitGrid({ platform, metrics: endpoints.metrics, timeoutMs, output });
    const rescoreSeconds = elapsed(rescoreStartedAt);

    const campaignStartedAt = performance.now();
    const campaign = await runDemoCampaign({
      offers,
      identity,
      endpoints,
      seed: options.seed,
      customerNumbersByPhone: company.customerNumbersByPhone,
      now,
      timeoutMs,
      output,
    });
    const campaignSeconds = elapsed(campaignStartedAt);

    const segments = await callUnary(scoring, scoring.getSegmentReport, {}, 10 * 60_000);
    const stats = await identityStats(platform);
    const top = await callUnary(
      scoring,
      scoring.listCustomers,
      ListCustomersRequest.fromPartial({ sort: CustomerSort.CUSTOMER_SORT_PREDICTED_VALUE, pageSize: 10 }),
      60_000,
    );
    const featured = top.customers[0]?.customerId;
    if (!featured) throw new Error("scoring listed no customers: nothing to report");
    const subject = { $case: "customerId", value: featured } as const;
    const [{ graph }, customer, timeline, nextBestOffers] = await Promise.all([
      callUnary(identity, identity.getIdentityGraph, { subject }, 60_000),
      callUnary(scoring, scoring.getCustomer, { subject, asOf: "" }, 60_000),
      callUnary(scoring, scoring.getTimeline, { subject, pageSize: 12, pageToken: "" }, 60_000),
      callUnary(
        offers,
        offers.getNextBestOffers,
        {
          subject,
          channel: ContactChannel.CONTACT_CHANNEL_PHONE,
          limit: 3,
          context: { strategies: [], placement: "demo-report", explore: false, preview: true },
        },
        60_000,
      ),
    ]);
    if (!graph) throw new Error(`identity answered GetIdentityGraph for ${featured} without a graph`);
    return {
      options,
      facts: company.facts,
      published,
      seconds: {
        publish: publishSeconds,
        fold: foldSeconds,
        rescore: rescoreSeconds,
        campaign: campaignSeconds,
        total: elapsed(startedAt),
      },
      identity: stats,
      segments,
      model,
      topByValue: top.customers,
      customer: { graph, customer, offers: nextBestOffers, channel: ContactChannel.CONTACT_CHANNEL_PHONE },
      timeline,
      campaign,
    };
  } finally {
    identity.close();
    scoring.close();
    offers.close();
  }
}

/** The customer number of the company's first sign-up. */
function firstCustomerNumber(company: Company): string {
  for (const delivery of company.deliveries) {
    if (delivery.path === "weblog") continue;
    const found = delivery.event.data.customer.identifiers.find(({ type }) => type === "customer_number");
    if (found) return found.value;
  }
  throw new Error("the generated company has no customer number");
}
