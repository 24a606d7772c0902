import type { ContactChannel } from "@rapport/proto";
import { UsageError } from "../cli-errors.js";
import { channelNames } from "../views/enum-labels.js";

/** A --channel value: one of the contact channels by its short name (email, phone, web, ...). */
export function channelOption(text: string): ContactChannel {
  const value = channelNames.valueOf(text.trim().toLowerCase());
  if (value === 0)
    throw new UsageError(`--channel "${text}": choose one of ${channelNames.names.join(", ")}`);
  return value;
}
