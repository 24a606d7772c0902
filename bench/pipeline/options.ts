import { parseArgs } from "node:util";
import { positiveInteger } from "../shared/positive-integer.js";

export type PipelineBenchOptions = {
  /** Events waiting on the raw topics when the services start. */
  events: number;
  /** People in the demo company the events come from. */
  customers: number;
  /** People in the company of the second measurement (the same number of events spread over them). */
  scaleCustomers: number;
  skipScale: boolean;
  /** Events per second offered while freshness is measured (open loop). */
  freshnessRate: number;
  /** How long the steady rate is offered. */
  freshnessSeconds: number;
  /** About how many published orders are followed until GetTimeline shows them. */
  freshnessSamples: number;
  /** How long after the last publish the samples not yet visible are waited for. */
  freshnessWaitSeconds: number;
  skipFreshness: boolean;
  /** The company generator's seed. */
  seed: number;
  /** A measurement fails when no stage moves for this long with events still on their way. */
  stallMinutes: number;
  /** One line of JSON on stdout (the table goes to stderr). */
  json: boolean;
  /** Write the section into docs/benchmarks.md (off: print only). */
  write: boolean;
};

export const pipelineBenchUsage = `npm run bench -w @rapport/bench -- pipeline [options]
  --events N              events of the demo company waiting on the raw topics crm.raw.<source> when
                          ingestion, identity, scoring and offer start (default 200000)
  --customers C           people in the demo company the events come from (default N / 10: 20000)
  --scale-customers S     the second measurement: the same N events over S people, on fresh topics
                          and databases (default 5 × C: 100000)
  --skip-scale            leave the second measurement out (it takes as long as the first)
  --freshness-rate R      events per second offered, open loop, while freshness is measured (default 1000)
  --freshness-seconds D   how long that rate is offered (default 60)
  --freshness-samples K   about how many of the orders published then are followed until GetTimeline
                          lists them (default 200)
  --freshness-wait W      seconds after the last publish that orders not yet visible are waited for;
                          those still not visible count as slower than that (default 60)
  --skip-freshness        leave the freshness measurement out
  --seed S                the demo company's seed (default 1)
  --stall-minutes M       fail when no stage moves for M minutes with events on their way (default 5)
  --json                  print a one-line JSON summary on stdout (the table goes to stderr)
  --no-write              print the results only; leave docs/benchmarks.md alone

The full default run takes long on a small machine: the services fold N events twice (at C and S
people). For a quick look: --events 3000 --customers 300 --freshness-seconds 30.`;

export function parsePipelineBenchOptions(args: readonly string[]): PipelineBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      events: { type: "string" },
      customers: { type: "string" },
      "scale-customers": { type: "string" },
      "skip-scale": { type: "boolean" },
      "freshness-rate": { type: "string" },
      "freshness-seconds": { type: "string" },
      "freshness-samples": { type: "string" },
      "freshness-wait": { type: "string" },
      "skip-freshness": { type: "boolean" },
      seed: { type: "string" },
      "stall-minutes": { type: "string" },
      json: { type: "boolean" },
      "no-write": { type: "boolean" },
    },
    strict: true,
  });
  const events = positiveInteger("events", values.events, 200_000);
  const customers = positiveInteger("customers", values.customers, Math.max(1, Math.round(events / 10)));
  const freshnessRate = positiveInteger("freshness-rate", values["freshness-rate"], 1_000);
  return {
    events,
    customers,
    scaleCustomers: positiveInteger("scale-customers", values["scale-customers"], customers * 5),
    skipScale: values["skip-scale"] ?? false,
    freshnessRate,
    freshnessSeconds: positiveInteger("freshness-seconds", values["freshness-seconds"], 60),
    freshnessSamples: positiveInteger("freshness-samples", values["freshness-samples"], 200),
    freshnessWaitSeconds: positiveInteger("freshness-wait", values["freshness-wait"], 60),
    skipFreshness: values["skip-freshness"] ?? false,
    seed: positiveInteger("seed", values.seed, 1),
    stallMinutes: positiveInteger("stall-minutes", values["stall-minutes"], 5),
    json: values.json ?? false,
    write: !values["no-write"],
  };
}
