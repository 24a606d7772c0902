import { formatNumber, formatPercent } from "../shared/format.js";
import { median } from "../shared/percentiles.js";
import type { IngestionBenchReport } from "./report.js";

function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? median(known) : undefined;
}

const cores = (value: number | undefined) => (value === undefined ? "n/a" : formatNumber(value, 2));

/**
 * What limits the figures, in sentences that only restate measurements of this report: CPU use of each
 * process, the idle share of ingestion's event loop, the rate's trend over a run and how far appends
 * lag behind HTTP answers.
 */
export function findings(report: IngestionBenchReport): string[] {
  const raw = report.raw.map(({ result }) => result);
  const http = report.http.map(({ result }) => result);
  const sentences: string[] = [];

  const rawIngestion = medianOf(raw.map((r) => r.cores.ingestion));
  const rawFerret = medianOf(raw.map((r) => r.cores.ferretdb));
  const rawKafka = medianOf(raw.map((r) => r.cores.kafka));
  const rawIdle = report.profiles?.raw.idleShare;
  let rawSentence =
    `**Raw topics → crm.events**: the ingestion process used ${cores(rawIngestion)} cores, ` +
    `FerretDB ${cores(rawFerret)} and Kafka ${cores(rawKafka)}`;
  if (rawIdle !== undefined) {
    rawSentence +=
      `, and ingestion's event loop was idle ${formatPercent(rawIdle)} of the time` +
      (rawIdle >= 0.5 ? ": it mostly waits for its per-batch round trips rather than computing." : ".");
  } else {
    rawSentence += ".";
  }
  sentences.push(rawSentence);

  const first = medianOf(raw.map((r) => r.firstQuarterEventsPerSecond));
  const last = medianOf(raw.map((r) => r.lastQuarterEventsPerSecond));
  if (first !== undefined && last !== undefined) {
    const change = last / first - 1;
    const trend =
      Math.abs(change) < 0.2
        ? "holds"
        : change < 0
          ? "falls while the run's `appended_events` collection grows"
          : "rises";
    sentences.push(
      `Over a run the rate ${trend}: ${formatNumber(first)} events/s over the first quarter of the N appends, ` +
        `${formatNumber(last)} over the last (medians over the runs).`,
    );
  }

  const httpIngestion = medianOf(http.map((r) => r.cores.ingestion));
  const httpKafka = medianOf(http.map((r) => r.cores.kafka));
  const httpIdle = report.profiles?.http.idleShare;
  let httpSentence = `**HTTP batches**: the ingestion process used ${cores(httpIngestion)} cores and Kafka ${cores(httpKafka)}`;
  if (httpIdle !== undefined) {
    httpSentence += `, and ingestion's event loop was idle ${formatPercent(httpIdle)} of the time`;
    httpSentence +=
      httpIdle < 0.2 && (httpIngestion ?? 0) >= 0.85
        ? ": its one JavaScript thread is the limit (the top of its busy time is listed below)."
        : ".";
  } else {
    httpSentence += ".";
  }
  sentences.push(httpSentence);

  const drain = medianOf(http.map((r) => r.drainSeconds));
  if (drain !== undefined && drain >= 1) {
    sentences.push(
      "An HTTP answer means the events are queued on their raw topics, not yet appended: after the last " +
        `answer it took another ${formatNumber(drain, 1)} s (median) until all batch events were in ` +
        "`crm.events`, so a sustained load at the HTTP rate would build a backlog on the raw topics.",
    );
  }
  return sentences;
}
