import { formatNumber, markdownTable, processLabel, processRank } from "../shared/format.js";
import { conditionsTable } from "../shared/run-conditions.js";
import type { FreshnessFigures } from "./freshness-phase.js";
import type { PhaseFigures } from "./pipeline-phase.js";
import { pipelineServices } from "./pipeline-services.js";
import {
  type PipelineBenchReport,
  type PipelineMeasurement,
  pipelineTargets,
  targetChecks,
  type WorkloadFacts,
} from "./pipeline-summary.js";

const known = (value: number | undefined, decimals = 0) =>
  value === undefined || !Number.isFinite(value) ? "n/a" : formatNumber(value, decimals);

function stageRows(figures: PhaseFigures): string[][] {
  return pipelineServices.map((service) => {
    const stage = figures.stages[service];
    return [
      `${service}: events/s (first → last of its N events)`,
      known(stage.eventsPerSecond),
      `${known(stage.firstSeconds, 1)} → ${known(stage.doneSeconds, 1)} s`,
    ];
  });
}

/** The headline figures of the main measurement (and the scale one), one table. */
export function figuresTable(report: PipelineBenchReport): string {
  const { main, scale } = report;
  const figures = main.figures;
  const rows: string[][] = [
    [
      `end to end: ${formatNumber(figures.events)} events / (drained − first append), events/s`,
      known(figures.endToEndEventsPerSecond),
      `first append ${known(figures.firstAppendSeconds, 1)} s, drained ${known(figures.drainedSeconds, 1)} s after the spawn`,
    ],
    [
      "end to end from the spawn (start-up included), events/s",
      known(figures.endToEndFromSpawnEventsPerSecond),
      `all four ready after ${known(figures.startSeconds, 1)} s`,
    ],
    ...stageRows(figures),
    ...freshnessRows(figures.freshness),
    ...(scale
      ? [
          [
            `end to end at ${formatNumber(scale.workload.people)} people (the same ${formatNumber(scale.workload.events)} events), events/s`,
            known(scale.figures.endToEndEventsPerSecond),
            `${known((scale.figures.endToEndEventsPerSecond / figures.endToEndEventsPerSecond) * 100)} % of the rate at ${formatNumber(main.workload.people)}; drained ${known(scale.figures.drainedSeconds, 1)} s after the spawn`,
          ],
        ]
      : []),
  ];
  return markdownTable(["figure", "value", "when / detail"], rows, ["---", "---:", "---"]);
}

function freshnessRows(freshness: FreshnessFigures | undefined): string[][] {
  if (!freshness) return [];
  const unknownPercentile = `not reached: ${formatNumber(freshness.notVisible)} of ${formatNumber(freshness.samples)} not visible ${freshness.waitSeconds} s after the last publish`;
  const percentile = (label: string, value: number | undefined) => [
    `freshness ${label}, published → listed by GetTimeline, ms`,
    value === undefined ? `> ${formatNumber(freshness.waitSeconds * 1000)}` : formatNumber(value),
    value === undefined
      ? unknownPercentile
      : `${formatNumber(freshness.visible)} of ${formatNumber(freshness.samples)} orders visible`,
  ];
  return [
    percentile("p50", freshness.p50Ms),
    percentile("p90", freshness.p90Ms),
    percentile("p99", freshness.p99Ms),
    [
      "… published while offered, events/s",
      formatNumber(freshness.published / freshness.publishSeconds),
      `${formatNumber(freshness.offeredRate)}/s offered for ${freshness.offeredSeconds} s; ${formatNumber(freshness.published)} acknowledged in ${formatNumber(freshness.publishSeconds, 1)} s${freshness.publishFailures > 0 ? `, ${freshness.publishFailures} sends failed` : ""}`,
    ],
    [
      "… GetTimeline calls following the orders, calls/s",
      formatNumber(freshness.timelineCalls / freshness.followSeconds, 1),
      `${formatNumber(freshness.timelineCalls)} calls in ${formatNumber(freshness.followSeconds, 1)} s${
        Object.keys(freshness.timelineErrors).length > 0
          ? `; failed: ${Object.entries(freshness.timelineErrors)
              .map(([code, count]) => `${code} ${count}`)
              .join(", ")}`
          : ""
      }`,
    ],
    [
      "… handled meanwhile, events/s",
      known(freshness.handledPerSecond.offer),
      `${pipelineServices.map((service) => `${service} ${known(freshness.handledPerSecond[service])}`).join(", ")}; offer ${formatNumber(freshness.offerBehindAtEnd)} events behind at the end`,
    ],
  ];
}

function workloadTable(measurements: readonly PipelineMeasurement[]): string {
  const mixRow = (label: string, pick: (facts: WorkloadFacts) => number) => [
    label,
    ...measurements.map(({ workload }) => formatNumber(pick(workload))),
  ];
  return markdownTable(
    ["", ...measurements.map(({ workload }) => `${formatNumber(workload.people)} people`)],
    [
      mixRow("events (chosen in time order from the company's)", (facts) => facts.events),
      mixRow("… the company's events over its history", (facts) => facts.generated),
      mixRow("… its history, months", (facts) => facts.months),
      mixRow("sign-ups `crm.raw.customers`", (facts) => facts.mix.signUps),
      mixRow(
        "… of them second sign-ups (another email, maybe the same phone)",
        (facts) => facts.mix.duplicateSignUps,
      ),
      mixRow("consents `crm.raw.consents`", (facts) => facts.mix.consents),
      mixRow("orders `crm.raw.orders`", (facts) => facts.mix.orders),
      mixRow("calls `crm.raw.calls`", (facts) => facts.mix.calls),
      mixRow("page views, access-log lines `crm.raw.weblogs`", (facts) => facts.mix.pageViews),
      mixRow("logins, PageViewed events `crm.raw.weblogs`", (facts) => facts.mix.logins),
      mixRow("surveys `crm.raw.surveys`", (facts) => facts.mix.surveys),
    ],
    ["---", ...measurements.map(() => "---:")],
  );
}

function costTable(measurements: readonly PipelineMeasurement[]): string {
  const processes = [...new Set(measurements.flatMap(({ figures }) => Object.keys(figures.cores)))].sort(
    (a, b) => processRank(a) - processRank(b),
  );
  const rows = [
    ...processes.map((name) => [
      `CPU, ${processLabel(name)}: cores (CPU s)`,
      ...measurements.map(
        ({ figures }) => `${known(figures.cores[name], 2)} (${known(figures.cpuSeconds[name], 1)})`,
      ),
    ]),
    ...pipelineServices.map((service) => [
      `store commands per event, ${service}`,
      ...measurements.map(({ figures }) => {
        const { total, byCommand } = figures.storeCommands[service];
        const top = Object.entries(byCommand)
          .sort(([, a], [, b]) => b - a)
          .slice(0, 4)
          .map(([command, perEvent]) => `${command} ${formatNumber(perEvent, 2)}`)
          .join(", ");
        return `${formatNumber(total, 2)}${top ? ` (${top})` : ""}; ${formatNumber(figures.storeCommandsAtStart[service])} before ready`;
      }),
    ]),
    [
      "records made on `crm.identity` / `crm.customer.changes` / `crm.offers` / `crm.scoring`",
      ...measurements.map(({ figures }) => {
        const { identity, changes, offers, scoring } = figures.derivedRecords;
        return [identity, changes, offers, scoring].map((count) => formatNumber(count)).join(" / ");
      }),
    ],
  ];
  return markdownTable(
    [
      "from the spawn to the drain",
      ...measurements.map(({ workload }) => `${formatNumber(workload.people)} people`),
    ],
    rows,
    ["---", ...measurements.map(() => "---")],
  );
}

function targetsTable(report: PipelineBenchReport): string {
  return markdownTable(
    ["target (the issue's)", "target", "this run", "met"],
    targetChecks(report).map((check) => [
      check.what,
      check.target,
      check.measured === undefined
        ? (check.unknownBecause ?? "n/a")
        : formatNumber(check.measured, check.decimals ?? 0),
      check.met === undefined ? "not measurable here" : check.met ? "yes" : "no",
    ]),
    ["---", "---:", "---:", "---"],
  );
}

/** Where the run spent its time, in facts from its figures: the slowest stage, the busiest process, the most round trips. */
export function bottlenecks(figures: PhaseFigures): string {
  const slowest = pipelineServices
    .filter((service) => figures.stages[service].eventsPerSecond !== undefined)
    .reduce((last, service) =>
      (figures.stages[service].eventsPerSecond ?? 0) < (figures.stages[last].eventsPerSecond ?? 0)
        ? service
        : last,
    );
  const [busiest, busiestCores] = Object.entries(figures.cores).reduce((last, entry) =>
    entry[1] > last[1] ? entry : last,
  );
  const chattiest = pipelineServices.reduce((last, service) =>
    figures.storeCommands[service].total > figures.storeCommands[last].total ? service : last,
  );
  return (
    `Slowest stage: ${slowest} (${known(figures.stages[slowest].eventsPerSecond)} events/s); busiest process: ` +
    `${processLabel(busiest)} (${formatNumber(busiestCores, 2)} cores of ${formatNumber(
      Object.values(figures.cores).reduce((sum, cores) => sum + cores, 0),
      2,
    )} used by all watched processes); ` +
    `most store round trips per event: ${chattiest} (${formatNumber(figures.storeCommands[chattiest].total, 2)}).`
  );
}

/** What the run prints: the figures, the targets, and what it cost. */
export function resultsText(report: PipelineBenchReport): string {
  const measurements = report.scale ? [report.main, report.scale] : [report.main];
  return [
    figuresTable(report),
    bottlenecks(report.main.figures),
    targetsTable(report),
    costTable(measurements),
  ].join("\n\n");
}

/** The "Pipeline" section of docs/benchmarks.md. */
export function pipelineSection(report: PipelineBenchReport): string {
  const { options, main, scale } = report;
  const measurements = scale ? [main, scale] : [main];
  const small = main.workload.events < pipelineTargets.events;
  return [
    "## Pipeline",
    "",
    "The whole platform end to end: ingestion, identity, scoring and offer, each as its own Node.js process " +
      "(`node --import tsx src/main.ts`, production defaults but for the run's topic prefix, databases, consumer " +
      "groups and ports; ingestion reads the visitor cookie of access-log lines as `npm start` sets it), against " +
      "the real broker and FerretDB. The events are the demo company's (`packages/demo`, seeded): its people " +
      "over 12 months (more while it has too few events), of which N events are chosen at random in time order " +
      "(`bench/pipeline/workload.ts`). All of them wait on the raw topics `crm.raw.<source>` before the services " +
      "start, as upstream systems would have sent them: orders and calls as the shop and the call center send " +
      "them, sign-ups, consents, surveys and logins on the raw lane of their type (the demo posts them to " +
      "`POST /v1/events`, whose front door queues them there), page views as the web server's access-log lines " +
      "on `crm.raw.weblogs`.",
    "",
    "- **End to end**: the services are spawned at once; every 250 ms the benchmark reads each service's " +
      "`/metrics` (`rapport_kafka_records_consumed_total` by topic, `rapport_kafka_consumer_lag`, " +
      "`rapport_store_commands_total`), then counts with a read_committed reader the records on the topics " +
      "whose size nobody knows in advance (`crm.identity`, `crm.customer.changes`, `crm.offers`, `crm.scoring`). " +
      "The pipeline is drained when ingestion has handled every raw record, identity every event of " +
      "`crm.events`, scoring and offer every event of `crm.events.resolved` and every record of the other topics " +
      "they read, their consumer lag is 0, and the reader has read to the end of those topics. End to end = N / " +
      "(drained − the first poll that saw an append). A stage's rate: N / (the poll that saw all N − the first " +
      "that saw one), by its committed count (ingestion: raw records; identity: `crm.events`; scoring and " +
      "offer: `crm.events.resolved`); a stage cannot go faster than the one before it.",
    "- **CPU** per process from `/proc/<pid>/stat`, from the spawn to the drain. **Store commands per event**: " +
      "`rapport_store_commands_total` (every command the MongoDB driver sends, one round trip each) from the " +
      "moment the service was ready to the drain, divided by N; what it sent before it was ready (creating " +
      "collections and indexes) is shown apart.",
    "- **Freshness**: with the pipeline drained, the workload's events are published again (new ids and " +
      "order numbers, the publish time as their time, for the same people) at a steady rate, open loop (every " +
      "5 ms whatever is due is sent, no waiting for acknowledgements); about K of the orders among them are " +
      "followed: each is asked for with `GetTimeline` by its first identifier (scoring asks identity's " +
      "`Resolve`, as a call-center screen's lookup does; the timeline is read from the same customer document " +
      "as `GetCustomer`) by 4 clients, each order at most every 100 ms or every tenth of its wait so far " +
      "(each latency known to within 10 %), until its event id is listed. Freshness = that " +
      "answer − the send. Orders not listed when the wait ends count as slower than all others, so a " +
      "percentile that falls among them is not known.",
    "- **At a larger population**: the same N events chosen from a company of more people, on fresh topics and " +
      "databases, end to end only.",
    "",
    "One run, not the median of several as elsewhere in this file: a default run, both populations and " +
      "the freshness phase, takes about a quarter of an hour.",
    "",
    "Scoring fits its first population model a minute after it starts (its default: every minute until " +
      "someone has bought) and rescores every customer then, and identity fits its match model once it holds " +
      "1,000 customers with traits: both happen within a run that lasts long enough, as in production.",
    "",
    conditionsTable(
      report,
      `N = ${formatNumber(main.workload.events)} events of ${formatNumber(main.workload.people)} people` +
        (scale ? `, then of ${formatNumber(scale.workload.people)}` : " (the larger population skipped)") +
        `; seed ${options.seed}; ` +
        (options.skipFreshness
          ? "freshness skipped"
          : `freshness at ${formatNumber(options.freshnessRate)} events/s for ${options.freshnessSeconds} s, about ${options.freshnessSamples} orders followed, waited for up to ${options.freshnessWaitSeconds} s; `) +
        `one run (1-minute load ${formatNumber(main.load, 2)} at its start${scale ? `, ${formatNumber(scale.load, 2)} at the larger population's` : ""})`,
    ),
    "",
    ...(small
      ? [
          `**A small run** (${formatNumber(main.workload.events)} events, not the default ${formatNumber(pipelineTargets.events)}): ` +
            "the figures describe the code of its commit at this size only; a default run replaces them.",
          "",
        ]
      : []),
    figuresTable(report),
    "",
    bottlenecks(main.figures),
    "",
    targetsTable(report),
    "",
    "The workload:",
    "",
    workloadTable(measurements),
    "",
    "What it cost:",
    "",
    costTable(measurements),
  ].join("\n");
}
