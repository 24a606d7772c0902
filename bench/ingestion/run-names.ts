import { uniqueName } from "@rapport/testing";

/** Names no other run has used: its topics (by prefix), database, consumer group and instance. */
export type RunNames = { prefix: string; database: string; consumerGroup: string; instance: string };

export function freshRunNames(kind: string): RunNames {
  const name = uniqueName(`bench-${kind}`);
  return {
    prefix: `${name}.`,
    database: name,
    consumerGroup: `${name}-ingestion`,
    instance: `${name}-1`,
  };
}
