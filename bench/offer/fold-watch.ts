import { type CounterObservation, rateBetween } from "../shared/counter-timeline.js";
import { type CpuSnapshot, coresUsed, cpuSnapshot, type WatchedProcesses } from "../shared/process-cpu.js";
import { type Log, sleep, throttled } from "../shared/progress.js";

/** How fast the offer service folded a stretch of events into contact facts, and what it cost. */
export type FoldRate = {
  eventsPerSecond: number;
  /** Over the first and the last quarter of the events (undefined when the polls were too coarse). */
  firstQuarterEventsPerSecond: number | undefined;
  lastQuarterEventsPerSecond: number | undefined;
  /** From the first poll that saw an event folded to the poll that saw the last. */
  windowSeconds: number;
  /** From `startedAtMs` (the process spawned, or the events published) to the first poll that saw one. */
  secondsToFirst: number;
  cores: Record<string, number>;
};

type FoldPoll = { atMs: number; count: number; cpu: CpuSnapshot };

const pollIntervalMs = 100;
/** The watch fails when the count stands still this long with events still waiting. */
const stallMs = 120_000;

/**
 * Polls `count` (the consumer group's committed offsets on the topic: events whose facts are stored)
 * every 100 ms from `from` until it reaches `to`, and measures the rate between the two.
 */
export async function watchFold(options: {
  count: () => Promise<number>;
  from: number;
  to: number;
  startedAtMs: number;
  watched: WatchedProcesses;
  what: string;
  log: Log;
}): Promise<FoldRate> {
  const { from, to } = options;
  const progress = throttled(options.log);
  const polls: FoldPoll[] = [];
  let lastMove = { atMs: performance.now(), count: -1 };
  for (;;) {
    const poll = { count: await options.count(), atMs: performance.now(), cpu: cpuSnapshot(options.watched) };
    polls.push(poll);
    if (poll.count >= to) break;
    if (poll.count !== lastMove.count) lastMove = { atMs: poll.atMs, count: poll.count };
    if (poll.atMs - lastMove.atMs > stallMs)
      throw new Error(
        `${options.what}: nothing committed for ${stallMs / 1000} s, at ${poll.count} of ${to}`,
      );
    progress(
      `  ${options.what}: ${(poll.count - from).toLocaleString("en")} / ${(to - from).toLocaleString("en")}`,
    );
    await sleep(pollIntervalMs);
  }
  const first = polls.find((poll) => poll.count > from) as FoldPoll;
  const last = polls.at(-1) as FoldPoll;
  const windowSeconds = (last.atMs - first.atMs) / 1000;
  const timeline: CounterObservation[] = polls.map(({ atMs, count }) => ({ atMs, count: count - from }));
  const quarter = Math.floor((to - from) / 4);
  return {
    eventsPerSecond: windowSeconds > 0 ? (last.count - first.count) / windowSeconds : Number.NaN,
    firstQuarterEventsPerSecond: rateBetween(timeline, 1, quarter),
    lastQuarterEventsPerSecond: rateBetween(timeline, to - from - quarter, to - from),
    windowSeconds,
    secondsToFirst: (first.atMs - options.startedAtMs) / 1000,
    cores: coresUsed(first.cpu, last.cpu),
  };
}
