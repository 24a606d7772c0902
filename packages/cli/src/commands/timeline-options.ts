import type { CommandIo } from "../command.js";
import { type CustomerSubject, parseCustomerSubject } from "../customer-subject.js";
import { onePositional, parseCommandLine, wholeNumberOption } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export type TimelineOptions = {
  subject: CustomerSubject;
  /** The newest entries to show. */
  limit: number;
  scoringAddress: string;
  json: boolean;
};

export const defaultTimelineLimit = 20;
export const maxTimelineLimit = 10_000;

/** Reads `rapport timeline` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseTimelineOptions(args: readonly string[], io: Pick<CommandIo, "env">): TimelineOptions {
  const { values, positionals } = parseCommandLine(args, {
    limit: { type: "string" },
    ...addressOption("scoring"),
    json: { type: "boolean" },
  });
  return {
    subject: parseCustomerSubject(onePositional(positionals, "the customer: a customer id or type:value")),
    limit: wholeNumberOption("limit", values.limit, {
      min: 1,
      max: maxTimelineLimit,
      fallback: defaultTimelineLimit,
    }),
    scoringAddress: serviceAddress("scoring", values, io),
    json: values.json ?? false,
  };
}
