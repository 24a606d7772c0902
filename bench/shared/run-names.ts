import { uniqueName } from "@rapport/testing";

/** Names no other run has used: its topics (by prefix), database, consumer group and instance. */
export type RunNames = { prefix: string; database: string; consumerGroup: string; instance: string };

/** `kind` names the measurement (raw, http, identity), `service` the consumer group's owner. */
export function freshRunNames(kind: string, service: string): RunNames {
  const name = uniqueName(`bench-${kind}`);
  return {
    prefix: `${name}.`,
    database: name,
    consumerGroup: `${name}-${service}`,
    instance: `${name}-1`,
  };
}
