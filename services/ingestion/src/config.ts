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
import { z } from "zod";

const writeKeys = z
  .string({ message: "is required: source=key pairs, e.g. shop=7f3c...,callcenter=91ab..." })
  .transform((text, ctx) => {
    const keys = new Map<string, string>();
    for (const pair of text
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)) {
      const [source, key, ...rest] = pair.split("=");
      if (!source || !key || rest.length > 0 || !/^[A-Za-z0-9._-]+$/.test(source)) {
        ctx.addIssue({
          code: "custom",
          message: `"${pair}" is not source=key (source: letters, digits, . _ -)`,
        });
        return z.NEVER;
      }
      if (keys.has(key)) {
        ctx.addIssue({
          code: "custom",
          message: `the same key is given to two sources (${keys.get(key)} and ${source})`,
        });
        return z.NEVER;
      }
      keys.set(key, source);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: "custom", message: "names no source=key pair" });
      return z.NEVER;
    }
    return keys;
  });

export const ingestionConfigSchema = z.object({
  ...kafkaConfig,
  ...mongoConfig,
  ...telemetryConfig,
  ...serverConfig,
  INGESTION_CONSUMER_GROUP: z.string().min(1).default("rapport-ingestion"),
  INGESTION_DATABASE: z.string().min(1).default("rapport_ingestion"),
  HTTP_PORT: port(8080),
  GRPC_PORT: port(50051),
  /** Who may write: source=key pairs. The source becomes the namespace of the events' ids. */
  INGESTION_WRITE_KEYS: writeKeys,
  DEFAULT_PHONE_REGION: phoneRegion("KR"),
  MAX_EVENT_BYTES: positiveInt(64 * 1024),
  MAX_REQUEST_BYTES: positiveInt(1024 * 1024),
  MAX_EVENTS_PER_REQUEST: positiveInt(1000),
  MAX_FUTURE_SKEW_SECONDS: positiveInt(15 * 60),
  /** Which trailing field of an access-log line holds the visitor cookie (1 = first after the user agent). */
  WEBLOG_VISITOR_COOKIE_FIELD: z.coerce.number().int().positive().optional(),
  /** The cookie to take when that field is a whole Cookie header. */
  WEBLOG_VISITOR_COOKIE_NAME: z.string().min(1).optional(),
  /** The site's own hosts (".example.com" includes subdomains): their referrers are internal navigation. */
  WEBLOG_OWN_HOSTS: list(""),
  WEBLOG_STATIC_EXTENSIONS: list(
    "css,js,mjs,map,png,jpg,jpeg,gif,svg,webp,avif,ico,woff,woff2,ttf,eot,txt,xml",
  ),
});

export type IngestionConfig = z.output<typeof ingestionConfigSchema>;

export function loadIngestionConfig(env: Record<string, string | undefined> = process.env): IngestionConfig {
  return loadConfig(ingestionConfigSchema, env);
}
