import type { RawSource } from "@rapport/events";
import { crmTopics } from "@rapport/events";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import type { Log } from "../shared/progress.js";
import { publishRecords } from "../shared/record-publisher.js";
import type { RunNames } from "../shared/run-names.js";
import type { Workload } from "./workload.js";

/**
 * Publishes events 0 … count-1 of the workload to their raw topics (created first, 6 partitions as in
 * production), keyed by their upstream id. Returns the ids ingestion will give them.
 */
export async function publishRawEvents(
  endpoints: BenchEndpoints,
  names: RunNames,
  workload: Workload,
  count: number,
  log: Log,
): Promise<string[]> {
  const topics = crmTopics(names.prefix);
  const lanes: RawSource[] = ["orders", "calls", "weblogs", "surveys"];
  const eventIds: string[] = [];
  await publishRecords({
    endpoints,
    createTopics: lanes.map((lane) => topics.raw(lane)),
    count,
    recordAt: (index) => {
      const { lane, eventId, cloudEvent } = workload.event(index);
      eventIds.push(eventId);
      return { topic: topics.raw(lane), key: cloudEvent.id, value: JSON.stringify(cloudEvent) };
    },
    what: "raw events",
    log,
  });
  return eventIds;
}
