import { randomBytes } from "node:crypto";

/**
 * A name no other test (or earlier run against a persistent broker) has used: a prefix and a
 * random suffix. Only [a-z0-9-], so it is valid as a Kafka topic, a consumer group, a
 * transactional id and a MongoDB database name (which allows at most 63 bytes).
 */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 40);
  return `${safePrefix}-${randomBytes(5).toString("hex")}`;
}
