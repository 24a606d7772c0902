import type { GoldenRecord } from "../golden-record.js";
import type { PersonRecord } from "./person-record.js";

/** What probabilistic matching compares of a customer: the survivors of its golden record. */
export function personRecordOf(recordId: string, record: GoldenRecord): PersonRecord {
  const address = record.postalAddress?.value;
  const street = [address?.line1, address?.line2].filter((line) => line !== undefined && line.trim() !== "");
  return {
    recordId,
    ...(record.firstName ? { firstName: record.firstName.value } : {}),
    ...(record.lastName ? { lastName: record.lastName.value } : {}),
    ...(record.birthDate ? { birthDate: record.birthDate.value } : {}),
    ...(address?.postalCode ? { postalCode: address.postalCode } : {}),
    ...(street.length > 0 ? { addressLine: street.join(" ") } : {}),
    ...(address?.city ? { city: address.city } : {}),
    ...(record.email ? { email: record.email.value } : {}),
    ...(record.phone ? { phone: record.phone.value } : {}),
  };
}

/** Whether the record holds anything a match could rest on beyond an email or phone (which link directly). */
export function hasPersonTraits(record: PersonRecord): boolean {
  return record.lastName !== undefined || record.firstName !== undefined || record.birthDate !== undefined;
}
