import type { IdentifierRules } from "@rapport/events";

/** The command-line choices that affect how rows become events. */
export type ImportSettings = {
  /** IANA zone of times written without an offset, e.g. Asia/Seoul. */
  timeZone: string;
  /** Currency of rows that name none (an ISO 4217 code, upper-case). */
  defaultCurrency?: string | undefined;
  /** Registration time of customers whose row has none (RFC 3339). */
  registeredAt?: string | undefined;
  /** How identifiers are judged and normalised: the region of phone numbers without a country code. */
  identifierRules: IdentifierRules;
};
