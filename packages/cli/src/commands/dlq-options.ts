import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { kafkaConfig } from "@rapport/config";
import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import type { DlqFilter } from "../dlq/dlq-filter.js";
import { type DlqPosition, parseDlqPosition } from "../dlq/dlq-position.js";
import { instantOption } from "./command-line.js";

/** Where the dead-letter topic is: the brokers and the topic prefix the services use. */
export type DlqKafkaSettings = { brokers: string[]; topicPrefix: string };

export type DlqOptions = DlqKafkaSettings &
  (
    | { action: "list"; filter: DlqFilter; limit: number; json: boolean }
    | { action: "show"; position: DlqPosition; raw: boolean; json: boolean }
    | {
        action: "redrive";
        selection: { positions: DlqPosition[] } | { filter: DlqFilter };
        /** An absolute path: the fixed version of the one dead letter named. */
        fixedFile?: string;
        dryRun: boolean;
        json: boolean;
      }
  );

export const dlqActions = ["list", "show", "redrive"] as const;
export const defaultDlqListLimit = 100;

/** Reads `rapport dlq` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseDlqOptions(
  args: readonly string[],
  { env, cwd }: Pick<CommandIo, "env" | "cwd">,
): DlqOptions {
  const { values, positionals } = parseCommandLine(args);
  const [action, ...operands] = positionals;
  const kafka = kafkaSettingsOf(values.brokers ?? env.KAFKA_BROKERS, env.KAFKA_TOPIC_PREFIX ?? "");
  const json = values.json ?? false;
  const refuse = (...options: (keyof typeof values)[]) => {
    for (const name of options)
      if (values[name] !== undefined) throw new UsageError(`--${name} does not go with dlq ${action}`);
  };
  switch (action) {
    case "list": {
      if (operands.length > 0)
        throw new UsageError(`dlq list takes no positions (got "${operands[0]}"); to see one, use dlq show`);
      refuse("raw", "fixed", "dry-run");
      return { ...kafka, action, filter: filterOf(values), limit: limitOf(values.limit), json };
    }
    case "show": {
      refuse("reason", "topic", "since", "limit", "fixed", "dry-run");
      if (operands.length !== 1)
        throw new UsageError("name one dead letter: rapport dlq show <partition:offset>");
      if (values.raw && json) throw new UsageError("--raw and --json exclude each other");
      return {
        ...kafka,
        action,
        position: positionOf(operands[0] as string),
        raw: values.raw ?? false,
        json,
      };
    }
    case "redrive": {
      refuse("raw", "limit");
      const filter = filterOf(values);
      const byFilter = Object.keys(filter).length > 0;
      if (operands.length > 0 && byFilter)
        throw new UsageError("name dead letters by position or select them with --reason, not both");
      if (operands.length === 0 && filter.reason === undefined)
        throw new UsageError(
          "name the dead letters to redrive: rapport dlq redrive <partition:offset>... or --reason <reason>",
        );
      if (values.fixed !== undefined && operands.length !== 1)
        throw new UsageError("--fixed replaces one dead letter: name exactly one position with it");
      return {
        ...kafka,
        action,
        selection: byFilter ? { filter } : { positions: operands.map(positionOf) },
        ...(values.fixed === undefined ? {} : { fixedFile: resolve(cwd, values.fixed) }),
        dryRun: values["dry-run"] ?? false,
        json,
      };
    }
    case undefined:
      throw new UsageError(`say what to do: rapport dlq <${dlqActions.join("|")}>`);
    default:
      throw new UsageError(`unknown dlq action "${action}"; choose one of ${dlqActions.join(", ")}`);
  }
}

function kafkaSettingsOf(brokers: string | undefined, topicPrefix: string): DlqKafkaSettings {
  const parsed = kafkaConfig.KAFKA_BROKERS.safeParse(brokers);
  if (!parsed.success)
    throw new UsageError(`the brokers "${brokers}" are not a comma-separated list of host:port`);
  return { brokers: parsed.data, topicPrefix };
}

function positionOf(text: string): DlqPosition {
  const position = parseDlqPosition(text);
  if (!position)
    throw new UsageError(
      `"${text}" is not a dead-letter position: give <partition:offset> as dlq list prints it, e.g. 0:42`,
    );
  return position;
}

function filterOf(values: { reason?: string; topic?: string; since?: string }): DlqFilter {
  const filter: DlqFilter = {};
  if (values.reason !== undefined) filter.reason = values.reason;
  if (values.topic !== undefined) filter.topic = values.topic;
  const since = instantOption("since", values.since);
  if (since !== undefined) filter.since = new Date(since);
  return filter;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return defaultDlqListLimit;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit "${text}" is not a whole number above 0`);
  return limit;
}

function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        reason: { type: "string" },
        topic: { type: "string" },
        since: { type: "string" },
        limit: { type: "string" },
        raw: { type: "boolean" },
        fixed: { type: "string" },
        "dry-run": { type: "boolean" },
        brokers: { type: "string" },
        json: { type: "boolean" },
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; it only needs to be a usage error.
    throw new UsageError((error as Error).message);
  }
}
