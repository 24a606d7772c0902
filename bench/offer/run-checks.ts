import { callUnary } from "@rapport/grpc";
import type { OfferServiceClient } from "@rapport/proto";
import { readTopic } from "@rapport/testing";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { nextBestOffersRequest } from "./decision-load.js";
import { type OfferPopulationOptions, offerCustomer } from "./offer-customers.js";
import type { TopicOffsets } from "./topic-offsets.js";

/** The deadline of the checks' calls. */
const checkDeadlineMs = 30_000;

/**
 * The folded facts are the ones published: preview email decisions for the last customers who opted
 * in to email must never say the address or the opt-in is unknown, and the first that makes an offer
 * gives "email opt-in since" among its reasons (not timed).
 */
export async function expectEmailOptInFolded(
  client: OfferServiceClient,
  population: OfferPopulationOptions,
  customers: number,
): Promise<void> {
  for (let index = customers - 1; index >= 0; index--) {
    const customer = offerCustomer(population, index);
    if (!customer.isEmailOptedIn) continue;
    const answer = await callUnary(
      client,
      client.getNextBestOffers,
      nextBestOffersRequest({ customerId: customer.customerId, channel: "email" }, true),
      checkDeadlineMs,
    );
    const refusals = answer.notMade.map((notMade) => notMade.reason);
    const unknown = refusals.find((reason) => /no email address|email: no opt-in/.test(reason));
    if (unknown)
      throw new Error(`customer ${index} opted in to email, but a preview decision says: ${unknown}`);
    const [first] = answer.offers;
    if (!first) continue;
    if (!first.reasons.some((reason) => reason.startsWith("email opt-in since")))
      throw new Error(`customer ${index}'s email offer gives no opt-in reason: ${first.reasons.join("; ")}`);
    return;
  }
  throw new Error("no customer who opted in to email was made an email offer in preview");
}

/**
 * Reads crm.offers (read_committed) to its end and counts the OfferPresented records, which must be the
 * offers the answers presented (not timed).
 */
export async function presentationsOn(
  endpoints: BenchEndpoints,
  offsets: TopicOffsets,
  topic: string,
  expected: number,
): Promise<number> {
  const end = await offsets.end(topic);
  const records = await readTopic(endpoints.kafkaBrokers, topic, {
    until: (seen) => seen.length >= end,
    timeoutMs: 120_000,
  });
  const presented = records.filter((record) =>
    record.value?.includes('"type":"crm.v1.OfferPresented"'),
  ).length;
  if (presented !== expected)
    throw new Error(`crm.offers holds ${presented} presentations; the answers presented ${expected}`);
  return presented;
}
