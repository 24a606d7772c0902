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
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const identityBenchUsage = `npm run bench -w @rapport/bench -- identity-throughput [options]
  --events N        events waiting on crm.events when identity starts, per run (default 1200;
                    with a few thousand, identity's first batches outlast the consumer session
                    and are handled again and again: see bench/README.md)
  --busy-events B   events published before the second Resolve load, resolved while it runs
                    (default N / 4)
  --runs N          repetitions (default 3)
  --instances I     identity processes in one consumer group (default 1)
  --clients K       concurrent Resolve clients, one call in flight each (default 8)
  --calls M         measured Resolve calls per load (default 3000)
  --no-write        print the results only; leave docs/benchmarks.md alone`;

/**
 * Not the 20,000 events and 5,000 calls first planned: identity resolves 10–30 events per second on
 * the benchmark machine, a partition's batch that takes longer than the consumer's 30 s session is
 * handled again and again without a commit (bench/README.md), and a default run should take minutes.
 */
const defaultEvents = 1_200;
const defaultCalls = 3_000;

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
    write: !values["no-write"],
  };
}
