import { randomUUID } from "node:crypto";
import { crmTopics } from "@rapport/events";
import { startThrowawayInfra } from "@rapport/infra";
import { Kafka, logLevel } from "kafkajs";
import { pino } from "pino";
import { startScoringService } from "../src/app.js";
import { loadScoringConfig } from "../src/config.js";
import { sampleFacts } from "./customer-facts-sample.js";

/**
 * How fast scoring alone folds a backlog of crm.events.resolved: N events of C customers wait on the
 * topic (3 partitions, keyed by customer id) before scoring starts in this process; the rate is the
 * events taken in over the time from the first part committed to the last, read from scoring's
 * `rapport_kafka_records_consumed_total`. Short by default (the machine is shared):
 *
 *   npx tsx --conditions=source scripts/fold-throughput.ts [events=10000] [customers=1000]
 *
 * With KAFKA_BROKERS and MONGODB_URI set it uses those servers, otherwise a throwaway Kafka and FerretDB.
 */
const events = Number(process.argv[2] ?? 10_000);
const customers = Number(process.argv[3] ?? 1_000);
const log = (line: string) => process.stderr.write(`${line}\n`);

const infra =
  process.env.KAFKA_BROKERS && process.env.MONGODB_URI
    ? { kafkaBrokers: process.env.KAFKA_BROKERS, mongodbUri: process.env.MONGODB_URI, stop: async () => {} }
    : await startThrowawayInfra({ onProgress: (line) => log(`  ${line}`) });
const prefix = `fold-throughput-${randomUUID().slice(0, 8)}.`;
const topics = crmTopics(prefix);
try {
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(","), logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: topics.resolvedEvents, numPartitions: 3 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const perCustomer = Math.ceil(events / customers);
  let published = 0;
  for (let c = 0; c < customers && published < events; c += 1) {
    const customerId = `cus_${c}`;
    const facts = sampleFacts(Math.min(perCustomer, events - published), c, customerId);
    published += facts.length;
    await producer.send({
      topic: topics.resolvedEvents,
      messages: facts.map((fact) => ({
        key: customerId,
        value: JSON.stringify(resolvedEventOf(customerId, fact)),
      })),
    });
  }
  await producer.disconnect();
  log(`published ${published} events of ${customers} customers`);

  const started = process.cpuUsage();
  const scoring = await startScoringService({
    config: loadScoringConfig({
      KAFKA_BROKERS: infra.kafkaBrokers,
      MONGODB_URI: infra.mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: "3",
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      LOG_LEVEL: "warn",
      SCORING_DATABASE: prefix.replaceAll(".", "_").replaceAll("-", "_"),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: "fold-throughput",
    }),
    logger: pino({ level: "warn" }),
    onFatal: (error) => {
      log(`scoring stopped: ${error.message}`);
      process.exit(1);
    },
  });
  const consumed = async () => {
    const text = await scoring.registry.metrics();
    const line = text
      .split("\n")
      .find(
        (l) =>
          l.startsWith("rapport_kafka_records_consumed_total") &&
          l.includes(`topic="${topics.resolvedEvents}"`),
      );
    return Number(line?.split(" ").at(-1) ?? 0);
  };
  let first: number | undefined;
  let taken = 0;
  while (taken < published) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    taken = await consumed();
    if (taken > 0 && first === undefined) first = performance.now();
  }
  const seconds = (performance.now() - (first ?? performance.now())) / 1_000;
  const cpu = process.cpuUsage(started);
  await scoring.stop();
  console.log(
    `${published} events of ${customers} customers: ${(published / seconds).toFixed(0)} events/s ` +
      `(${seconds.toFixed(1)} s from the first part committed to the last; scoring's process used ` +
      `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU)`,
  );
} finally {
  await infra.stop();
}

function resolvedEventOf(customerId: string, fact: ReturnType<typeof sampleFacts>[number]) {
  const envelope = {
    specversion: "1.0",
    id: fact.eventId,
    source: "bench",
    time: fact.time,
    datacontenttype: "application/json",
    customerid: customerId,
  };
  const customer = { identifiers: [{ type: "customer_number", value: customerId }] };
  switch (fact.kind) {
    case "order":
      return {
        ...envelope,
        type: "crm.v1.OrderPlaced",
        data: {
          customer,
          orderId: fact.orderId,
          items: fact.lines.map((line) => ({
            ...line,
            unitPrice: { amountMinor: line.amountMinor, currency: "KRW" },
          })),
          total: { amountMinor: fact.totalMinor, currency: "KRW" },
        },
      };
    case "page_view":
      return {
        ...envelope,
        type: "crm.v1.PageViewed",
        data: {
          customer,
          url: fact.page,
          ...(fact.searchKeywords ? { searchKeywords: fact.searchKeywords } : {}),
        },
      };
    case "call":
      return {
        ...envelope,
        type: "crm.v1.CallLogged",
        data: { customer, callId: fact.callId, direction: fact.direction, purpose: fact.purpose },
      };
    case "registration":
      return {
        ...envelope,
        type: "crm.v1.CustomerRegistered",
        data: { customer, registrationChannel: "web" },
      };
    default:
      return {
        ...envelope,
        type: "crm.v1.SurveyAnswered",
        data: { customer, surveyId: `s-${fact.eventId}`, nps: 8 },
      };
  }
}
