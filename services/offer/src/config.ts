import {
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
import type { ContactPolicySettings } from "./domain/contact-policy.js";
import { type Channel, channels } from "./domain/offer-catalog.js";

export const offerConfigSchema = z.object({
  ...kafkaConfig,
  ...mongoConfig,
  ...telemetryConfig,
  ...serverConfig,
  OFFER_CONSUMER_GROUP: z.string().min(1).default("rapport-offer"),
  OFFER_DATABASE: z.string().min(1).default("rapport_offer"),
  /** /healthz, /readyz, /metrics and POST /v1/unsubscribe. */
  HTTP_PORT: port(8084),
  GRPC_PORT: port(50054),
  /** scoring's CustomerService: the scores every decision and campaign reads. */
  SCORING_GRPC_ADDRESS: z.string().min(1).default("127.0.0.1:50053"),
  /**
   * Collections the contact history pages and the campaign target parts are each spread over, by a
   * hash of the customer or campaign. 1 on MongoDB and on the project's FerretDB build (both serve
   * every lookup by `_id` from the index); more only for a database built for the unpatched FerretDB.
   * Fixed for the life of a database.
   */
  OFFER_STORE_BUCKETS: positiveInt(1).pipe(z.number().max(maxBuckets, `must be at most ${maxBuckets}`)),
  /** Customers' contact histories kept in memory (least recently used forgotten first). */
  OFFER_CACHE_CUSTOMERS: positiveInt(50_000),
  /** Scoring's GetCustomer calls in flight at once while the changes of a consumed part are decided. */
  OFFER_SCORE_LOOKUPS_IN_FLIGHT: positiveInt(16),
  /** The time zone call lists give the best hour to call in (IANA name). */
  OFFER_TIME_ZONE: z
    .string()
    .default("Asia/Seoul")
    .refine(isTimeZone, { message: "must be an IANA time zone such as Asia/Seoul" }),
  /**
   * Signs unsubscribe tokens. Set the same secret on every instance so a link works whichever
   * instance answers it; at least 16 characters.
   */
  OFFER_UNSUBSCRIBE_SECRET: z.string().min(16, "must be at least 16 characters"),
  /** Contact frequency: at most OFFER_MAX_CONTACTS in OFFER_CONTACT_WINDOW_DAYS over every channel but web. */
  OFFER_CONTACT_WINDOW_DAYS: positiveInt(7),
  OFFER_MAX_CONTACTS: positiveInt(3),
  /** Per channel, within the same window: "email:2,sms:1,..."; channels not named keep their default. */
  OFFER_MAX_CONTACTS_PER_CHANNEL: z
    .string()
    .default("")
    .transform((text, context) => {
      const caps: Partial<Record<Channel, number>> = {};
      for (const item of text.split(",").filter((part) => part.trim() !== "")) {
        const [channel, cap] = item.split(":").map((part) => part.trim());
        const limit = Number(cap);
        if (!channels.includes(channel as Channel) || !Number.isInteger(limit) || limit < 0) {
          context.addIssue({
            code: "custom",
            message: `"${item}" must be channel:count with a channel of ${channels.join(", ")}`,
          });
          return z.NEVER;
        }
        caps[channel as Channel] = limit;
      }
      return caps;
    }),
  /** After a complaint only service-recovery offers go out, for this many days. */
  OFFER_COMPLAINT_QUIET_DAYS: positiveInt(14),
  /** An offer the customer declined is not made again for this many days. */
  OFFER_DECLINE_COOLDOWN_DAYS: positiveInt(30),
  /** An unanswered offer on one channel keeps other channels to the same offer for this many days. */
  OFFER_ONE_VOICE_DAYS: positiveInt(7),
  /** How often response rates are learned again from presentations and responses. */
  OFFER_LEARNING_REFRESH_SECONDS: positiveInt(60),
});

export type OfferConfig = z.infer<typeof offerConfigSchema>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function loadOfferConfig(env: NodeJS.ProcessEnv = process.env): OfferConfig {
  return loadConfig(offerConfigSchema, env);
}

export function contactPolicyOf(config: OfferConfig, defaults: ContactPolicySettings): ContactPolicySettings {
  return {
    windowDays: config.OFFER_CONTACT_WINDOW_DAYS,
    maxContacts: config.OFFER_MAX_CONTACTS,
    maxContactsPerChannel: { ...defaults.maxContactsPerChannel, ...config.OFFER_MAX_CONTACTS_PER_CHANNEL },
    complaintQuietDays: config.OFFER_COMPLAINT_QUIET_DAYS,
    declineCooldownDays: config.OFFER_DECLINE_COOLDOWN_DAYS,
    oneVoiceDays: config.OFFER_ONE_VOICE_DAYS,
  };
}
