import { ContactChannel } from "@rapport/proto";
import type { CommandIo } from "../command.js";
import { type CustomerSubject, parseCustomerSubject } from "../customer-subject.js";
import { channelOption } from "./channel-option.js";
import { onePositional, parseCommandLine, wholeNumberOption } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export type OffersOptions = {
  subject: CustomerSubject;
  channel: ContactChannel;
  limit: number;
  /** Present the offers for real (recorded on crm.offers, counted as contacts) instead of previewing. */
  record: boolean;
  offerAddress: string;
  json: boolean;
};

/** Reads `rapport offers` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseOffersOptions(args: readonly string[], io: Pick<CommandIo, "env">): OffersOptions {
  const { values, positionals } = parseCommandLine(args, {
    channel: { type: "string" },
    limit: { type: "string" },
    record: { type: "boolean" },
    ...addressOption("offer"),
    json: { type: "boolean" },
  });
  return {
    subject: parseCustomerSubject(onePositional(positionals, "the customer: a customer id or type:value")),
    channel:
      values.channel === undefined ? ContactChannel.CONTACT_CHANNEL_WEB : channelOption(values.channel),
    limit: wholeNumberOption("limit", values.limit, { min: 1, max: 20, fallback: 3 }),
    record: values.record ?? false,
    offerAddress: serviceAddress("offer", values, io),
    json: values.json ?? false,
  };
}
