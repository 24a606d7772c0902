import { Metadata, status } from "@grpc/grpc-js";
import { ContactChannel, type GetNextBestOffersRequest, type OfferServiceClient } from "@rapport/proto";
import { seededRandom } from "../shared/random.js";
import { offerClient, waitForReady } from "./offer-process.js";

/** The channels decisions are asked for: an email being written, or a page the customer opened. */
export type DecisionChannel = "email" | "web";

/** One GetNextBestOffers call: whose offers, for which channel. */
export type DecisionAsk = { customerId: string; channel: DecisionChannel };

const protoChannels: Record<DecisionChannel, ContactChannel> = {
  email: ContactChannel.CONTACT_CHANNEL_EMAIL,
  web: ContactChannel.CONTACT_CHANNEL_WEB,
};

/** The offers asked for per call, the API's default. */
export const offersPerCall = 3;

export function nextBestOffersRequest(ask: DecisionAsk, preview: boolean): GetNextBestOffersRequest {
  return {
    subject: { $case: "customerId", value: ask.customerId },
    channel: protoChannels[ask.channel],
    limit: offersPerCall,
    context: { strategies: [], placement: "bench", explore: false, preview },
  };
}

/** `count` asks for customers drawn uniformly (seeded), half for email and half for the web. */
export function decisionAsks(customerIds: readonly string[], count: number, seed: number): DecisionAsk[] {
  if (customerIds.length === 0) throw new Error("decisions need at least one customer");
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    customerId: random.pick(customerIds),
    channel: random.chance(0.5) ? "email" : "web",
  }));
}

export type DecisionAnswer = {
  ask: DecisionAsk;
  latencyMs: number;
  code: number;
  details: string;
  /** Offers made (and, unless previewing, presented). */
  offers: number;
  /** The offers' reasons, joined (for the checks). */
  reasons: string;
};

export type DecisionLoadOptions = {
  address: string;
  /** Concurrent clients, each with its own connection and one call in flight. */
  clients: number;
  asks: readonly DecisionAsk[];
  preview: boolean;
  deadlineMs: number;
  onAnswer?: (answered: number) => void;
};

/**
 * Calls crm.v1.OfferService/GetNextBestOffers from a fixed number of concurrent clients (a closed loop:
 * a client asks again when its answer has arrived) and times each call; answers in the order of `asks`.
 */
export async function runDecisionLoad(
  options: DecisionLoadOptions,
): Promise<{ answers: DecisionAnswer[]; wallSeconds: number }> {
  const clients = Array.from({ length: options.clients }, () => offerClient(options.address));
  const answers: DecisionAnswer[] = new Array(options.asks.length);
  let next = 0;
  let answered = 0;

  const decide = (client: OfferServiceClient, ask: DecisionAsk) =>
    new Promise<Omit<DecisionAnswer, "latencyMs">>((settle) =>
      client.getNextBestOffers(
        nextBestOffersRequest(ask, options.preview),
        new Metadata(),
        { deadline: Date.now() + options.deadlineMs },
        (error, response) =>
          settle(
            error
              ? { ask, code: error.code, details: error.details, offers: 0, reasons: "" }
              : {
                  ask,
                  code: status.OK,
                  details: "",
                  offers: response.offers.length,
                  reasons: response.offers.flatMap((offer) => offer.reasons).join("\n"),
                },
          ),
      ),
    );

  const caller = async (client: OfferServiceClient) => {
    while (next < options.asks.length) {
      const position = next++;
      const startMs = performance.now();
      const answer = await decide(client, options.asks[position] as DecisionAsk);
      answers[position] = { ...answer, latencyMs: performance.now() - startMs };
      options.onAnswer?.(++answered);
    }
  };

  try {
    await Promise.all(clients.map(waitForReady));
    const startMs = performance.now();
    await Promise.all(clients.map(caller));
    return { answers, wallSeconds: (performance.now() - startMs) / 1000 };
  } finally {
    for (const client of clients) client.close();
  }
}
