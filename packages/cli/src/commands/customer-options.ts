import { ContactChannel } from "@rapport/proto";
import type { CommandIo } from "../command.js";
import { type CustomerSubject, parseCustomerSubject } from "../customer-subject.js";
import { channelOption } from "./channel-option.js";
import { onePositional, parseCommandLine } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export type CustomerOptions = {
  subject: CustomerSubject;
  /** The channel the next best offers are previewed on. */
  channel: ContactChannel;
  identityAddress: string;
  scoringAddress: string;
  offerAddress: string;
  json: boolean;
};

/** Reads `rapport customer` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseCustomerOptions(args: readonly string[], io: Pick<CommandIo, "env">): CustomerOptions {
  const { values, positionals } = parseCommandLine(args, {
    channel: { type: "string" },
    ...addressOption("identity"),
    ...addressOption("scoring"),
    ...addressOption("offer"),
    json: { type: "boolean" },
  });
  return {
    subject: parseCustomerSubject(onePositional(positionals, "the customer: a customer id or type:value")),
    channel:
      values.channel === undefined ? ContactChannel.CONTACT_CHANNEL_WEB : channelOption(values.channel),
    identityAddress: serviceAddress("identity", values, io),
    scoringAddress: serviceAddress("scoring", values, io),
    offerAddress: serviceAddress("offer", values, io),
    json: values.json ?? false,
  };
}
