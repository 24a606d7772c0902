import { type Admin, Kafka, logLevel } from "kafkajs";
import type { BenchEndpoints } from "../shared/bench-infra.js";

export type CommittedEvents = {
  /** Events of the topic whose outputs the group has committed: the sum of its committed offsets. */
  count(): Promise<number>;
  close(): Promise<void>;
};

/**
 * Watches a consumer group's committed offsets on a topic the benchmark alone wrote (offsets 0, 1, …
 * with no transaction markers). Identity commits its offsets in the transaction that appends the
 * outputs, so the sum counts events whose outputs a read_committed consumer can see: resolution end
 * to end, unlike a counter that also counts events handled again after a failed commit.
 */
export async function watchCommittedEvents(
  endpoints: BenchEndpoints,
  groupId: string,
  topic: string,
): Promise<CommittedEvents> {
  const admin: Admin = new Kafka({
    clientId: "rapport-bench-offsets",
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  return {
    async count() {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      // A partition without a committed offset shows -1.
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    },
    close: () => admin.disconnect(),
  };
}
