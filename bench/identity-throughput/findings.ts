import { formatCores, formatNumber, formatPercent } from "../shared/format.js";
import { median } from "../shared/percentiles.js";
import type { IdentityBenchReport } from "./identity-bench-report.js";

function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? median(known) : undefined;
}

/** Each process's median CPU use over the measurements that saw it. */
function medianCores(measurements: readonly { cores: Record<string, number> }[]): Record<string, number> {
  const names = new Set(measurements.flatMap(({ cores }) => Object.keys(cores)));
  return Object.fromEntries(
    [...names].map((name) => [name, medianOf(measurements.map(({ cores }) => cores[name])) ?? 0]),
  );
}

const sumOf = (cores: Record<string, number>) => Object.values(cores).reduce((sum, used) => sum + used, 0);

/**
 * What limits the figures, in sentences that only restate measurements of this report: CPU use of
 * each process, the rate's trend over a run, and how Resolve and resolution affect each other.
 */
export function findings(report: IdentityBenchReport): string[] {
  const results = report.runs.map(({ result }) => result);
  const { cores: machineCores } = report.machine;
  const sentences: string[] = [];

  const resolving = medianCores(results.map((r) => r.resolution));
  sentences.push(
    `**Resolving**: while identity resolved the N events it used ${identityCores(resolving)} cores ` +
      `(a Node.js process runs its JavaScript on one thread), FerretDB ${formatNumber(resolving.ferretdb ?? 0, 2)} ` +
      `and Kafka ${formatNumber(resolving.kafka ?? 0, 2)}; all watched processes together used ` +
      `${formatNumber(sumOf(resolving), 2)} of the machine's ${machineCores} cores (medians over the runs, ` +
      "from /proc/<pid>/stat, all threads).",
  );

  const first = medianOf(results.map((r) => r.resolution.firstQuarterEventsPerSecond));
  const last = medianOf(results.map((r) => r.resolution.lastQuarterEventsPerSecond));
  if (first !== undefined && last !== undefined) {
    const change = last / first - 1;
    const trend = Math.abs(change) < 0.2 ? "holds" : change < 0 ? "falls while the graph grows" : "rises";
    sentences.push(
      `Over a run the rate ${trend}: ${formatNumber(first)} events/s over the first quarter of the N events, ` +
        `${formatNumber(last)} over the last (medians over the runs).`,
    );
  }

  const handledAgain = results.map((r) => r.handledAgain);
  if (handledAgain.some((count) => count > 0)) {
    sentences.push(
      `Identity's counter counted more resolutions than there were events (${handledAgain.join(", ")} more in ` +
        "the runs): those events were handled again after a batch of theirs failed to commit, so the counter's " +
        "rate overstates what reached `crm.events.resolved`; the committed rate does not.",
    );
  }

  const idle = medianCores(results.map((r) => r.resolve));
  sentences.push(
    `**Resolve with the consumer idle**: ${formatCores(idle, ", ")} cores during the load ` +
      `(${formatNumber(sumOf(idle), 2)} of the machine's ${machineCores} together).`,
  );

  const busy = medianCores(results.map((r) => r.busyResolve));
  const idleP99 = medianOf(results.map((r) => r.resolve.latencyMs.p99));
  const busyP99 = medianOf(results.map((r) => r.busyResolve.latencyMs.p99));
  const busyShare = medianOf(results.map((r) => r.busyResolve.busyShare));
  const resolvedWhileBusy = medianOf(results.map((r) => r.busyResolve.resolvedPerSecond));
  const resolvedAlone = medianOf(results.map((r) => r.resolution.eventsPerSecond));
  let busySentence =
    `**Resolve while the consumer resolves a batch**: ${formatCores(busy, ", ")} cores ` +
    `(${formatNumber(sumOf(busy), 2)} of ${machineCores} together); the batch lasted ${formatPercent(busyShare ?? 0)} of the load's ` +
    `wall time (median), and Resolve's p99 was ${formatNumber(busyP99 ?? 0, 1)} ms against ` +
    `${formatNumber(idleP99 ?? 0, 1)} ms with the consumer idle.`;
  if (resolvedWhileBusy !== undefined && resolvedAlone !== undefined) {
    busySentence +=
      ` Meanwhile identity resolved ${formatNumber(resolvedWhileBusy)} events/s, against ` +
      `${formatNumber(resolvedAlone)} without Resolve calls.`;
  }
  sentences.push(busySentence);
  return sentences;
}

/** "0.41" for one instance, "identity #1 0.40, identity #2 0.38" for several. */
function identityCores(cores: Record<string, number>): string {
  const instances = Object.fromEntries(Object.entries(cores).filter(([name]) => name.startsWith("identity")));
  const single = instances.identity;
  return single !== undefined && Object.keys(instances).length === 1
    ? formatNumber(single, 2)
    : formatCores(instances, ", ");
}
