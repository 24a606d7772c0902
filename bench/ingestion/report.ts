import { formatCores, formatNumber, formatPercent, formatSpread, markdownTable } from "../shared/format.js";
import { median, spreadOf } from "../shared/percentiles.js";
import { conditionsTable, type RunConditions } from "../shared/run-conditions.js";
import type { ProfileSummary } from "./cpu-profile.js";
import { findings } from "./findings.js";
import type { HttpThroughputResult } from "./http-throughput.js";
import type { IngestionBenchOptions } from "./options.js";
import type { RawThroughputResult } from "./raw-throughput.js";

export type Profiles = { raw: ProfileSummary; http: ProfileSummary };

/** Everything one `bench ingestion` run measured, and under which conditions. */
export type IngestionBenchReport = RunConditions & {
  options: IngestionBenchOptions;
  /** Each run with the 1-minute load average at its start. */
  raw: { load: number; result: RawThroughputResult }[];
  http: { load: number; result: HttpThroughputResult }[];
  profiles?: Profiles | undefined;
};

/** The headline figures: median and range over the runs. */
export function figuresTable(report: IngestionBenchReport): string {
  const { clients, batchSize } = report.options;
  const raw = report.raw.map(({ result }) => result);
  const http = report.http.map(({ result }) => result);
  const row = (figure: string, values: (number | undefined)[], decimals = 0) => {
    const known = values.filter((value): value is number => value !== undefined);
    if (known.length === 0) return [figure, "n/a", "n/a"];
    const { median: middle, range } = formatSpread(spreadOf(known), decimals);
    return [figure, middle, range];
  };
  const rows = [
    row(
      "raw topics → crm.events, events/s",
      raw.map((r) => r.eventsPerSecond),
    ),
    row(
      "… over the first quarter of the N events",
      raw.map((r) => r.firstQuarterEventsPerSecond),
    ),
    row(
      "… over the last quarter of the N events",
      raw.map((r) => r.lastQuarterEventsPerSecond),
    ),
    row(
      `HTTP batches (${clients} clients × ${batchSize} events), requests/s`,
      http.map((r) => r.requestsPerSecond),
      1,
    ),
    row(
      `HTTP batches (${clients} clients × ${batchSize} events), events/s`,
      http.map((r) => r.eventsPerSecond),
    ),
    row(
      "HTTP batch latency p50, ms",
      http.map((r) => r.batchLatencyMs.p50),
      1,
    ),
    row(
      "HTTP batch latency p90, ms",
      http.map((r) => r.batchLatencyMs.p90),
      1,
    ),
    row(
      "HTTP batch latency p99, ms",
      http.map((r) => r.batchLatencyMs.p99),
      1,
    ),
    row(
      "HTTP batch latency max, ms",
      http.map((r) => r.batchLatencyMs.max),
      1,
    ),
    row(
      "HTTP single event (1 client), latency p50, ms",
      http.map((r) => r.singleLatencyMs.p50),
      1,
    ),
    row(
      "HTTP single event (1 client), latency p99, ms",
      http.map((r) => r.singleLatencyMs.p99),
      1,
    ),
    row(
      "raw: process start to first append, s",
      raw.map((r) => r.secondsToFirstAppend),
      1,
    ),
    row(
      "HTTP: batches all in crm.events after the last answer, s",
      http.map((r) => r.drainSeconds),
      1,
    ),
  ];
  return markdownTable([`figure (${report.raw.length} runs each)`, "median", "min – max"], rows, [
    "---",
    "---:",
    "---:",
  ]);
}

function perRunTable(report: IngestionBenchReport): string {
  const rows = report.raw.map(({ load, result }, i) => {
    const http = report.http[i];
    return [
      String(i + 1),
      formatNumber(load, 2),
      formatNumber(result.eventsPerSecond),
      formatCores(result.cores),
      http ? formatNumber(http.load, 2) : "",
      http ? formatNumber(http.result.eventsPerSecond) : "",
      http ? formatNumber(http.result.batchLatencyMs.p99, 1) : "",
      http ? formatCores(http.result.cores) : "",
    ];
  });
  return markdownTable(
    [
      "run",
      "load (1 min)",
      "raw events/s",
      "CPU during raw run, cores",
      "load (1 min)",
      "HTTP events/s",
      "HTTP p99, ms",
      "CPU during HTTP batches, cores",
    ],
    rows,
    ["---:", "---:", "---:", "---", "---:", "---:", "---:", "---"],
  );
}

/** Each process's median CPU use over the runs that measured it. */
function medianCores(runs: readonly { cores: Record<string, number> }[]): Record<string, number> {
  const names = new Set(runs.flatMap(({ cores }) => Object.keys(cores)));
  return Object.fromEntries(
    [...names].map((name) => [
      name,
      median(runs.flatMap(({ cores }) => (cores[name] === undefined ? [] : [cores[name]]))),
    ]),
  );
}

function profileLine(what: string, profile: ProfileSummary): string {
  const top = profile.busy
    .slice(0, 6)
    .map(({ category, share }) => `${category} ${formatPercent(share)}`)
    .join(", ");
  return (
    `- ${what}: over ${formatNumber(profile.windowSeconds, 1)} s the event loop was idle ` +
    `${formatPercent(profile.idleShare)} of the time; the busy time went to ${top}.`
  );
}

function whereTheTimeGoes(report: IngestionBenchReport): string[] {
  const lines: string[] = [];
  const cores = (runs: readonly { cores: Record<string, number> }[]) => formatCores(medianCores(runs), ", ");
  lines.push(
    `CPU used while measuring (median over the runs, in cores of the machine's ${report.machine.cores}; ` +
      "from /proc/<pid>/stat, all threads):",
    "",
    `- raw topics → crm.events: ${cores(report.raw.map(({ result }) => result))}`,
    `- HTTP batches: ${cores(report.http.map(({ result }) => result))}`,
  );
  if (report.profiles) {
    lines.push(
      "",
      "The ingestion process under `node --cpu-prof` (one extra run of each measurement, not counted above; " +
        "only samples inside the measured stretch; each is charged to the innermost frame whose code has a " +
        "known owner):",
      "",
      profileLine("raw topics → crm.events", report.profiles.raw),
      profileLine("HTTP batch load (with the appends the consumer makes meanwhile)", report.profiles.http),
    );
  }
  return lines;
}

/** The "Ingestion" section of docs/benchmarks.md. */
export function ingestionSection(report: IngestionBenchReport): string {
  const { options } = report;
  return [
    "## Ingestion",
    "",
    "Ingestion runs as its own Node.js process (`node --import tsx src/main.ts`, production defaults, " +
      "`KAFKA_TOPIC_PARTITIONS=6`, fresh topics, database and consumer group per run) against a real broker " +
      "and FerretDB; the load comes from a separate process. The workload is a seeded mix of realistic " +
      "events: 45 % `PageViewed`, 30 % `OrderPlaced` with 1–4 items, 15 % `CallLogged`, 10 % `SurveyAnswered`, " +
      "about 20,000 customers known by customer numbers, mixed-case emails, Korean mobile numbers " +
      "(010-xxxx-xxxx), cookies and loyalty cards, every event valid.",
    "",
    "- **Raw topics → crm.events**: N events wait on the raw topics (published with a plain kafkajs " +
      "producer) before ingestion starts. Events/s = appends counted by " +
      "`rapport_ingestion_events_appended_total` (polled every 100 ms) from the first poll that sees an " +
      "append to the poll that sees all N. Afterwards a `read_committed` consumer checks that `crm.events` " +
      "holds each id exactly once.",
    "- **HTTP**: K clients, each with one keep-alive connection and one request in flight, POST batches " +
      "of B events to `/v1/events`; latency is each request's wall time, percentiles by nearest rank. " +
      "Once the raw-topic consumer has caught up, one client sends single events. Every answer must be " +
      "`202`, and `crm.events` must end up with every event once. The warm-up (not measured) is 10 " +
      "requests one at a time, then 3 per client.",
    "",
    conditionsTable(
      report,
      `N = ${formatNumber(options.events)} events per raw run; K = ${options.clients} clients, ` +
        `B = ${options.batchSize} events per request, ${options.requests} measured batch requests and ` +
        `${options.singleRequests} single-event requests per HTTP run; ${options.runs} runs of each`,
    ),
    "",
    figuresTable(report),
    "",
    "Per run (the 1-minute load average at the start of each run includes the benchmark's own earlier " +
      "runs; other work on the shared machine adds to it):",
    "",
    perRunTable(report),
    "",
    "### What limits the figures",
    "",
    ...findings(report).flatMap((sentence) => [sentence, ""]),
    ...whereTheTimeGoes(report),
    "",
  ].join("\n");
}
