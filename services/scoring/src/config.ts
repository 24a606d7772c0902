import {
  flag,
  kafkaConfig,
  loadConfig,
  mongoConfig,
  port,
  positiveInt,
  serverConfig,
  telemetryConfig,
} from "@rapport/config";
import { maxBuckets } from "@rapport/mongo";
import { z } from "zod";
import type { ScoringSettings } from "./domain/customer-profile.js";
import { type PurchaseCountModelName, purchaseCountModelNames } from "./domain/lifetime-value/index.js";

/** The purchase-count model fits use by default, and with auto before the first backtest. */
export const defaultPurchaseCountModel: PurchaseCountModelName = "pareto-nbd";

/** What SCORING_PURCHASE_MODEL takes: a purchase-count model, or auto. */
const purchaseCountModelChoices: ["auto", ...PurchaseCountModelName[]] = ["auto", ...purchaseCountModelNames];

import { exchangeRateConfig, exchangeRateProblems, exchangeRatesOf } from "./exchange-rate-config.js";

export const scoringConfigSchema = z
  .object({
    ...kafkaConfig,
    ...mongoConfig,
    ...telemetryConfig,
    ...serverConfig,
    SCORING_CONSUMER_GROUP: z.string().min(1).default("rapport-scoring"),
    SCORING_DATABASE: z.string().min(1).default("rapport_scoring"),
    /** /healthz, /readyz and /metrics. */
    HTTP_PORT: port(8083),
    GRPC_PORT: port(50053),
    /** identity's gRPC address: GetCustomer by identifier asks identity which customer it is. */
    IDENTITY_GRPC_ADDRESS: z.string().min(1).default("127.0.0.1:50052"),
    /**
     * Collections each kind of document is spread over by a hash of its `_id`. Every read and write
     * on a hot path is by `_id` (the project's FerretDB build and MongoDB serve those from the index),
     * so 1 is right; more only for a database built for the unpatched FerretDB, which reads a whole
     * collection per query. Fixed for the life of a database.
     */
    SCORING_STORE_BUCKETS: positiveInt(1).pipe(z.number().max(maxBuckets, `must be at most ${maxBuckets}`)),
    /** Customer documents the writer keeps in memory (least recently used ones are read again). */
    SCORING_CACHE_CUSTOMERS: positiveInt(20_000),
    /** The writer's lease: one instance writes the customers, the others answer reads and wait. */
    SCORING_WRITER_LEASE_SECONDS: positiveInt(20),
    /** Records of crm.events.resolved, crm.offers and crm.identity handled and committed as one part. */
    SCORING_RECORDS_PER_PART: positiveInt(2_000),
    /** Customers one rescore request names: a clock tick or model fit rescores them a part at a time. */
    SCORING_RESCORE_CHUNK: positiveInt(500),
    /**
     * ISO 4217 code every amount is summed in; an order in another currency is converted at the
     * rates below, or counted as unvalued when its currency has none on its day.
     */
    SCORING_CURRENCY: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code such as KRW")
      .transform((code) => code.toUpperCase())
      .default("KRW"),
    ...exchangeRateConfig,
    /** Share of revenue taken as margin when an order carries none. */
    SCORING_DEFAULT_MARGIN_RATE: rate(0.25),
    /** Historic lifetime value: period length and discount rate per period (LTV = S1 + S2/(1+r) + ...). */
    SCORING_LTV_PERIOD_DAYS: positiveInt(365),
    SCORING_LTV_DISCOUNT_RATE: rate(0.1),
    /** Predictive lifetime value: horizon and yearly discount rate. */
    SCORING_CLV_HORIZON_DAYS: positiveInt(365),
    SCORING_CLV_ANNUAL_DISCOUNT_RATE: rate(0.1),
    /**
     * How often and how long customers buy: the purchase-count model the population is fitted with
     * (bg-nbd, mbg-nbd, pareto-nbd), or auto: the one that predicted best on the latest backtest
     * (rapport model backtest), pareto-nbd before the first.
     */
    SCORING_PURCHASE_MODEL: z
      .enum(purchaseCountModelChoices, {
        message: `must be one of ${purchaseCountModelChoices.join(", ")}`,
      })
      .default(defaultPurchaseCountModel),
    SCORING_AT_RISK_AFTER_DAYS: positiveInt(90),
    SCORING_LAPSED_AFTER_DAYS: positiveInt(180),
    /** Net revenue within the window that makes a buyer platinum, in minor units. */
    SCORING_PLATINUM_REVENUE_MINOR: positiveInt(1_000_000),
    SCORING_PLATINUM_WINDOW_DAYS: positiveInt(365),
    /**
     * Run the schedules on this instance: a clock tick every SCORING_RESCORE_MINUTES (time passing:
     * recency, P(alive), lifecycle) and a model fit every SCORING_REFIT_MINUTES. One instance only.
     */
    SCORING_SCHEDULER: flag(true),
    SCORING_RESCORE_MINUTES: positiveInt(60),
    SCORING_REFIT_MINUTES: positiveInt(24 * 60),
  })
  .refine((config) => config.SCORING_AT_RISK_AFTER_DAYS < config.SCORING_LAPSED_AFTER_DAYS, {
    message: "SCORING_LAPSED_AFTER_DAYS must be above SCORING_AT_RISK_AFTER_DAYS",
    path: ["SCORING_LAPSED_AFTER_DAYS"],
  })
  .superRefine((config, ctx) => {
    const problems = exchangeRateProblems(
      config.SCORING_CURRENCY,
      config.SCORING_EXCHANGE_RATES,
      config.SCORING_EXCHANGE_RATES_FILE,
    );
    for (const { variable, message } of problems) ctx.addIssue({ code: "custom", message, path: [variable] });
  });

export type ScoringConfig = z.infer<typeof scoringConfigSchema>;

function rate(defaultValue: number) {
  return z.coerce
    .number({ message: "must be a number" })
    .min(0, "must not be negative")
    .max(1, "must be at most 1")
    .default(defaultValue);
}

export function loadScoringConfig(env: NodeJS.ProcessEnv = process.env): ScoringConfig {
  return loadConfig(scoringConfigSchema, env);
}

export function scoringSettingsOf(config: ScoringConfig): ScoringSettings {
  return {
    orders: {
      currency: config.SCORING_CURRENCY,
      rates: exchangeRatesOf(config.SCORING_EXCHANGE_RATES, config.SCORING_EXCHANGE_RATES_FILE),
      defaultMarginRate: config.SCORING_DEFAULT_MARGIN_RATE,
    },
    historicValue: {
      periodDays: config.SCORING_LTV_PERIOD_DAYS,
      ratePerPeriod: config.SCORING_LTV_DISCOUNT_RATE,
    },
    lifecycle: {
      atRiskAfterDays: config.SCORING_AT_RISK_AFTER_DAYS,
      lapsedAfterDays: config.SCORING_LAPSED_AFTER_DAYS,
    },
    tier: {
      platinumRevenueMinor: config.SCORING_PLATINUM_REVENUE_MINOR,
      platinumWindowDays: config.SCORING_PLATINUM_WINDOW_DAYS,
    },
    predictive: {
      horizonDays: config.SCORING_CLV_HORIZON_DAYS,
      annualDiscountRate: config.SCORING_CLV_ANNUAL_DISCOUNT_RATE,
    },
  };
}
