import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";

export type IdentityBenchOptions = {
  /** Events waiting on crm.events when identity starts, per run. */
  events: number;
  /** Events published after the first Resolve load, resolved while the second one runs. */
  busyEvents: number;
  runs: number;
  /** Identity processes sharing the consumer group. */
  instances: number;
  /** Concurrent gRPC clients of Resolve. */
  clients: number;
  /** Measured Resolve calls per load. */
  calls: number;
  /** Identity's IDENTITY_STORE_BUCKETS: collections each kind of document is spread over. */
  storeBuckets: number;
  /** Identity's KAFKA_CONSUMER_CONCURRENCY: partitions one instance resolves at once. */
  consumerConcurrency: number;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const identityBenchUsage = `npm run bench -w @rapport/bench -- identity-throughput [options]
  --events N        events waiting on crm.events when identity starts, per run (default 20000)
  --busy-events B   events published before the second Resolve load, resolved while it runs
                    (default N / 4)
  --runs N          repetitions (default 3)
  --instances I     identity processes in one consumer group (default 1)
  --clients K       concurrent Resolve clients, one call in flight each (default 8)
  --calls M         measured Resolve calls per load (default 5000)
  --store-buckets S identity's IDENTITY_STORE_BUCKETS (default 1, identity's own default:
                    one collection per kind)
  --consumer-concurrency C
                    identity's KAFKA_CONSUMER_CONCURRENCY, partitions one instance resolves at
                    once (default 3, identity's own default; 1 resolves one partition at a time)
  --no-write        print the results only; leave docs/benchmarks.md alone`;

/** Enough events for identity's parts of 2,000 to reach a steady rate: about half a minute a run. */
const defaultEvents = 20_000;
const defaultCalls = 5_000;
/** Identity's own default of IDENTITY_STORE_BUCKETS (services/identity/src/config.ts). */
export const defaultStoreBuckets = 1;
/** Identity's own default of KAFKA_CONSUMER_CONCURRENCY (packages/config/src/fragments.ts). */
const defaultConsumerConcurrency = 3;

export function parseIdentityBenchOptions(args: readonly string[]): IdentityBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      events: { type: "string" },
      "busy-events": { type: "string" },
      runs: { type: "string" },
      instances: { type: "string" },
      clients: { type: "string" },
      calls: { type: "string" },
      "store-buckets": { type: "string" },
      "consumer-concurrency": { type: "string" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  const events = positiveInteger("events", values.events, defaultEvents);
  const instances = positiveInteger("instances", values.instances, 1);
  if (instances > 6) throw new Error("--instances is limited to 6, the partitions of crm.events");
  return {
    events,
    busyEvents: positiveInteger("busy-events", values["busy-events"], Math.max(1, Math.floor(events / 4))),
    runs: positiveInteger("runs", values.runs, 3),
    instances,
    clients: positiveInteger("clients", values.clients, 8),
    calls: positiveInteger("calls", values.calls, defaultCalls),
    storeBuckets: positiveInteger("store-buckets", values["store-buckets"], defaultStoreBuckets),
    consumerConcurrency: positiveInteger(
      "consumer-concurrency",
      values["consumer-concurrency"],
      defaultConsumerConcurrency,
    ),
    write: !values["no-write"],
  };
}
