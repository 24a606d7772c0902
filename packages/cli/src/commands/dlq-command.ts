import { readFile } from "node:fs/promises";
import { type CrmTopics, crmTopics } from "@rapport/events";
import { connectRecordSender, type OffsetRange, type OutgoingRecord, readOffsetRanges } from "@rapport/kafka";
import type { Kafka } from "kafkajs";
import { FatalError } from "../cli-errors.js";
import type { Command, CommandIo } from "../command.js";
import { type DeadLetterEntry, deadLetterEntryOf } from "../dlq/dead-letter-entry.js";
import { matchesDlqFilter } from "../dlq/dlq-filter.js";
import { compareDlqPositions, type DlqPosition, dlqPositionText } from "../dlq/dlq-position.js";
import {
  dlqEntryJson,
  dlqListText,
  dlqShowJson,
  dlqShowText,
  redriveJson,
  redriveText,
} from "../dlq/dlq-text.js";
import { missingPositions, rangesOfPositions, wholeTopic } from "../dlq/offset-ranges.js";
import { planRedrive } from "../dlq/redrive-plan.js";
import { exitCodes } from "../exit-codes.js";
import { cliKafka, kafkaFailure, topicExtent } from "../io/dlq-reader.js";
import { createProgressReporter } from "../io/progress-reporter.js";
import {
  type DlqKafkaSettings,
  type DlqOptions,
  defaultDlqListLimit,
  parseDlqOptions,
} from "./dlq-options.js";
import { dlqUsage } from "./dlq-usage.js";

export const dlqCommand: Command = {
  name: "dlq",
  summary: "list, show and redrive dead letters: the input the platform rejected, with the reason",
  usage: dlqUsage,
  async run(args, io) {
    const options = parseDlqOptions(args, io);
    const topics = crmTopics(options.topicPrefix);
    const kafka = cliKafka(options);
    switch (options.action) {
      case "list":
        return list(options, io, kafka, topics);
      case "show":
        return show(options, io, kafka, topics);
      case "redrive":
        return redrive(options, io, kafka, topics);
      default: {
        const unhandled: never = options;
        return unhandled;
      }
    }
  },
};

type Options<Action extends DlqOptions["action"]> = Extract<DlqOptions, { action: Action }>;

async function list(options: Options<"list">, io: CommandIo, kafka: Kafka, topics: CrmTopics) {
  const matching: DeadLetterEntry[] = [];
  const extents = await topicExtent(kafka, options, topics.deadLetter);
  const scanned = await readEntries(kafka, options, topics.deadLetter, wholeTopic(extents), io, (entry) => {
    // Only what the list shows is kept: the values of a long topic would fill the memory.
    if (matchesDlqFilter(entry, options.filter)) matching.push({ ...entry, value: Buffer.alloc(0) });
  });
  const newest = matching
    .sort(
      (a, b) =>
        a.rejectedAt.getTime() - b.rejectedAt.getTime() || compareDlqPositions(a.position, b.position),
    )
    .slice(-options.limit);
  if (options.json) {
    io.stdout.write(`${JSON.stringify(newest.map(dlqEntryJson), null, 2)}\n`);
  } else {
    io.stdout.write(dlqListText(newest, scanned));
    if (matching.length > newest.length)
      io.stdout.write(
        `showing the ${newest.length} newest of ${matching.length.toLocaleString("en")} that match` +
          `${options.limit === defaultDlqListLimit ? ` (--limit ${defaultDlqListLimit} by default)` : ""}\n`,
      );
  }
  return exitCodes.ok;
}

async function show(options: Options<"show">, io: CommandIo, kafka: Kafka, topics: CrmTopics) {
  const [entry] = await entriesAt([options.position], options, io, kafka, topics);
  if (entry === undefined) throw new Error("entriesAt found no record and did not say so");
  if (options.raw) io.stdout.write(rawText(entry));
  else
    io.stdout.write(options.json ? `${JSON.stringify(dlqShowJson(entry), null, 2)}\n` : dlqShowText(entry));
  return exitCodes.ok;
}

/** The value as the text it is; bytes that are not UTF-8 cannot go through a terminal unchanged. */
function rawText(entry: DeadLetterEntry): string {
  const text = entry.value.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(entry.value))
    throw new FatalError(
      `the value at ${dlqPositionText(entry.position)} is not UTF-8 text, so --raw cannot print it unchanged; ` +
        "rapport dlq show --json shows it with the bytes that are not UTF-8 replaced",
    );
  return text;
}

async function redrive(options: Options<"redrive">, io: CommandIo, kafka: Kafka, topics: CrmTopics) {
  const fixed = options.fixedFile === undefined ? undefined : await readFixed(options.fixedFile);
  let entries: DeadLetterEntry[];
  if ("positions" in options.selection) {
    entries = await entriesAt(options.selection.positions, options, io, kafka, topics);
  } else {
    const { filter } = options.selection;
    entries = [];
    const extents = await topicExtent(kafka, options, topics.deadLetter);
    await readEntries(kafka, options, topics.deadLetter, wholeTopic(extents), io, (entry) => {
      if (matchesDlqFilter(entry, filter)) entries.push(entry);
    });
    if (entries.length === 0) {
      io.stdout.write(
        `no dead letters with reason ${filter.reason}${filter.topic ? ` from ${filter.topic}` : ""}\n`,
      );
      return exitCodes.ok;
    }
  }
  const steps = planRedrive(entries, topics, fixed);
  const records = steps.flatMap((step) => (step.record === undefined ? [] : [step.record]));
  if (!options.dryRun) await send(kafka, options, records);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(redriveJson(steps, options.dryRun), null, 2)}\n`
      : redriveText(steps, options.dryRun),
  );
  return records.length === steps.length ? exitCodes.ok : exitCodes.rejected;
}

/** The dead letters at the given positions, in the order asked; a position without one is a FatalError. */
async function entriesAt(
  positions: readonly DlqPosition[],
  settings: DlqKafkaSettings,
  io: CommandIo,
  kafka: Kafka,
  topics: CrmTopics,
): Promise<DeadLetterEntry[]> {
  const extents = await topicExtent(kafka, settings, topics.deadLetter);
  const { ranges, outside } = rangesOfPositions(positions, extents);
  if (outside.length > 0)
    throw new FatalError(
      outside.map(({ position, why }) => `no dead letter at ${dlqPositionText(position)}: ${why}`).join("\n"),
    );
  const wanted = new Set(positions.map(dlqPositionText));
  const found = new Map<string, DeadLetterEntry>();
  await readEntries(kafka, settings, topics.deadLetter, ranges, io, (entry) => {
    const position = dlqPositionText(entry.position);
    if (wanted.has(position)) found.set(position, entry);
  });
  const missing = missingPositions(
    positions,
    [...found.values()].map((entry) => entry.position),
  );
  if (missing.length > 0)
    throw new FatalError(
      `no dead letter at ${missing.join(", ")}: the offset holds no record (a transaction marker)`,
    );
  return positions.map((position) => found.get(dlqPositionText(position)) as DeadLetterEntry);
}

/** Reads the ranges as dead-letter entries with a progress line on stderr; resolves to the offsets read. */
async function readEntries(
  kafka: Kafka,
  settings: DlqKafkaSettings,
  topic: string,
  ranges: readonly OffsetRange[],
  io: CommandIo,
  onEntry: (entry: DeadLetterEntry) => void,
): Promise<number> {
  const clock = () => performance.now();
  const progress = createProgressReporter({ output: io.stderr, clock });
  let records = 0;
  const line = (read: bigint, total: bigint) =>
    `reading ${topic}: ${read.toLocaleString("en")} of ${total.toLocaleString("en")} offsets, ${records.toLocaleString("en")} dead letters`;
  let last = { read: 0n, total: 0n };
  try {
    await readOffsetRanges(
      kafka,
      topic,
      ranges,
      (record) => {
        records += 1;
        onEntry(deadLetterEntryOf(record));
      },
      (step) => {
        last = step;
        progress.update(() => line(step.read, step.total));
      },
    );
  } catch (error) {
    throw kafkaFailure(settings, error);
  }
  progress.finish(line(last.read, last.total));
  return records;
}

async function readFixed(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new FatalError(`cannot read the fixed version ${path}: ${(error as Error).message}`);
  }
}

async function send(
  kafka: Kafka,
  settings: DlqKafkaSettings,
  records: readonly OutgoingRecord[],
): Promise<void> {
  if (records.length === 0) return;
  try {
    const sender = await connectRecordSender(kafka);
    try {
      await sender.send(records);
    } finally {
      await sender.disconnect();
    }
  } catch (error) {
    throw kafkaFailure(settings, error);
  }
}
