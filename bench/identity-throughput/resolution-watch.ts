import { type CounterObservation, rateBetween } from "../shared/counter-timeline.js";
import { type CpuSnapshot, coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import type { CommittedEvents } from "./committed-events.js";
import { addedCounters, type IdentityCounters, type IdentityProcess } from "./identity-process.js";

/**
 * One look at every identity instance's counters and the consumer group's committed offsets, with
 * the CPU use of the watched processes.
 */
export type ResolutionPoll = {
  atMs: number;
  counters: IdentityCounters;
  committed: number;
  cpu: CpuSnapshot;
};

export type Poll = () => Promise<ResolutionPoll>;

const pollIntervalMs = 100;
/** A run fails when the committed count stands still this long with events still waiting. */
const stallMs = 120_000;

export function resolutionPoll(
  instances: readonly IdentityProcess[],
  committedEvents: CommittedEvents,
  watched: WatchedProcesses,
): Poll {
  return async () => {
    const [counters, committed] = await Promise.all([
      Promise.all(instances.map((instance) => instance.counters())).then(addedCounters),
      committedEvents.count(),
    ]);
    return { atMs: performance.now(), counters, committed, cpu: cpuSnapshot(watched) };
  };
}

/**
 * Polls every 100 ms until `target` events are committed (or `isDone` holds for a poll); returns
 * every poll. Fails when the committed count stands still for two minutes: a stuck consumer, a
 * dead-lettered event, or batches handled again and again without a commit.
 */
export async function pollUntil(
  poll: Poll,
  target: number,
  log: Log,
  isDone: (latest: ResolutionPoll) => boolean = () => false,
): Promise<ResolutionPoll[]> {
  const progress = throttled(log);
  const polls: ResolutionPoll[] = [];
  let lastMove = { atMs: performance.now(), committed: -1 };
  for (;;) {
    const current = await poll();
    polls.push(current);
    const { committed } = current;
    const { resolved } = current.counters;
    if (committed >= target || isDone(current)) return polls;
    if (committed !== lastMove.committed) lastMove = { atMs: current.atMs, committed };
    if (current.atMs - lastMove.atMs > stallMs) {
      throw new Error(
        `identity committed no event for ${stallMs / 1000} s, at ${committed} of ${target} ` +
          `(its counter says ${resolved} resolved)`,
      );
    }
    progress(
      `  committed ${committed.toLocaleString("en")} / ${target.toLocaleString("en")} ` +
        `(counter: ${resolved.toLocaleString("en")} resolved)`,
    );
    await sleep(pollIntervalMs);
  }
}

/** How fast a stretch of polls resolved events, and what it cost in CPU. */
export type ResolutionRate = {
  eventsPerSecond: number;
  /** The rate over the first and the last quarter of the stretch's events (undefined when too few polls). */
  firstQuarterEventsPerSecond: number | undefined;
  lastQuarterEventsPerSecond: number | undefined;
  /** From the first poll that saw a resolution to the poll that saw the last one. */
  windowSeconds: number;
  /** When the first poll that saw a resolution came (performance.now()). */
  firstAtMs: number;
  /** CPU use over the window, in cores, by process. */
  cores: Record<string, number>;
};

/** Which count of a poll a rate is measured on. */
export type Count = (poll: ResolutionPoll) => number;
export const resolvedCount: Count = (poll) => poll.counters.resolved;
export const committedCount: Count = (poll) => poll.committed;

/**
 * The rate of a count over polls that go from `from` (before the first event of the stretch) to at
 * least `to`: measured from the first poll that saw more than `from` to the first that saw `to`.
 */
export function resolutionRate(
  polls: readonly ResolutionPoll[],
  from: number,
  to: number,
  count: Count,
): ResolutionRate {
  const first = polls.find((poll) => count(poll) > from);
  const last = polls.find((poll) => count(poll) >= to);
  if (!first || !last) throw new Error(`the polls do not cover resolutions ${from + 1} … ${to}`);
  const windowSeconds = (last.atMs - first.atMs) / 1000;
  if (windowSeconds <= 0)
    throw new Error("all events were resolved between two polls: too few events to measure");
  const timeline: CounterObservation[] = polls.map((poll) => ({
    atMs: poll.atMs,
    count: count(poll) - from,
  }));
  const quarter = Math.floor((to - from) / 4);
  return {
    eventsPerSecond: (count(last) - count(first)) / windowSeconds,
    firstQuarterEventsPerSecond: rateBetween(timeline, 1, quarter),
    lastQuarterEventsPerSecond: rateBetween(timeline, to - from - quarter, to - from),
    windowSeconds,
    firstAtMs: first.atMs,
    cores: coresUsed(first.cpu, last.cpu),
  };
}
