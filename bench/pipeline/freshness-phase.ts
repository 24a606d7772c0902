import { credentials, type ServiceError, status } from "@grpc/grpc-js";
import type { Delivery } from "@rapport/demo";
import type { CrmTopics } from "@rapport/events";
import { callUnary } from "@rapport/grpc";
import { CustomerServiceClient } from "@rapport/proto";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { protoIdentifierOf } from "../identity-throughput/resolve-load.js";
import type { BenchEndpoints } from "../shared/bench-infra.js";
import { type Log, sleep, throttled } from "../shared/progress.js";
import { type FreshOrder, freshRecordOf } from "./fresh-events.js";
import {
  type FreshnessLatencies,
  type FreshnessSample,
  freshnessLatencies,
  sampleEvery,
} from "./freshness-figures.js";
import { type PipelinePoll, type PipelineTopicNames, stageCounts } from "./pipeline-figures.js";
import { type PipelineService, pipelineServices } from "./pipeline-services.js";

export type FreshnessOptions = {
  endpoints: BenchEndpoints;
  topics: CrmTopics;
  pipelineTopics: PipelineTopicNames;
  /** The workload's deliveries: the freshness events are these again, for the same people. */
  pool: readonly Delivery[];
  rate: number;
  seconds: number;
  samples: number;
  waitSeconds: number;
  scoringAddress: string;
  poll: () => Promise<PipelinePoll>;
  log: Log;
};

export type FreshnessFigures = FreshnessLatencies & {
  offeredRate: number;
  offeredSeconds: number;
  published: number;
  /** From the first send to the last acknowledgement. */
  publishSeconds: number;
  publishFailures: number;
  /** One order in this many was followed. */
  sampleEvery: number;
  waitSeconds: number;
  timelineCalls: number;
  /** From the first send until the last followed order was listed or the wait ended. */
  followSeconds: number;
  /** GetTimeline answers other than OK and NOT_FOUND, by status code name. */
  timelineErrors: Record<string, number>;
  /** Events each stage handled per second while the rate was offered. */
  handledPerSecond: Record<PipelineService, number>;
  /** Freshness events the offer service had not yet handled when the measurement ended. */
  offerBehindAtEnd: number;
};

type FollowedOrder = FreshOrder & FreshnessSample & { lastPolledMs: number };

/**
 * Each followed order is asked about at most every 100 ms, and an order waiting longer at most every
 * tenth of its wait so far: each latency is known to within 10 % (or 100 ms), and orders that wait
 * long on a platform that is behind do not load it with calls.
 */
const minPollIntervalMs = 100;
const pollIntervalShare = 0.1;
const timelineClients = 4;
const publishTickMs = 5;

/**
 * Freshness under a steady load: with the pipeline caught up, the workload's events are published
 * again (new ids, the publish time as their time) at `rate` per second for `seconds`, open loop (each
 * 5 ms whatever is due is sent, without waiting for earlier sends to be acknowledged). About `samples`
 * of the orders among them are followed: each is asked for with GetTimeline (by its first identifier,
 * as a call-center screen would; at most 4 calls in flight) until its event id is listed; its
 * freshness is from the send to that answer. Orders not listed `waitSeconds` after the last send
 * count as slower than every other.
 */
export async function measureFreshness(options: FreshnessOptions): Promise<FreshnessFigures> {
  const { rate, seconds, log } = options;
  const total = rate * seconds;
  const orderShare =
    options.pool.filter(
      (delivery) => delivery.path !== "weblog" && delivery.event.type === "crm.v1.OrderPlaced",
    ).length / options.pool.length;
  const every = sampleEvery(orderShare * total, options.samples);
  const kafka = new Kafka({
    clientId: "rapport-bench-fresh",
    brokers: options.endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const client = new CustomerServiceClient(options.scoringAddress, credentials.createInsecure());
  const followed: FollowedOrder[] = [];
  const pending = new Set<FollowedOrder>();
  const timelineErrors: Record<string, number> = {};
  let timelineCalls = 0;
  let publishing = true;
  let deadlineMs = Number.POSITIVE_INFINITY;

  const startPoll = await options.poll();
  const follow = async () => {
    while (publishing || (pending.size > 0 && performance.now() < deadlineMs)) {
      const now = performance.now();
      let next: FollowedOrder | undefined;
      for (const order of pending) {
        const intervalMs = Math.max(minPollIntervalMs, (now - order.publishedAtMs) * pollIntervalShare);
        if (now - order.lastPolledMs >= intervalMs && (!next || order.lastPolledMs < next.lastPolledMs))
          next = order;
      }
      if (!next) {
        await sleep(10);
        continue;
      }
      next.lastPolledMs = now;
      timelineCalls += 1;
      try {
        const answer = await callUnary(
          client,
          client.getTimeline,
          {
            subject: { $case: "identifier", value: protoIdentifierOf(next.identifier) },
            // The most a page holds: newer events of the same customer (a small population gets
            // dozens each while the phase publishes) would push the order off a smaller first page.
            pageSize: 500,
            pageToken: "",
          },
          10_000,
        );
        if (answer.entries.some((entry) => entry.eventId === next.eventId)) {
          next.visibleAtMs = performance.now();
          pending.delete(next);
        }
      } catch (error) {
        const code = (error as Partial<ServiceError>).code;
        if (code !== status.NOT_FOUND) {
          const name = code === undefined ? String(error) : (status[code] ?? String(code));
          timelineErrors[name] = (timelineErrors[name] ?? 0) + 1;
        }
      }
    }
  };
  const followers = Array.from({ length: timelineClients }, follow);

  const progress = throttled(log, 5_000);
  const sends: Promise<void>[] = [];
  let acked = 0;
  let failures = 0;
  let orders = 0;
  let lastAckMs = 0;
  const startMs = performance.now();
  try {
    for (let published = 0; published < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - startMs) / 1000) * rate));
      if (due > published) {
        const atMs = Date.now();
        const sentAtMs = performance.now();
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (; published < due; published += 1) {
          const { record, order } = freshRecordOf(
            options.pool[published % options.pool.length] as Delivery,
            published,
            atMs,
          );
          const topic = options.topics.raw(record.lane);
          const messages = byTopic.get(topic) ?? [];
          messages.push({ key: record.key, value: record.value });
          byTopic.set(topic, messages);
          if (order && orders++ % every === 0) {
            const sample = {
              ...order,
              publishedAtMs: sentAtMs,
              visibleAtMs: undefined,
              lastPolledMs: sentAtMs,
            };
            followed.push(sample);
            pending.add(sample);
          }
        }
        sends.push(
          producer
            .sendBatch({
              acks: -1,
              topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
            })
            .then(
              () => {
                for (const messages of byTopic.values()) acked += messages.length;
                lastAckMs = performance.now();
              },
              () => {
                failures += 1;
              },
            ),
        );
      }
      progress(
        `  freshness: published ${published.toLocaleString("en")} / ${total.toLocaleString("en")} at ${rate}/s; ` +
          `${followed.length - pending.size} of ${followed.length} followed orders visible`,
      );
      await sleep(publishTickMs);
    }
    await Promise.all(sends);
    const publishEndPoll = await options.poll();
    publishing = false;
    deadlineMs = performance.now() + options.waitSeconds * 1000;
    log(
      `  freshness: all ${total.toLocaleString("en")} published in ${((lastAckMs - startMs) / 1000).toFixed(1)} s; ` +
        `waiting up to ${options.waitSeconds} s for ${pending.size} of ${followed.length} followed orders`,
    );
    await Promise.all(followers);
    const followSeconds = (performance.now() - startMs) / 1000;
    const endPoll = await options.poll();
    const windowSeconds = (publishEndPoll.atMs - startPoll.atMs) / 1000;
    const startCounts = stageCounts(startPoll, options.pipelineTopics);
    const publishEndCounts = stageCounts(publishEndPoll, options.pipelineTopics);
    const endCounts = stageCounts(endPoll, options.pipelineTopics);
    return {
      ...freshnessLatencies(followed),
      offeredRate: rate,
      offeredSeconds: seconds,
      published: acked,
      publishSeconds: (lastAckMs - startMs) / 1000,
      publishFailures: failures,
      sampleEvery: every,
      waitSeconds: options.waitSeconds,
      timelineCalls,
      followSeconds,
      timelineErrors,
      handledPerSecond: Object.fromEntries(
        pipelineServices.map((service) => [
          service,
          (publishEndCounts[service] - startCounts[service]) / windowSeconds,
        ]),
      ) as Record<PipelineService, number>,
      offerBehindAtEnd: Math.max(0, startCounts.offer + total - endCounts.offer),
    };
  } finally {
    publishing = false;
    deadlineMs = 0;
    await Promise.allSettled(followers);
    client.close();
    await producer.disconnect().catch(() => undefined);
  }
}
