import { createHash } from "node:crypto";

/**
 * The id an event has in crm.events. An upstream id is namespaced by the source, because two systems'
 * ids say nothing about each other. Without one, the id is a hash of the source and the content, so a
 * redelivered or re-sent message gets the same id and is appended once.
 */
export function eventIdOf(source: string, upstreamId: string | undefined, content: string): string {
  if (upstreamId !== undefined && upstreamId !== "") return `${source}:${upstreamId}`;
  return `${source}:h:${createHash("sha256").update(source).update("\u0000").update(content).digest("hex").slice(0, 32)}`;
}
