import { eventCatalog } from "@rapport/proto";
import type { RawSource } from "./topics.js";

export type EventType = keyof typeof eventCatalog.eventTypes;

export const eventTypes = Object.keys(eventCatalog.eventTypes) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && Object.hasOwn(eventCatalog.eventTypes, value);
}

/** The raw lane an event type is queued on (declared in the protos with the crm.v1.event option). */
export function rawSourceOf(type: EventType): RawSource {
  return eventCatalog.eventTypes[type].rawSource;
}
