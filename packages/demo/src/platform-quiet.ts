import { metricSamples, metricTotal } from "@rapport/telemetry";
import { pollUntil } from "./poll.js";
import type { ProgressOutput } from "./progress-line.js";

/** The services whose consumers the demo waits on, and where each answers /metrics. */
export type PlatformMetrics = Readonly<Record<"ingestion" | "identity" | "scoring" | "offer", string>>;

/** What one look at the services' /metrics saw: records consumed so far, and records not yet handled. */
export type ConsumerReading = { consumed: Record<string, number>; behind: number };

/** Records consumed (by service) and the consumer lag summed over every partition the services report. */
export async function readConsumers(metrics: PlatformMetrics): Promise<ConsumerReading> {
  const consumed: Record<string, number> = {};
  let behind = 0;
  await Promise.all(
    Object.entries(metrics).map(async ([service, url]) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((error: Error) => {
        const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
        throw new Error(`${service} did not answer ${url} (${error.message}${cause})`, { cause: error });
      });
      if (!response.ok) throw new Error(`${service} answered ${url} with HTTP ${response.status}`);
      const exposition = await response.text();
      consumed[service] = metricTotal(exposition, "rapport_kafka_records_consumed_total");
      for (const { value } of metricSamples(exposition, "rapport_kafka_consumer_lag")) behind += value;
    }),
  );
  return { consumed, behind };
}

/** Looks in a row that may fail before the wait gives up with the last failure. */
const maxFailedLooks = 10;

/**
 * Waits until the platform has handled what the demo sent since `before`: the service named by
 * `pickedUpBy` has consumed more than it had then (the work reached it), every service reports a
 * consumer lag of 0, and nothing was consumed between two looks a second apart. The services' own
 * gauges answer in milliseconds, so the demo can look every second without loading the platform.
 */
export async function awaitQuiet(input: {
  metrics: PlatformMetrics;
  before: ConsumerReading;
  pickedUpBy: keyof PlatformMetrics;
  what: string;
  timeoutMs: number;
  output: ProgressOutput;
}): Promise<void> {
  let previous: ConsumerReading | undefined;
  let failedLooks = 0;
  await pollUntil({
    what: input.what,
    timeoutMs: input.timeoutMs,
    intervalMs: 1_000,
    output: input.output,
    look: async () => {
      // A look that fails (a busy service dropping a kept-alive connection) is taken again a second
      // later; only a service that stays silent ends the wait.
      const now = await readConsumers(input.metrics).catch((error: Error) => {
        failedLooks += 1;
        if (failedLooks >= maxFailedLooks) throw error;
        return undefined;
      });
      if (now === undefined)
        return {
          done: false,
          state: undefined,
          progress: "a service did not answer /metrics; looking again",
        };
      failedLooks = 0;
      const done = isQuiet({ before: input.before, previous, now, pickedUpBy: input.pickedUpBy });
      previous = now;
      const handled = Object.entries(now.consumed)
        .map(
          ([service, count]) =>
            `${service} ${(count - (input.before.consumed[service] ?? 0)).toLocaleString("en")}`,
        )
        .join(", ");
      return {
        done,
        state: undefined,
        progress: `${now.behind.toLocaleString("en")} records to go; handled ${handled}`,
      };
    },
  });
}

/**
 * Whether the platform is quiet at the look `now`: the work reached `pickedUpBy` (it consumed more
 * than `before`), no service consumed anything since the look before, and no consumer is behind.
 */
export function isQuiet(looks: {
  before: ConsumerReading;
  previous: ConsumerReading | undefined;
  now: ConsumerReading;
  pickedUpBy: keyof PlatformMetrics;
}): boolean {
  const { before, previous, now, pickedUpBy } = looks;
  const pickedUp = (now.consumed[pickedUpBy] ?? 0) > (before.consumed[pickedUpBy] ?? 0);
  const settled =
    previous !== undefined &&
    Object.entries(now.consumed).every(([service, count]) => previous.consumed[service] === count);
  return pickedUp && settled && now.behind === 0;
}
