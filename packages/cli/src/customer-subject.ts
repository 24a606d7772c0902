import { type IdentifierType, identifierTypes } from "@rapport/events";
import { enumNames, type GetCustomerRequest, IdentifierType as IdentifierTypeMessage } from "@rapport/proto";
import { UsageError } from "./cli-errors.js";

/** Whom a read is about: a customer id, or an identifier the services resolve to one (every read takes both). */
export type CustomerSubject = NonNullable<GetCustomerRequest["subject"]>;

export const identifierTypeNames = enumNames(IdentifierTypeMessage, "IDENTIFIER_TYPE_", identifierTypes);

/**
 * A customer as written on the command line: `type:value` for an identifier (email:ann@example.com,
 * phone:+821012345678, customer_number:C-1001), else a customer id (cus_3f9a…). The services
 * normalise the value as ingestion does (lower-case email, E.164 phone).
 */
export function parseCustomerSubject(text: string): CustomerSubject {
  const written = text.trim();
  if (written === "")
    throw new UsageError("name the customer: a customer id or type:value, e.g. email:ann@example.com");
  const separator = written.indexOf(":");
  if (separator === -1) return { $case: "customerId", value: written };
  const type = written.slice(0, separator).trim().toLowerCase().replaceAll("-", "_");
  const value = written.slice(separator + 1).trim();
  if (!isIdentifierType(type)) {
    throw new UsageError(
      `"${written.slice(0, separator)}" is not an identifier type; write type:value with a type of ${identifierTypes.join(", ")}`,
    );
  }
  if (value === "") throw new UsageError(`the ${type} identifier has no value: write ${type}:<value>`);
  return { $case: "identifier", value: { type: identifierTypeNames.valueOf(type), value } };
}

function isIdentifierType(value: string): value is IdentifierType {
  return (identifierTypes as readonly string[]).includes(value);
}
