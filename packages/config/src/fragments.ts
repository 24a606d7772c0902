import { type CountryCode, isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";

/** A TCP port, with a default. */
export function port(defaultPort: number) {
  return z.coerce
    .number({ message: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(defaultPort);
}

/** A positive whole number, with a default. */
export function positiveInt(defaultValue: number) {
  return z.coerce
    .number({ message: "must be a number" })
    .int("must be a whole number")
    .positive("must be greater than 0")
    .default(defaultValue);
}

/** "true"/"false"/"1"/"0", with a default. */
export function flag(defaultValue: boolean) {
  return z
    .enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' })
    .default(defaultValue ? "true" : "false")
    .transform((value) => value === "true" || value === "1");
}

/** A comma-separated list of non-empty items. */
export function list(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
}

const hostPort = /^[^\s:,]+:\d{1,5}$/;

/** Where Kafka is and who this process is to it. */
export const kafkaConfig = {
  KAFKA_BROKERS: list("127.0.0.1:9092").refine(
    (brokers) => brokers.length > 0 && brokers.every((b) => hostPort.test(b)),
    {
      message: "must be a comma-separated list of host:port",
    },
  ),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Create the service's topics at start when they are missing (local and test setups). */
  KAFKA_CREATE_TOPICS: flag(true),
  KAFKA_TOPIC_PARTITIONS: positiveInt(6),
  /** How many of its assigned partitions one instance handles at once (each stays in order). */
  KAFKA_CONSUMER_CONCURRENCY: positiveInt(3),
  /** Put before every topic name (crm.events → staging.crm.events), to share one cluster. */
  KAFKA_TOPIC_PREFIX: z.string().default(""),
};

/** Where the service's servers (gRPC, HTTP) listen: 127.0.0.1 locally, 0.0.0.0 in a container. */
export const serverConfig = {
  BIND_ADDRESS: z.string().min(1).default("127.0.0.1"),
};

export const mongoConfig = {
  MONGODB_URI: z
    .string()
    .default("mongodb://127.0.0.1:27017")
    .refine((uri) => /^mongodb(\+srv)?:\/\//.test(uri), {
      message: "must start with mongodb:// or mongodb+srv://",
    }),
};

export const telemetryConfig = {
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** OTLP/HTTP traces endpoint, for example http://otel-collector:4318/v1/traces; no export when unset. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ message: "must be a URL" }).optional(),
  /** A stable name of this instance (used in the Kafka transactional id); defaults to the host name. */
  INSTANCE_ID: z.string().min(1).optional(),
};

/** The region national phone numbers are read in (E.164 numbers read the same in any region). */
export function phoneRegion(defaultRegion: CountryCode) {
  return z
    .string()
    .default(defaultRegion)
    .transform((region) => region.toUpperCase())
    .refine(isSupportedCountry, {
      message: "must be an ISO 3166-1 alpha-2 region libphonenumber knows, e.g. KR or US",
    })
    .transform((region) => region as CountryCode);
}
