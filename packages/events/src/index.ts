export { canonicalJson } from "./canonical-json.js";
export { type CustomersMerged, customersMergedOf, recordJson, resolvedEventOf } from "./consumed-records.js";
export {
  type CustomerEvent,
  type CustomerReference,
  type Identifier,
  type IdentifierType,
  identifierTypes,
  identifierTypesStrongestFirst,
  type PostalAddress,
} from "./customer-event.js";
export { type EventType, eventTypes, isEventType, rawSourceOf } from "./event-types.js";
export { normaliseEventData } from "./normalise-data.js";
export { type IdentifierRules, normaliseIdentifier, normaliseIdentifiers } from "./normalise-identifiers.js";
export { isCalendarDate, normaliseEventTime, type TimeLimits } from "./normalise-time.js";
export { type Rejected, type RejectionReason, rejected } from "./rejection.js";
export { type CrmTopics, crmTopics, isRawSource, type RawSource, rawSources } from "./topics.js";
export { createDataValidator } from "./validate-data.js";
