import type { Delivery } from "@rapport/demo";
import type { Identifier } from "@rapport/events";
import { demoHttpSource, type RawRecord, rawRecordOf } from "./workload.js";

/** An order published while freshness is measured: the id it has in crm.events and whom to ask about it. */
export type FreshOrder = { eventId: string; identifier: Identifier };

export type FreshRecord = { record: RawRecord; order: FreshOrder | undefined };

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `24/Nov/2026:01:10:04 +0000`: an access log's time, in UTC. */
export function accessLogTime(atMs: number): string {
  const time = new Date(atMs);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(time.getUTCDate())}/${months[time.getUTCMonth()]}/${time.getUTCFullYear()}:${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())} +0000`;
}

/**
 * The `index`-th event published while freshness is measured: a delivery of the workload happening
 * again at `atMs` for the same person (the same identifiers, known to identity by then): a new id (and
 * order or call number), the publish time as its time. An access-log line gets the publish time in its
 * timestamp and `index` in its response size (which no event field takes up): ingestion derives a
 * line's id from its content, and one visitor's lines for one page would otherwise be one page view
 * when replayed within the same second.
 */
export function freshRecordOf(delivery: Delivery, index: number, atMs: number): FreshRecord {
  if (delivery.path === "weblog") {
    const line = delivery.line
      .replace(/\[[^\]]*\]/, `[${accessLogTime(atMs)}]`)
      .replace(/" (\d{3}) (\d+|-) "/, (_, status: string) => `" ${status} ${index} "`);
    return { record: rawRecordOf({ ...delivery, at: atMs, line }), order: undefined };
  }
  const { event } = delivery;
  const id = `${event.id}-f${index}`;
  const data: Record<string, unknown> & Pick<typeof event.data, "customer"> = { ...event.data };
  if (event.type === "crm.v1.OrderPlaced") data.orderId = id;
  if (event.type === "crm.v1.CallLogged") data.callId = id;
  const again = { ...event, id, time: new Date(atMs).toISOString(), data };
  const record = rawRecordOf({ ...delivery, at: atMs, event: again });
  const identifier = event.data.customer.identifiers[0];
  const order =
    event.type === "crm.v1.OrderPlaced" && identifier !== undefined
      ? { eventId: `${event.source ?? demoHttpSource}:${id}`, identifier }
      : undefined;
  return { record, order };
}
