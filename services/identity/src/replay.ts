import { setTimeout as sleep } from "node:timers/promises";
import { crmTopics } from "@rapport/events";
import { createKafka, ensureTopics, type OffsetRange, readOffsetRanges } from "@rapport/kafka";
import { connectMongo } from "@rapport/mongo";
import type { ReplayProgress, ReplayResult } from "@rapport/runtime";
import type { Logger } from "@rapport/telemetry";
import type { Kafka } from "kafkajs";
import { identityEventOfRecord, resolvedEventOfRecord } from "./adapters/identity-records.js";
import { createIdentitySwitch } from "./adapters/identity-switch.js";
import { identityTopics } from "./adapters/identity-topics.js";
import {
  type IdentityVersion,
  identityVersions,
  openIdentityVersion,
  openMatchStore,
} from "./adapters/identity-version.js";
import type { IdentityConfig } from "./config.js";
import {
  type AppliedDecisions,
  type LoggedDecision,
  type LoggedIdentityEvent,
  type LoggedResolvedEvent,
  markApplied,
  orderLoggedDecisions,
} from "./domain/logged-decisions.js";

/** Each partition of the log's topics: where a read starts and where it stops. */
type LogExtent = Map<string, OffsetRange[]>;

export type IdentityReplayOptions = {
  config: IdentityConfig;
  logger: Logger;
  onProgress?: (progress: ReplayProgress) => void;
  /**
   * How long the deciders are given, once the switch has begun, to publish the parts they checked
   * before it (a part is checked again just before its transaction commits). Default 15 s.
   */
  settleMs?: number;
  /** How long a switch may keep the deciders waiting before they go on without it. Default 10 min. */
  switchLeaseMs?: number;
  clock?: () => Date;
};

/**
 * `replay identity`: rebuilds identity's graph into the next version from what identity logged, not
 * by deciding again. Every decision is on the log: each crm.events event's resolution on
 * crm.events.resolved (its customer) and crm.identity (its links, merges, refusals and matches), and
 * every split and match decision a person made on crm.identity. They are applied in an order they
 * can be applied in (orderLoggedDecisions) through the writes the live decider makes, so the build
 * holds the same customers under the same ids: what scoring and offer folded stays true.
 *
 * The build runs beside the live graph, which keeps deciding. Then a switch begins: the deciders
 * stop taking new parts (events wait in crm.events), the decisions published meanwhile are applied
 * too, the new version is activated, and the deciders go on from where they stopped, on the new
 * build. Reads are answered throughout. A replay that fails activates nothing and lets the deciders
 * go on, on the build they had.
 */
export async function replayIdentity(options: IdentityReplayOptions): Promise<ReplayResult> {
  const { config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const topics = crmTopics(config.KAFKA_TOPIC_PREFIX);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: "rapport-identity-replay", logger });
  if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, identityTopics(config));
  const mongo = await connectMongo(config.MONGODB_URI, config.IDENTITY_DATABASE);
  try {
    const versions = identityVersions(mongo.db, config);
    const identitySwitch = createIdentitySwitch(mongo.db);
    const previous = await versions.active();
    const next = versions.next(previous);
    // A replay that failed before activating left a partial build under this name: start afresh.
    await mongo.client.db(next.database).dropDatabase();
    const build = await openIdentityVersion(next, { client: mongo.client, config, logger });
    const logTopics = [topics.resolvedEvents, topics.identity];
    let folded = await logExtent(kafka, logTopics, () => 0n);
    let total = offsetsIn(folded);
    logger.info({ from: previous, to: next, records: total }, "rebuilding identity's graph from its log");

    let appliedRecords = 0;
    const report = () => options.onProgress?.({ consumed: appliedRecords, total });
    // What the reads so far applied and left unfinished (see orderLoggedDecisions).
    const applied: AppliedDecisions = new Set();
    let waiting: LoggedDecision[] = [];
    let awaiting: LoggedIdentityEvent[] = [];
    /** Applies the extent's decisions; after the last read, those still waiting too (the log's orphans). */
    const foldLog = async (extent: LogExtent, last: boolean) => {
      const [resolved, identity] = await readLog(kafka, extent, topics.resolvedEvents);
      // An extent's offsets count the transactions' commit markers too: progress counts records.
      total -= offsetsIn(extent) - resolved.length - identity.length;
      const ordered = orderLoggedDecisions(resolved, identity, {
        applied,
        waiting,
        awaitingResolvedEvent: awaiting,
      });
      awaiting = ordered.awaitingResolvedEvent;
      waiting = last ? [] : ordered.waiting;
      // Resolutions in a row are applied as one part, as the live writer resolves them.
      let part: Extract<LoggedDecision, { kind: "resolution" }>[] = [];
      const applyPart = async () => {
        if (part.length === 0) return;
        await build.writer.resolveEvents(
          part.map(({ event }) => event),
          { logged: part.map(({ event: _event, kind: _kind, ...logged }) => logged) },
        );
        for (const decision of part) {
          markApplied(applied, decision);
          appliedRecords += recordsOf(decision);
        }
        part = [];
        report();
      };
      for (const decision of last ? [...ordered.decisions, ...ordered.waiting] : ordered.decisions) {
        if (decision.kind === "resolution") {
          part.push(decision);
          if (part.length >= replayPartSize) await applyPart();
          continue;
        }
        await applyPart();
        await applyOperatorDecision(build, decision);
        markApplied(applied, decision);
        appliedRecords += recordsOf(decision);
        report();
      }
      await applyPart();
    };
    /** Everything published since the extent folded last. */
    const tailAfter = async (extent: LogExtent) => {
      const tail = await logExtent(kafka, logTopics, ({ topic, partition }) =>
        endOf(extent, topic, partition),
      );
      total += offsetsIn(tail);
      return tail;
    };
    report();
    await foldLog(folded, false);
    // Catching up while the deciders go on: each round applies what they published during the last,
    // so that the switch, which stops them, has little left to apply.
    for (let round = 0; round < maxCatchUpRounds; round += 1) {
      const tail = await tailAfter(folded);
      await foldLog(tail, false);
      folded = tail;
      if (offsetsIn(tail) <= smallTail) break;
    }
    // The match model in force goes on matching on the new build (the schedule refits it there).
    const fitted = await (await openMatchStore(mongo.client.db(previous.database), config)).currentModel();
    if (fitted !== null) {
      const { _id, ...model } = fitted;
      await build.matcher.adoptModel(model);
    }

    const since = new Date();
    const until = new Date(since.getTime() + (options.switchLeaseMs ?? 600_000));
    await identitySwitch.begin(next.version, since, until);
    try {
      await sleep(options.settleMs ?? 15_000);
      const tail = await tailAfter(folded);
      logger.info({ records: offsetsIn(tail) }, "deciders wait: applying what they published meanwhile");
      await foldLog(tail, true);
      if (awaiting.length > 0)
        throw new Error(
          `${awaiting.length} identity events on ${topics.identity} (of event ${awaiting[0]?.event.eventId} and others) have no resolved event on ${topics.resolvedEvents}: the log is not one identity wrote`,
        );
      if ((await identitySwitch.pending(new Date())) === undefined)
        throw new Error(
          `the switch ran past its lease (${until.toISOString()}) and the deciders went on with version ${previous.version}`,
        );
      await versions.activate(next, clock());
    } finally {
      await identitySwitch.end();
    }
    return { previous, activated: next, records: appliedRecords };
  } finally {
    await mongo.close();
  }
}

/** Resolutions applied in one unit of work, as a part of crm.events is. */
const replayPartSize = 500;

/** A few rounds of catching up; one that applies this few records is the last before the switch. */
const maxCatchUpRounds = 5;
const smallTail = 1_000;

/** Between reading the end of crm.events.resolved and of crm.identity. */
const extentGapMs = 1_000;

/** Where the extent ends in a partition: where reading it again starts. */
function endOf(extent: LogExtent, topic: string, partition: number): bigint {
  return extent.get(topic)?.find((range) => range.partition === partition)?.to ?? 0n;
}

/** Every partition of the topics from `from` (by partition) to its end now. */
async function logExtent(
  kafka: Kafka,
  topics: readonly string[],
  from: (partition: { topic: string; partition: number }) => bigint,
): Promise<LogExtent> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const extent: LogExtent = new Map();
    for (const [index, topic] of topics.entries()) {
      // A resolution's identity events go out with its resolved event (the first topic), to partitions
      // that may have other leaders: the later topics' ends are read a moment later, so that they hold
      // the identity events of every resolved event read (those read without theirs wait for them).
      if (index > 0) await sleep(extentGapMs);
      const offsets = await admin.fetchTopicOffsets(topic);
      extent.set(
        topic,
        offsets.map(({ partition, high }) => ({
          partition,
          from: from({ topic, partition }),
          to: BigInt(high),
        })),
      );
    }
    return extent;
  } finally {
    await admin.disconnect();
  }
}

/** How many offsets the extent spans: its records, and the commit markers of their transactions. */
function offsetsIn(extent: LogExtent): number {
  let records = 0;
  for (const ranges of extent.values()) for (const { from, to } of ranges) records += Number(to - from);
  return records;
}

/** The resolved events and identity events in the extent; a record identity cannot read fails the replay. */
async function readLog(
  kafka: Kafka,
  extent: LogExtent,
  resolvedTopic: string,
): Promise<[LoggedResolvedEvent[], LoggedIdentityEvent[]]> {
  const resolved: LoggedResolvedEvent[] = [];
  const identity: LoggedIdentityEvent[] = [];
  for (const [topic, ranges] of extent) {
    await readOffsetRanges(kafka, topic, ranges, (record) => {
      const place = {
        topic,
        partition: record.partition,
        offset: BigInt(record.offset),
        timestamp: Number(record.timestamp),
      };
      try {
        if (topic === resolvedTopic) resolved.push({ place, ...resolvedEventOfRecord(record.value) });
        else identity.push({ place, ...identityEventOfRecord(record.value) });
      } catch (error) {
        throw new Error(
          `${topic} partition ${record.partition} offset ${record.offset}: ${(error as Error).message}; ` +
            "identity's log holds a record identity did not write, and the graph cannot be rebuilt past it",
        );
      }
    });
  }
  return [resolved, identity];
}

/** How many records of the log a decision takes up: its resolved event, and its identity events. */
function recordsOf(decision: LoggedDecision): number {
  return decision.kind === "resolution"
    ? 1 + decision.identityEvents.length + decision.matchEvents.length
    : decision.identityEvents.length;
}

/**
 * A person's decision as the graph writer applied it from the decision log (a split, a decision on a
 * proposal and the merge it made, or a refusal, which changes nothing): applied as the writer did.
 */
function applyOperatorDecision(
  build: IdentityVersion,
  decision: Extract<LoggedDecision, { kind: "operator" }>,
): Promise<void> {
  return build.writer.applyLogged(decision.identityEvents);
}
