import { formatCores, formatNumber, formatPercent, formatSpread, markdownTable } from "../shared/format.js";
import { spreadOf } from "../shared/percentiles.js";
import { conditionsTable } from "../shared/run-conditions.js";
import { journeyPopulation } from "./customer-journeys.js";
import { findings } from "./findings.js";
import type { IdentityBenchReport } from "./identity-bench-report.js";
import { defaultStoreBuckets } from "./options.js";

const alignFigures = ["---", "---:", "---:"];

/** The headline figures: median and range over the runs. */
export function figuresTable(report: IdentityBenchReport): string {
  const { clients } = report.options;
  const results = report.runs.map(({ result }) => result);
  const row = (figure: string, values: (number | undefined)[], decimals = 0) => {
    const known = values.filter((value): value is number => value !== undefined);
    if (known.length === 0) return [figure, "n/a", "n/a"];
    const { median, range } = formatSpread(spreadOf(known), decimals);
    return [figure, median, range];
  };
  const idle = results.map((r) => r.resolve);
  const busy = results.map((r) => r.busyResolve);
  const rows = [
    row(
      "crm.events → crm.events.resolved, events/s",
      results.map((r) => r.resolution.eventsPerSecond),
    ),
    row(
      "… over the first quarter of the N events",
      results.map((r) => r.resolution.firstQuarterEventsPerSecond),
    ),
    row(
      "… over the last quarter of the N events",
      results.map((r) => r.resolution.lastQuarterEventsPerSecond),
    ),
    row(
      "… committed (outputs a read_committed consumer sees), events/s",
      results.map((r) => r.committed.eventsPerSecond),
    ),
    row(
      "process start to first resolution, s",
      results.map((r) => r.resolution.secondsToFirstResolution),
      1,
    ),
    row(
      `Resolve, consumer idle (${clients} clients), calls/s`,
      idle.map((r) => r.callsPerSecond),
    ),
    row(
      "Resolve latency p50, ms",
      idle.map((r) => r.latencyMs.p50),
      1,
    ),
    row(
      "Resolve latency p90, ms",
      idle.map((r) => r.latencyMs.p90),
      1,
    ),
    row(
      "Resolve latency p99, ms",
      idle.map((r) => r.latencyMs.p99),
      1,
    ),
    row(
      "Resolve latency max, ms",
      idle.map((r) => r.latencyMs.max),
      1,
    ),
    row(
      `Resolve while the consumer resolves a batch (${clients} clients), calls/s`,
      busy.map((r) => r.callsPerSecond),
    ),
    row(
      "… latency p50, ms",
      busy.map((r) => r.latencyMs.p50),
      1,
    ),
    row(
      "… latency p90, ms",
      busy.map((r) => r.latencyMs.p90),
      1,
    ),
    row(
      "… latency p99, ms",
      busy.map((r) => r.latencyMs.p99),
      1,
    ),
    row(
      "… latency max, ms",
      busy.map((r) => r.latencyMs.max),
      1,
    ),
    row(
      "… events/s resolved meanwhile",
      busy.map((r) => r.resolvedPerSecond),
    ),
  ];
  return markdownTable(
    [`figure (${report.runs.length} runs each)`, "median", "min – max"],
    rows,
    alignFigures,
  );
}

function resolutionPerRun(report: IdentityBenchReport): string {
  const rows = report.runs.map(({ load, result }, i) => {
    const { graph } = result;
    return [
      String(i + 1),
      formatNumber(load, 2),
      formatNumber(result.resolution.eventsPerSecond),
      formatNumber(result.resolution.windowSeconds, 1),
      formatNumber(result.committed.eventsPerSecond),
      formatNumber(result.handledAgain),
      `${formatNumber(graph.mergedEvents)} (${formatNumber(graph.mergingEventsInPublishOrder)})`,
      `${formatNumber(graph.stats.uniqueCustomers)} (${formatNumber(graph.expectedCustomers)})`,
      formatCores(result.resolution.cores),
    ];
  });
  return markdownTable(
    [
      "run",
      "load (1 min)",
      "events/s",
      "window, s",
      "committed events/s",
      "handled again",
      "merged events (in publish order)",
      "customers (expected)",
      "CPU while resolving, cores",
    ],
    rows,
    ["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"],
  );
}

function resolvePerRun(report: IdentityBenchReport): string {
  const rows = report.runs.map(({ result }, i) => {
    const { resolve, busyResolve } = result;
    return [
      String(i + 1),
      formatNumber(resolve.callsPerSecond),
      formatNumber(resolve.latencyMs.p99, 1),
      formatCores(resolve.cores),
      formatNumber(busyResolve.callsPerSecond),
      formatNumber(busyResolve.latencyMs.p99, 1),
      formatPercent(busyResolve.busyShare),
      formatCores(busyResolve.cores),
    ];
  });
  return markdownTable(
    [
      "run",
      "idle: calls/s",
      "idle: p99, ms",
      "CPU, cores",
      "busy: calls/s",
      "busy: p99, ms",
      "load overlapping the batch",
      "CPU, cores",
    ],
    rows,
    ["---:", "---:", "---:", "---", "---:", "---:", "---:", "---"],
  );
}

/** How identity's store was laid out, which decides how much FerretDB reads per lookup. */
function storeSentence(buckets: number): string {
  const layout =
    buckets === 1
      ? "in one collection per kind"
      : `in ${formatNumber(buckets)} collections per kind, chosen by a hash of the document's key`;
  return (
    "Identity's store keeps its documents (customers, identifiers, resolutions, source records and " +
    `proposals) ${layout} (\`IDENTITY_STORE_BUCKETS\`; services/identity/README.md, "MongoDB ` +
    'collections") and reads them by `_id` and `_id` lists, which the patched FerretDB answers from its ' +
    '`_id` index (section "Document store" below). On the fresh database of each run identity creates its ' +
    "collections before it consumes, which counts in the time from process start to first resolution."
  );
}

/** The "Identity throughput" section of docs/benchmarks.md. */
export function identityThroughputSection(report: IdentityBenchReport): string {
  const { options } = report;
  const { shoppers, visitors } = journeyPopulation(options.events, "");
  return [
    "## Identity throughput",
    "",
    "Identity runs as its own Node.js process (`node --import tsx src/main.ts`, production defaults, " +
      `${options.instances === 1 ? "one instance" : `${options.instances} instances in one consumer group`}, ` +
      "fresh topics, database and consumer group per run) against a real broker and FerretDB; the load comes " +
      "from a separate process. The workload (`bench/identity-throughput/customer-journeys.ts`) is a seeded " +
      "stream of `crm.events` events as ingestion appends them (normalised identifiers, UTC times, keyed by the " +
      "strongest identifier, 6 partitions): 34 % anonymous visits (`PageViewed` with a cookie only; 70 % by a " +
      "shopper's cookie on one of two devices, 30 % by visitors who never log in), 18 % logins (`PageViewed` " +
      "with email and cookie), 30 % orders (`OrderPlaced` with customer number and email, 20 % with a loyalty " +
      "card), 18 % calls (`CallLogged` with a phone, 40 % with the email too); " +
      `${formatNumber(shoppers)} shoppers and ${formatNumber(visitors)} visitors for N events. Because a shopper's ` +
      "cookie or phone often appears before the event that links it, some events merge two customers.",
    "",
    storeSentence(options.storeBuckets),
    "",
    "- **crm.events → crm.events.resolved**: N events wait on `crm.events` before identity starts. " +
      "Events/s = resolutions counted by `rapport_identity_events_resolved_total` (polled every 100 ms) from " +
      "the first poll that sees one to the poll that sees all N. The same polls read identity's committed " +
      "offsets on `crm.events`, which it commits in the transaction that appends the outputs: the committed " +
      'rate is what a downstream consumer sees, and the counter\'s excess over the events ("handled again") ' +
      "counts events handled a second time after a batch failed to commit. At the end of the run a " +
      "`read_committed` consumer checks that `crm.events.resolved` holds each event id exactly once (the N " +
      "events and the batch below), keyed by its `customerid`.",
    "- **Resolve**: then K gRPC clients, each with its own connection and one call in flight, make M " +
      "`crm.v1.IdentityService/Resolve` calls with one identifier each: 90 % drawn uniformly from the " +
      "identifiers the N events named (each must be answered OK), 10 % identifiers nobody sent (each must be " +
      "answered `NOT_FOUND`, which counts as a valid answer); latency is each call's wall time, percentiles by " +
      "nearest rank. Warm-up (not measured): 50 calls one at a time, then 5 per client. Then another " +
      `${formatNumber(options.busyEvents)} events are published and the same load runs again while identity ` +
      "resolves them.",
    "",
    conditionsTable(
      report,
      `N = ${formatNumber(options.events)} events per run; K = ${options.clients} clients, ` +
        `M = ${formatNumber(options.calls)} Resolve calls per load; a batch of ${formatNumber(options.busyEvents)} ` +
        `events during the second load; ${options.instances} identity ` +
        `${options.instances === 1 ? "instance" : "instances"}; identity's store in ` +
        `${formatNumber(options.storeBuckets)} ${options.storeBuckets === 1 ? "collection" : "collections"} per kind ` +
        `(\`IDENTITY_STORE_BUCKETS=${options.storeBuckets}\`${options.storeBuckets === defaultStoreBuckets ? ", its default" : ""}); ` +
        `${options.consumerConcurrency} ${options.consumerConcurrency === 1 ? "partition" : "partitions"} ` +
        `of \`crm.events\` resolved at once per instance (\`KAFKA_CONSUMER_CONCURRENCY=${options.consumerConcurrency}\`); ` +
        `${options.runs} runs`,
    ),
    "",
    figuresTable(report),
    "",
    "Per run (the 1-minute load average at the start of each run includes the benchmark's own earlier " +
      'runs; other work on the shared machine adds to it). Merged events: counted with `merged="true"`, ' +
      "in brackets how many events merge customers when resolved in publish order (partitions interleave " +
      "differently). Customers: `GetIdentityStats` after the N events, in brackets the groups of identifiers " +
      "the events name together, which identity's confluent resolution must end with:",
    "",
    resolutionPerRun(report),
    "",
    resolvePerRun(report),
    "",
    "### What limits the figures",
    "",
    ...findings(report).flatMap((sentence) => [sentence, ""]),
  ].join("\n");
}
