import type { GetTimelineResponse } from "@rapport/proto";
import { count, moment } from "./figures.js";
import { textTable } from "./text-table.js";

/** A customer's timeline as a table, newest first; `hasMore` says older entries were left out. */
export function timelineLines(timeline: GetTimelineResponse, { hasMore }: { hasMore: boolean }): string[] {
  const shown = `${count(timeline.entries.length)} ${timeline.entries.length === 1 ? "entry" : "entries"}`;
  if (timeline.entries.length === 0) return [`Timeline of ${timeline.customerId}: no events yet`];
  return [
    `Timeline of ${timeline.customerId}, newest first (${shown}${hasMore ? "; older ones with a higher --limit" : ""})`,
    ...textTable(
      [
        { heading: "time (UTC)" },
        { heading: "kind" },
        { heading: "source" },
        { heading: "what" },
        { heading: "event id" },
      ],
      timeline.entries.map((entry) => [
        moment(entry.time),
        entry.kind,
        entry.source,
        entry.summary,
        entry.eventId,
      ]),
    ),
  ];
}
