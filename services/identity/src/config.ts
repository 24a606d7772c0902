import {
  kafkaConfig,
  list,
  loadConfig,
  mongoConfig,
  phoneRegion,
  port,
  positiveInt,
  serverConfig,
  telemetryConfig,
} from "@rapport/config";
import { type IdentifierType, identifierTypesStrongestFirst } from "@rapport/events";
import { maxBuckets } from "@rapport/mongo";
import { z } from "zod";
import { type IdentityRules, identityRules } from "./domain/identifier-rules.js";
import { defaultMatchThresholds } from "./domain/matching/match-policy.js";

export const identityConfigSchema = z
  .object({
    ...kafkaConfig,
    ...mongoConfig,
    ...telemetryConfig,
    ...serverConfig,
    IDENTITY_CONSUMER_GROUP: z.string().min(1).default("rapport-identity"),
    IDENTITY_DATABASE: z.string().min(1).default("rapport_identity"),
    /**
     * Collections each kind of document is spread over, by a hash of its key. 1: the store serves
     * lookups from its `_id` index (MongoDB, and the project's FerretDB build). Databases built for
     * the unpatched FerretDB, which read a whole collection per query, used 256. Fixed per database.
     */
    IDENTITY_STORE_BUCKETS: positiveInt(1).pipe(z.number().max(maxBuckets, `must be at most ${maxBuckets}`)),
    /**
     * Customers the graph writer keeps in memory (with four times as many identifier owners and
     * source records): what is not there is read from the store, by `_id` lists.
     */
    IDENTITY_CACHE_CUSTOMERS: positiveInt(200_000),
    /**
     * How long the graph writer's lease lasts, in seconds: one instance writes the graph; another
     * takes over this long after it stopped renewing (a crash), or at once when it stops cleanly.
     */
    IDENTITY_WRITER_LEASE_SECONDS: positiveInt(20),
    /** /healthz, /readyz and /metrics. */
    HTTP_PORT: port(8082),
    GRPC_PORT: port(50052),
    /** How national phone numbers given to Resolve and SplitCustomer are read; set it as ingestion's. */
    DEFAULT_PHONE_REGION: phoneRegion("KR"),
    /** Identifier types strongest first, e.g. customer_number,loyalty_card,email,phone,device_id,cookie_id. */
    IDENTITY_PRIORITY: list(identifierTypesStrongestFirst.join(",")),
    IDENTITY_LIMIT_CUSTOMER_NUMBER: positiveInt(1),
    IDENTITY_LIMIT_EMAIL: positiveInt(5),
    IDENTITY_LIMIT_PHONE: positiveInt(5),
    IDENTITY_LIMIT_LOYALTY_CARD: positiveInt(3),
    IDENTITY_LIMIT_DEVICE_ID: positiveInt(20),
    IDENTITY_LIMIT_COOKIE_ID: positiveInt(100),
    /** Match probability at or above which two customers sharing no identifier are merged. */
    IDENTITY_MATCH_AUTO_MERGE: probability(defaultMatchThresholds.autoMerge),
    /** Match probability at or above which a pair goes to the review queue (ListMatchProposals). */
    IDENTITY_MATCH_REVIEW: probability(defaultMatchThresholds.review),
    /** Customers with a name or birth date needed before the match model is fitted and matching starts. */
    IDENTITY_MATCH_MIN_RECORDS: positiveInt(1000),
    /** How often the match model is fitted again on the customers as they are then. */
    IDENTITY_MATCH_REFIT_MINUTES: positiveInt(60),
    /** Sources most trusted first, the tie-break of golden-record survivorship, e.g. crm,shop,callcenter. */
    GOLDEN_RECORD_SOURCE_PRIORITY: list(""),
  })
  .refine((config) => config.IDENTITY_MATCH_REVIEW <= config.IDENTITY_MATCH_AUTO_MERGE, {
    message: "IDENTITY_MATCH_REVIEW must not be above IDENTITY_MATCH_AUTO_MERGE",
    path: ["IDENTITY_MATCH_REVIEW"],
  });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

function probability(defaultValue: number) {
  return z.coerce
    .number({ message: "must be a number" })
    .min(0, "must be between 0 and 1")
    .max(1, "must be between 0 and 1")
    .default(defaultValue);
}

export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadConfig(identityConfigSchema, env);
}

/** The identifier rules the configuration asks for; a bad priority list or limit stops the start. */
export function identityRulesOf(config: IdentityConfig): IdentityRules {
  return identityRules({
    priority: config.IDENTITY_PRIORITY as IdentifierType[],
    limits: {
      customer_number: config.IDENTITY_LIMIT_CUSTOMER_NUMBER,
      email: config.IDENTITY_LIMIT_EMAIL,
      phone: config.IDENTITY_LIMIT_PHONE,
      loyalty_card: config.IDENTITY_LIMIT_LOYALTY_CARD,
      device_id: config.IDENTITY_LIMIT_DEVICE_ID,
      cookie_id: config.IDENTITY_LIMIT_COOKIE_ID,
    },
  });
}
