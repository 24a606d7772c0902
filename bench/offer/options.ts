import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";
import type { CampaignChannel } from "./campaign-phase.js";

export type OfferBenchOptions = {
  /** Customers whose histories the offer service folds before the decisions. */
  customers: number;
  clients: number;
  /** Measured GetNextBestOffers calls per run. */
  calls: number;
  /** Customers the scoring stand-in streams to each campaign. */
  audience: number;
  /** Customers whose histories the offer service holds when the campaigns are built. */
  campaignFacts: number;
  campaignChannels: CampaignChannel[];
  /** CreateCampaign is cut off after this many minutes and reported as not finished. */
  campaignMinutes: number;
  runs: number;
  /** The offer service's OFFER_STORE_BUCKETS. */
  storeBuckets: number;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const offerBenchUsage = `npm run bench -w @rapport/bench -- offer [options]
  --customers N        customers whose histories (about 4 events each) the offer service folds before
                       the GetNextBestOffers load; the calls ask about them (default 2000)
  --clients K          concurrent GetNextBestOffers clients, one call in flight each (default 8)
  --calls M            measured GetNextBestOffers calls per run (default 3000)
  --audience A         customers the scoring stand-in streams to CreateCampaign (default 100000)
  --campaign-facts F   customers whose histories the offer service holds when the campaigns are built;
                       the histories of customers N … F-1 are folded before them (default N)
  --campaigns C,…      campaign channels, built one after the other: phone, email (default phone,email)
  --campaign-minutes T cut a CreateCampaign off after T minutes and report it unfinished (default 15)
  --runs R             repetitions, each on fresh topics and database (default 3)
  --store-buckets S    the offer service's OFFER_STORE_BUCKETS (default 1, its own default)
  --no-write           print the results only; leave docs/benchmarks.md alone`;

/** The offer service's own default of OFFER_STORE_BUCKETS (services/offer/src/config.ts). */
export const defaultStoreBuckets = 1;
const campaignChannels: readonly CampaignChannel[] = ["phone", "email"];

export function parseOfferBenchOptions(args: readonly string[]): OfferBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      customers: { type: "string" },
      clients: { type: "string" },
      calls: { type: "string" },
      audience: { type: "string" },
      "campaign-facts": { type: "string" },
      campaigns: { type: "string" },
      "campaign-minutes": { type: "string" },
      runs: { type: "string" },
      "store-buckets": { type: "string" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  const customers = positiveInteger("customers", values.customers, 2_000);
  const audience = positiveInteger("audience", values.audience, 100_000);
  const campaignFacts = positiveInteger("campaign-facts", values["campaign-facts"], customers);
  if (campaignFacts < customers) throw new Error("--campaign-facts must be at least --customers");
  if (audience < campaignFacts) throw new Error("--audience must be at least --campaign-facts");
  const channels = (values.campaigns ?? campaignChannels.join(",")).split(",").filter((name) => name !== "");
  const unknown = channels.filter((name) => !(campaignChannels as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--campaigns takes phone and email, not ${unknown.join(", ")}`);
  return {
    customers,
    clients: positiveInteger("clients", values.clients, 8),
    calls: positiveInteger("calls", values.calls, 3_000),
    audience,
    campaignFacts,
    campaignChannels: channels as CampaignChannel[],
    campaignMinutes: positiveInteger("campaign-minutes", values["campaign-minutes"], 15),
    runs: positiveInteger("runs", values.runs, 3),
    storeBuckets: positiveInteger("store-buckets", values["store-buckets"], defaultStoreBuckets),
    write: !values["no-write"],
  };
}
