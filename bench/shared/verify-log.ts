import { readTopic, type TopicRecord } from "@rapport/testing";
import type { BenchEndpoints } from "./bench-infra.js";

/**
 * Reads a topic as a downstream consumer would (read_committed, from the beginning) and fails unless
 * it holds exactly the expected event ids, each once; returns the records for further checks. Not
 * part of any timed figure.
 */
export async function verifyEachEventOnce(
  endpoints: BenchEndpoints,
  topic: string,
  expectedIds: readonly string[],
): Promise<TopicRecord[]> {
  const records = await readTopic(endpoints.kafkaBrokers, topic, {
    until: (seen) => seen.length >= expectedIds.length,
    timeoutMs: 300_000,
  });
  const ids = records.map((record) => (JSON.parse(record.value ?? "{}") as { id?: string }).id);
  const distinct = new Set(ids);
  const missing = expectedIds.filter((id) => !distinct.has(id));
  if (records.length !== expectedIds.length || distinct.size !== expectedIds.length || missing.length > 0) {
    throw new Error(
      `${topic} should hold ${expectedIds.length} events once each; it holds ${records.length} records ` +
        `with ${distinct.size} distinct ids, ${missing.length} expected ids missing (e.g. ${missing.slice(0, 3).join(", ")})`,
    );
  }
  return records;
}
