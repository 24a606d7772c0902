import { formatCores, formatNumber, formatPercent, formatSpread, markdownTable } from "../shared/format.js";
import { spreadOf } from "../shared/percentiles.js";
import { conditionsTable } from "../shared/run-conditions.js";
import { attemptsTable } from "./campaign-attempts.js";
import type { CampaignFigures } from "./campaign-phase.js";
import type { CampaignSearch } from "./campaign-search.js";
import { findings } from "./findings.js";
import { type OfferBenchReport, searchesOf } from "./offer-bench-report.js";
import { defaultStoreBuckets } from "./options.js";

type Row = string[];

function row(figure: string, values: readonly (number | undefined)[], decimals = 0): Row {
  const known = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  if (known.length === 0) return [figure, "n/a", "n/a"];
  const { median, range } = formatSpread(spreadOf(known), decimals);
  return [figure, median, range];
}

function campaignRows(report: OfferBenchReport, searches: readonly CampaignSearch[]): Row[] {
  const [first] = searches;
  if (!first) return [];
  const { audience } = report.options;
  const full = searches.map((search) => search.attempts[0] as CampaignFigures);
  const builtInFull = full.filter((figures) => figures.failure === undefined).length;
  const largest = searches.map((search) => search.largest);
  const fullLabel =
    builtInFull === full.length
      ? `${first.channel} campaign (offer \`${first.offerId}\`) for ${formatNumber(audience)} customers: CreateCampaign, s`
      : builtInFull === 0
        ? `${first.channel} campaign (offer \`${first.offerId}\`) for ${formatNumber(audience)} customers: CreateCampaign until it failed, s`
        : `${first.channel} campaign (offer \`${first.offerId}\`) for ${formatNumber(audience)} customers (built in ${builtInFull} of ${full.length} runs): CreateCampaign, s`;
  return [
    row(
      fullLabel,
      full.map((figures) => figures.createSeconds),
      1,
    ),
    row(
      "… largest audience built, customers",
      largest.map((figures) => figures?.audience),
    ),
    row(
      "… its treatment targets",
      largest.map((figures) => figures?.treatmentTargets),
    ),
    row(
      "… its holdout targets",
      largest.map((figures) => figures?.holdoutTargets),
    ),
    row(
      "… its CreateCampaign, s",
      largest.map((figures) => figures?.createSeconds),
      1,
    ),
    row(
      "… first page of GetCampaignTargets (100 targets) after the answer, ms",
      largest.map((figures) => (figures?.firstPageSeconds ?? Number.NaN) * 1000),
      1,
    ),
    row(
      "… every target read, 1,000 per page, s",
      largest.map((figures) => figures?.fullListSeconds),
      2,
    ),
    row(
      "… the offer's consumer through crm.offers after the answer, s",
      largest.map((figures) => figures?.consumerCaughtUpSeconds),
      1,
    ),
  ];
}

/** The headline figures: median and range over the runs. */
export function figuresTable(report: OfferBenchReport): string {
  const { options } = report;
  const results = report.runs.map(({ result }) => result);
  const decisions = results.map((r) => r.decisions);
  const rows: Row[] = [
    row(
      `histories of ${formatNumber(options.customers)} customers → contact facts, events/s`,
      results.map((r) => r.fold.rate.eventsPerSecond),
    ),
    row(
      "… process start to the first events folded, s",
      results.map((r) => r.fold.rate.secondsToFirst),
      1,
    ),
    ...(options.campaignFacts > options.customers
      ? [
          row(
            `histories of ${formatNumber(options.campaignFacts - options.customers)} more customers → contact facts, events/s`,
            results.map((r) => r.campaignFold?.rate.eventsPerSecond),
          ),
        ]
      : []),
    row(
      "UpsertOffer, one at a time (each waits until the consumer applied it), p50, ms",
      results.map((r) => r.upsertMs.p50),
      1,
    ),
    row(
      `GetNextBestOffers (${options.clients} clients), calls/s`,
      decisions.map((d) => d.callsPerSecond),
    ),
    row(
      "GetNextBestOffers latency p50, ms",
      decisions.map((d) => d.latencyMs.p50),
      1,
    ),
    row(
      "GetNextBestOffers latency p95, ms",
      decisions.map((d) => d.latencyMs.p95),
      1,
    ),
    row(
      "GetNextBestOffers latency p99, ms",
      decisions.map((d) => d.latencyMs.p99),
      1,
    ),
    row(
      "GetNextBestOffers latency max, ms",
      decisions.map((d) => d.latencyMs.max),
      1,
    ),
    row(
      "… email answers with an offer, %",
      decisions.map((d) => (100 * d.byChannel.email.withOffers) / d.byChannel.email.calls),
    ),
    row(
      "… web answers with an offer, %",
      decisions.map((d) => (100 * d.byChannel.web.withOffers) / d.byChannel.web.calls),
    ),
    row(
      "… offers presented per call",
      decisions.map((d) => d.offersPresented / options.calls),
      2,
    ),
    ...(["phone", "email"] as const).flatMap((channel) => campaignRows(report, searchesOf(report, channel))),
  ];
  return markdownTable(
    [`figure (${report.runs.length} ${report.runs.length === 1 ? "run" : "runs"})`, "median", "min – max"],
    rows,
    ["---", "---:", "---:"],
  );
}

function decisionsPerRun(report: OfferBenchReport): string {
  const rows = report.runs.map(({ load, result }, i) => [
    String(i + 1),
    formatNumber(load, 2),
    formatNumber(result.fold.rate.eventsPerSecond),
    formatCores(result.fold.rate.cores),
    formatNumber(result.decisions.callsPerSecond),
    formatNumber(result.decisions.latencyMs.p50, 1),
    formatNumber(result.decisions.latencyMs.p99, 1),
    `${result.decisions.offersPerAnswer.map((calls) => formatNumber(calls)).join(" / ")}`,
    formatCores(result.decisions.cores),
  ]);
  return markdownTable(
    [
      "run",
      "load (1 min)",
      "folded events/s",
      "CPU while folding, cores",
      "calls/s",
      "p50, ms",
      "p99, ms",
      "answers with 0 / 1 / 2 / 3 offers",
      "CPU during the calls, cores",
    ],
    rows,
    ["---:", "---:", "---:", "---", "---:", "---:", "---:", "---:", "---"],
  );
}

/** The "Offer" section of docs/benchmarks.md. */
export function offerSection(report: OfferBenchReport): string {
  const { options } = report;
  const heldShare = options.campaignFacts / options.audience;
  const eventsPerCustomer = spreadOf(
    report.runs.map(({ result }) => result.fold.events / result.fold.customers),
  ).median;
  return [
    "## Offer",
    "",
    "The offer service runs as its own Node.js process (`node --import tsx src/main.ts`, production defaults, " +
      "one instance, fresh topics, database and consumer group per run) against the real broker and FerretDB. " +
      "**Scoring is a stand-in**: the offer service reads every customer's scores from scoring's " +
      "`crm.v1.CustomerService`, and the real scoring needs identity and a scored population, whose building " +
      'would mix their cost into the offer service\'s figures (the "Pipeline" section measures them together); so `SCORING_GRPC_ADDRESS` points at a small gRPC server in the benchmark ' +
      "process (`bench/offer/scoring-stand-in.ts`) that answers `GetCustomer` with a `CustomerSummary` (no " +
      "`CustomerProfile`) and streams an unfiltered `StreamCustomers` with flow control. Its time and CPU " +
      "count as the benchmark's, not the offer service's; Kafka and FerretDB are never stood in for.",
    "",
    "The workload (`bench/offer/offer-customers.ts`, seeded) is a tea shop's customers as identity resolves " +
      "them: each history is a `CustomerRegistered` (customer number, email, phone), an email opt-in for 85 % " +
      "(6 % of them revoked later), an SMS opt-in for 35 %, 0–4 orders (25 % none) and for 30 % one or two " +
      `calls (a sixth open a complaint), ${formatNumber(eventsPerCustomer, 1)} events per customer over the last two years, published to ` +
      "`crm.events.resolved` as identity appends them (CloudEvents JSON with `customerid`, keyed by it, 6 " +
      "partitions). The stand-in's scores follow the same history (tier, lifecycle stage, RFM, grid cell, " +
      "churn risk, categories, open complaints; 4 % of buyers with a negative margin). The catalog " +
      "(`bench/offer/offer-catalog.ts`) has 20 offers over every strategy and channel, with rules on the " +
      "scores, one valid for a week, one expired, one capped per customer.",
    "",
    "- **Folding**: the histories of N customers wait on `crm.events.resolved` before the offer service " +
      "starts. Events/s = the consumer group's committed offsets (committed after the batch's facts are " +
      "stored), polled every 100 ms, from the first poll that sees one to the poll that sees all. Then a " +
      'preview email decision for a customer who opted in must give "email opt-in since …".',
    "- **GetNextBestOffers**: K gRPC clients, each with its own connection and one call in flight, make M " +
      "calls for customers drawn uniformly from the N, half for `email`, half for `web`, limit 3, " +
      "`preview: false`: every offer made is presented (published to `crm.offers` and written to the " +
      "contact facts), as in production, so repeated customers meet the contact caps (email 2 a week, 3 " +
      "contacts a week in all) and one voice. Warm-up (not measured, in preview so it records nothing): 50 " +
      "calls one at a time, then 5 per client. Every answer must be OK, and `crm.offers` must then hold " +
      "exactly as many `OfferPresented` records as the answers made offers.",
    "- **Campaigns**: `CreateCampaign` for the stand-in's whole audience of A customers (no list filters, " +
      `no target limit, holdout 10 %), a phone campaign, then an email one; the offer service then held the ` +
      `histories of ${formatNumber(options.campaignFacts)} of the ${formatNumber(options.audience)} customers ` +
      `(${formatPercent(heldShare)}), the rest are known to scoring only. Timed from outside: the call to its ` +
      "answer, when the stand-in finished streaming, and when `crm.offers` first grew (end offsets polled " +
      "every 250 ms); then the first page of `GetCampaignTargets` (100 targets), every target (1,000 per " +
      "page, counted against the campaign), and the time until the offer service's own consumer has read " +
      "`crm.offers` to its end. A campaign that fails (or runs past the deadline) is tried again for half " +
      "the audience until one is built; the phone campaign, which presents nothing, is then bisected " +
      "towards the largest audience that can be built (to 2 % of A); the email campaign is not, since each " +
      "one built presents its offer and changes what the next one screens.",
    "",
    conditionsTable(
      report,
      `N = ${formatNumber(options.customers)} customers; K = ${options.clients} clients, M = ` +
        `${formatNumber(options.calls)} GetNextBestOffers calls per run; A = ${formatNumber(options.audience)} ` +
        `customers streamed to CreateCampaign, the offer service holding the histories of ` +
        `${formatNumber(options.campaignFacts)}; campaigns ${options.campaignChannels.join(", ")}, cut off after ` +
        `${options.campaignMinutes} min; \`OFFER_STORE_BUCKETS=${options.storeBuckets}\`` +
        `${options.storeBuckets === defaultStoreBuckets ? " (its default)" : ""}; ${options.runs} ` +
        `${options.runs === 1 ? "run" : "runs"}`,
    ),
    "",
    figuresTable(report),
    "",
    "Per run (the 1-minute load average at the start of each run includes the benchmark's own earlier runs; " +
      "other work on the shared machine adds to it):",
    "",
    decisionsPerRun(report),
    "",
    "Every `CreateCampaign` made, by audience size in the order tried (seconds after the call went out; " +
      "median and range over the runs that tried the size):",
    "",
    attemptsTable(report),
    "",
    "### What limits the figures",
    "",
    ...findings(report).flatMap((sentence) => [sentence, ""]),
  ].join("\n");
}
