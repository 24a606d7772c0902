import { crmTopics, type Identifier } from "@rapport/events";
import type { IdentityStats } from "@rapport/proto";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { formatCores } from "../shared/format.js";
import type { WatchedProcesses } from "../shared/process-cpu.js";
import type { Log } from "../shared/progress.js";
import { publishRecords } from "../shared/record-publisher.js";
import { removeRunData } from "../shared/run-cleanup.js";
import { freshRunNames, type RunNames } from "../shared/run-names.js";
import { verifyEachEventOnce } from "../shared/verify-log.js";
import { watchCommittedEvents } from "./committed-events.js";
import { customerGroupsOf } from "./customer-groups.js";
import { type CustomerJourneys, createCustomerJourneys, type JourneyOptions } from "./customer-journeys.js";
import { type IdentityProcess, startIdentityProcess } from "./identity-process.js";
import {
  committedCount,
  pollUntil,
  type ResolutionRate,
  resolutionPoll,
  resolutionRate,
  resolvedCount,
} from "./resolution-watch.js";
import {
  type BusyResolveFigures,
  measureResolve,
  measureResolveWhileBusy,
  type ResolveFigures,
} from "./resolve-phase.js";

export type IdentityRunOptions = {
  endpoints: BenchEndpoints;
  /** Other processes whose CPU use is reported (the broker, FerretDB, this benchmark). */
  watched: WatchedProcesses;
  journeys: JourneyOptions;
  /** Events waiting on crm.events before identity starts. */
  events: number;
  /** Events published after the first Resolve load, to keep the consumer busy during the second. */
  busyEvents: number;
  instances: number;
  clients: number;
  calls: number;
  /** Identity's IDENTITY_STORE_BUCKETS. */
  storeBuckets: number;
  /** Identity's KAFKA_CONSUMER_CONCURRENCY. */
  consumerConcurrency: number;
  log: Log;
};

/** What the graph looks like once the N events are resolved, next to what the events imply. */
export type GraphCheck = {
  /** Customers the N events make (union-find over the identifiers they name together). */
  expectedCustomers: number;
  /** Events that name customers known before them, resolved in publish order. */
  mergingEventsInPublishOrder: number;
  /** Resolved with merged="true" (identity's counter). */
  mergedEvents: number;
  identityEvents: Record<string, number>;
  stats: IdentityStats;
  /** Known identifiers of one expected customer that Resolve answered with different customer ids. */
  customersAnsweredInconsistently: number;
};

export type IdentityRunResult = {
  /** By identity's counter rapport_identity_events_resolved_total. */
  resolution: ResolutionRate & { secondsToFirstResolution: number };
  /** By the consumer group's committed offsets: outputs a downstream consumer can read. */
  committed: ResolutionRate;
  /** Counted resolutions beyond the events (events handled again after a batch failed to commit). */
  handledAgain: number;
  graph: GraphCheck;
  resolve: Omit<ResolveFigures, "answers">;
  busyResolve: Omit<BusyResolveFigures, "answers">;
};

/**
 * One run on fresh topics and a fresh database: N events wait on crm.events (6 partitions, keyed as
 * ingestion keys them), identity starts and resolves them while its counter is polled every 100 ms;
 * then Resolve is called with the consumer idle, and again while it resolves another batch. At the
 * end a read_committed consumer checks that crm.events.resolved holds every event once, keyed by
 * its customer id.
 */
export async function measureIdentityRun(options: IdentityRunOptions): Promise<IdentityRunResult> {
  const { endpoints, events, busyEvents, log } = options;
  const names = freshRunNames("identity", "identity");
  const journeys = createCustomerJourneys(options.journeys);
  const eventIds: string[] = [];
  const named: Identifier[][] = [];
  const publish = (from: number, count: number, createTopics: boolean) =>
    publishJourneys({ endpoints, names, journeys, from, count, createTopics, eventIds, named, log });

  await publish(0, events, true);
  const groups = customerGroupsOf(named);
  const known = distinctIdentifiers(named);
  const instances: IdentityProcess[] = [];
  const committedEvents = await watchCommittedEvents(
    endpoints,
    names.consumerGroup,
    crmTopics(names.prefix).events,
  );
  try {
    const spawnedMs = performance.now();
    instances.push(
      ...(await Promise.all(
        Array.from({ length: options.instances }, (_, k) =>
          startIdentityProcess({
            endpoints,
            names,
            instance: k + 1,
            storeBuckets: options.storeBuckets,
            consumerConcurrency: options.consumerConcurrency,
          }),
        ),
      )),
    );
    const watched = { ...options.watched, ...instanceWatch(instances) };
    const poll = resolutionPoll(instances, committedEvents, watched);
    const polls = await pollUntil(poll, events, log);
    const rate = resolutionRate(polls, 0, events, resolvedCount);
    const resolution = { ...rate, secondsToFirstResolution: (rate.firstAtMs - spawnedMs) / 1000 };
    const committed = resolutionRate(polls, 0, events, committedCount);
    const last = polls.at(-1)?.counters;
    log(
      `  ${events.toLocaleString("en")} resolved: ${Math.round(rate.eventsPerSecond).toLocaleString("en")} events/s ` +
        `over ${rate.windowSeconds.toFixed(1)} s (first quarter ${Math.round(rate.firstQuarterEventsPerSecond ?? Number.NaN)}, ` +
        `last quarter ${Math.round(rate.lastQuarterEventsPerSecond ?? Number.NaN)}); committed ` +
        `${Math.round(committed.eventsPerSecond).toLocaleString("en")} events/s; ${last?.merged ?? 0} merged; ` +
        `CPU ${formatCores(rate.cores)}`,
    );

    const resolve = await measureResolve({
      instances,
      poll,
      known,
      journeys: options.journeys,
      clients: options.clients,
      calls: options.calls,
      seed: 1,
      log,
    });
    const inconsistent = customersAnsweredInconsistently(resolve.answers, groups.groupOf);
    const stats = await (instances[0] as IdentityProcess).stats();
    log(
      `  Resolve (consumer idle): p50 ${resolve.latencyMs.p50.toFixed(1)} ms, p99 ${resolve.latencyMs.p99.toFixed(1)} ms, ` +
        `${Math.round(resolve.callsPerSecond)} calls/s; ${stats.uniqueCustomers} customers (${groups.customers} expected)`,
    );

    log(`  Resolve while identity resolves ${busyEvents.toLocaleString("en")} more events:`);
    await publish(events, busyEvents, false);
    const busyResolve = await measureResolveWhileBusy({
      instances,
      poll,
      known,
      journeys: options.journeys,
      clients: options.clients,
      calls: options.calls,
      seed: 2,
      log,
      busyUntil: events + busyEvents,
    });
    log(
      `  Resolve (consumer busy ${Math.round(busyResolve.busyShare * 100)} % of the load): ` +
        `p50 ${busyResolve.latencyMs.p50.toFixed(1)} ms, p99 ${busyResolve.latencyMs.p99.toFixed(1)} ms; ` +
        `meanwhile ${Math.round(busyResolve.resolvedPerSecond ?? Number.NaN)} events/s resolved`,
    );
    const final = (await pollUntil(poll, events + busyEvents, log)).at(-1);

    log("  verifying crm.events.resolved…");
    const records = await verifyEachEventOnce(endpoints, crmTopics(names.prefix).resolvedEvents, eventIds);
    const misKeyed = records.filter(
      (record) => (JSON.parse(record.value ?? "{}") as { customerid?: string }).customerid !== record.key,
    );
    if (misKeyed.length > 0) {
      throw new Error(`${misKeyed.length} records of crm.events.resolved are not keyed by their customerid`);
    }
    return {
      resolution,
      committed,
      handledAgain: (final?.counters.resolved ?? 0) - eventIds.length,
      graph: {
        expectedCustomers: groups.customers,
        mergingEventsInPublishOrder: groups.mergingEvents,
        mergedEvents: last?.merged ?? 0,
        identityEvents: last?.identityEvents ?? {},
        stats,
        customersAnsweredInconsistently: inconsistent,
      },
      resolve: withoutAnswers(resolve),
      busyResolve: withoutAnswers(busyResolve),
    };
  } catch (error) {
    const outputs = instances.map(
      (instance, k) => `--- identity #${k + 1} ---\n${instance.output().slice(-4_000)}`,
    );
    if (outputs.length > 0 && error instanceof Error) error.message += `\n${outputs.join("\n")}`;
    throw error;
  } finally {
    await committedEvents.close();
    await Promise.all(instances.map((instance) => instance.stop()));
    await removeRunData(endpoints, { prefix: names.prefix, databases: [names.database] });
  }
}

function instanceWatch(instances: readonly IdentityProcess[]): WatchedProcesses {
  if (instances.length === 1) return { identity: (instances[0] as IdentityProcess).pid };
  return Object.fromEntries(instances.map((instance, k) => [`identity-${k + 1}`, instance.pid]));
}

type PublishJourneysOptions = {
  endpoints: BenchEndpoints;
  names: RunNames;
  journeys: CustomerJourneys;
  from: number;
  count: number;
  createTopics: boolean;
  /** Filled with the ids and the identifiers of the published events, in order. */
  eventIds: string[];
  named: Identifier[][];
  log: Log;
};

/** Publishes journey events from … from+count-1 to crm.events as ingestion would append them. */
async function publishJourneys(options: PublishJourneysOptions): Promise<void> {
  const topic = crmTopics(options.names.prefix).events;
  await publishRecords({
    endpoints: options.endpoints,
    createTopics: options.createTopics ? [topic] : [],
    count: options.count,
    recordAt: (offset) => {
      const { key, event } = options.journeys.event(options.from + offset);
      options.eventIds.push(event.id);
      options.named.push(event.data.customer.identifiers);
      return { topic, key, value: JSON.stringify(event) };
    },
    what: "events on crm.events",
    log: options.log,
  });
}

function distinctIdentifiers(named: readonly (readonly Identifier[])[]): Identifier[] {
  const byKey = new Map<string, Identifier>();
  for (const identifiers of named)
    for (const identifier of identifiers) byKey.set(`${identifier.type}:${identifier.value}`, identifier);
  return [...byKey.values()];
}

/** Expected customers whose known identifiers Resolve answered with more than one customer id. */
function customersAnsweredInconsistently(
  answers: readonly { identifier: Identifier; customerId: string | undefined }[],
  groupOf: (identifier: Identifier) => number | undefined,
): number {
  const idsByGroup = new Map<number, Set<string>>();
  for (const { identifier, customerId } of answers) {
    const group = groupOf(identifier);
    if (group === undefined || customerId === undefined) continue;
    const ids = idsByGroup.get(group) ?? new Set<string>();
    ids.add(customerId);
    idsByGroup.set(group, ids);
  }
  return [...idsByGroup.values()].filter((ids) => ids.size > 1).length;
}

function withoutAnswers<T extends { answers: unknown }>({
  answers: _answers,
  ...figures
}: T): Omit<T, "answers"> {
  return figures;
}
