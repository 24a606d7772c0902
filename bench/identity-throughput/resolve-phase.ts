import type { Identifier } from "@rapport/events";
import { type LatencySummary, latencySummary } from "../shared/percentiles.js";
import { coresUsed } from "../shared/process-cpu.js";
import { type Log, throttled } from "../shared/progress.js";
import type { JourneyOptions } from "./customer-journeys.js";
import type { IdentityProcess } from "./identity-process.js";
import { type Poll, pollUntil, type ResolutionPoll } from "./resolution-watch.js";
import { type ResolveLoadResult, runResolveLoad } from "./resolve-load.js";
import { type ResolveLookup, resolveLookups } from "./resolve-lookups.js";

export type ResolvePhaseOptions = {
  instances: readonly IdentityProcess[];
  poll: Poll;
  /** Identifiers of the resolved events: 90 % of the lookups are drawn from these. */
  known: readonly Identifier[];
  journeys: JourneyOptions;
  clients: number;
  calls: number;
  /** Seeds the lookups, so that each phase looks up other identifiers. */
  seed: number;
  log: Log;
};

export type ResolveFigures = {
  latencyMs: LatencySummary;
  callsPerSecond: number;
  found: number;
  notFound: number;
  /** CPU use during the load, in cores, by process. */
  cores: Record<string, number>;
  /** What each lookup was answered (for the consistency check; not reported). */
  answers: { identifier: Identifier; customerId: string | undefined }[];
};

export type BusyResolveFigures = ResolveFigures & {
  /** Share of the load's wall time during which identity still had events of the batch to resolve. */
  busyShare: number;
  /** Events resolved per second while the load ran and the batch lasted (undefined: it never overlapped). */
  resolvedPerSecond: number | undefined;
};

const unknownShare = 0.1;
const deadlineMs = 10_000;
const sequentialWarmUp = 50;
const warmUpPerClient = 5;

/** K clients call Resolve M times in all, after a warm-up that is not measured. */
export async function measureResolve(options: ResolvePhaseOptions): Promise<ResolveFigures> {
  await warmUp(options);
  const before = await options.poll();
  const load = await timedLoad(options);
  const after = await options.poll();
  return figuresOf(options, load, before, after);
}

/**
 * As measureResolve, while identity resolves a batch of events published just before: `busyUntil`
 * is the resolved count at which the batch is done. Identity's counters are polled meanwhile, to
 * tell how much of the load overlapped the batch and how fast events were resolved under it.
 */
export async function measureResolveWhileBusy(
  options: ResolvePhaseOptions & { busyUntil: number },
): Promise<BusyResolveFigures> {
  await warmUp(options);
  const before = await options.poll();
  let isLoadDone = false;
  const background = pollUntil(
    options.poll,
    options.busyUntil,
    () => undefined,
    () => isLoadDone,
  );
  const load = await timedLoad(options).finally(() => {
    isLoadDone = true;
  });
  const after = await options.poll();
  const polls = await background;
  // Identity's counter, not the committed offsets: those move a whole batch at a time, too coarse
  // for a load of a few seconds.
  const drained = polls.find(
    (poll) => poll.counters.resolved >= options.busyUntil && poll.atMs <= after.atMs,
  );
  const busyEnd: ResolutionPoll = drained ?? after;
  const busyMs = busyEnd.atMs - before.atMs;
  return {
    ...figuresOf(options, load, before, after),
    busyShare: Math.min(1, Math.max(0, busyMs / (after.atMs - before.atMs))),
    resolvedPerSecond:
      busyMs > 0 && before.counters.resolved < options.busyUntil
        ? (busyEnd.counters.resolved - before.counters.resolved) / (busyMs / 1000)
        : undefined,
  };
}

function lookupsOf(options: ResolvePhaseOptions, count: number, seed: number): ResolveLookup[] {
  return resolveLookups({ known: options.known, journeys: options.journeys, count, unknownShare, seed });
}

// The first calls come one at a time, then a few per client, so that connection set-up and the
// service's first code paths are not part of the figures.
async function warmUp(options: ResolvePhaseOptions): Promise<void> {
  const addresses = options.instances.map((instance) => instance.grpcAddress);
  const seed = options.seed * 1_000 + 1;
  for (const [clients, count] of [
    [1, sequentialWarmUp * addresses.length],
    [options.clients, warmUpPerClient * options.clients],
  ] as const) {
    const load = await runResolveLoad({
      addresses,
      clients,
      lookups: lookupsOf(options, count, seed),
      deadlineMs,
    });
    expectExpectedAnswers(load, "warm-up");
  }
}

async function timedLoad(
  options: ResolvePhaseOptions,
): Promise<ResolveLoadResult & { lookups: ResolveLookup[] }> {
  const lookups = lookupsOf(options, options.calls, options.seed);
  const progress = throttled(options.log);
  const load = await runResolveLoad({
    addresses: options.instances.map((instance) => instance.grpcAddress),
    clients: options.clients,
    lookups,
    deadlineMs,
    onAnswer: (answered) => progress(`  Resolve: ${answered} / ${lookups.length} calls answered`),
  });
  expectExpectedAnswers(load, "Resolve load");
  return { ...load, lookups };
}

/** Every known identifier must be found and every unknown one not: anything else voids the figures. */
function expectExpectedAnswers(load: ResolveLoadResult, what: string): void {
  if (load.unexpected.length === 0) return;
  const examples = load.unexpected
    .slice(0, 3)
    .map(
      ({ identifier, code, details }) => `${identifier.type} ${identifier.value}: code ${code} ${details}`,
    );
  throw new Error(`${what}: ${load.unexpected.length} unexpected answers, e.g.\n${examples.join("\n")}`);
}

function figuresOf(
  options: ResolvePhaseOptions,
  load: ResolveLoadResult & { lookups: ResolveLookup[] },
  before: ResolutionPoll,
  after: ResolutionPoll,
): ResolveFigures {
  return {
    latencyMs: latencySummary(load.latenciesMs),
    callsPerSecond: options.calls / load.wallSeconds,
    found: load.found,
    notFound: load.notFound,
    cores: coresUsed(before.cpu, after.cpu),
    answers: load.lookups.map((lookup, position) => ({
      identifier: lookup.identifier,
      customerId: load.customerIds[position],
    })),
  };
}
