/** What ingestion answered for one event of a batch (the `results` of POST /v1/events, by index). */
export type EventAnswer =
  | { status: "accepted"; eventId: string }
  | { status: "ignored"; reason: string }
  | { status: "rejected"; reason: string; detail: string };
