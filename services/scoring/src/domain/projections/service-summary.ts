import { type CallFact, dayMs } from "../customer-facts.js";
import { type CustomerHistory, factsOfKind } from "../customer-history.js";

export type ComplaintState = "open" | "resolved" | "closed_unresolved";

export type Complaint = {
  reference: string;
  state: ComplaintState;
  openedAt: string;
  /** When the call that resolved it happened. */
  resolvedAt?: string;
};

export type ServiceSummary = {
  inboundCalls: number;
  outboundCalls: number;
  /** Calls by purpose (order, inquiry, complaint, happy_call, retention, collections, ...). */
  callsByPurpose: Record<string, number>;
  openComplaints: number;
  resolvedComplaints: number;
  /** Mean days from a complaint's first call to the call that resolved it. */
  meanDaysToResolve?: number;
  complaints: Complaint[];
  lastContactAt?: string;
};

/**
 * The call-center side of a customer. A complaint is every call with its reference; its state is
 * the latest call's status (by event time, whatever order the calls arrived in), opened at its
 * first call, resolved at the first call that said resolved.
 */
export function summariseService(history: CustomerHistory): ServiceSummary {
  const calls = factsOfKind(history, "call");
  const callsByPurpose: Record<string, number> = {};
  for (const call of calls) callsByPurpose[call.purpose] = (callsByPurpose[call.purpose] ?? 0) + 1;
  const complaints = complaintsOf(calls);
  const resolutionDays = complaints
    .filter((complaint) => complaint.state === "resolved" && complaint.resolvedAt)
    .map(
      (complaint) => (Date.parse(complaint.resolvedAt as string) - Date.parse(complaint.openedAt)) / dayMs,
    );
  const last = calls.at(-1);
  return {
    inboundCalls: calls.filter((call) => call.direction === "inbound").length,
    outboundCalls: calls.filter((call) => call.direction === "outbound").length,
    callsByPurpose,
    openComplaints: complaints.filter((complaint) => complaint.state === "open").length,
    resolvedComplaints: complaints.filter((complaint) => complaint.state === "resolved").length,
    ...(resolutionDays.length > 0
      ? { meanDaysToResolve: resolutionDays.reduce((a, b) => a + b, 0) / resolutionDays.length }
      : {}),
    complaints,
    ...(last ? { lastContactAt: last.time } : {}),
  };
}

function complaintsOf(calls: CallFact[]): Complaint[] {
  const byReference = new Map<string, CallFact[]>();
  for (const call of calls) {
    const reference = call.complaintReference ?? (call.purpose === "complaint" ? call.callId : undefined);
    if (!reference) continue;
    byReference.set(reference, [...(byReference.get(reference) ?? []), call]);
  }
  return [...byReference.entries()].map(([reference, thread]) => {
    const withStatus = thread.filter((call) => call.complaintStatus);
    const state = withStatus.at(-1)?.complaintStatus ?? "open";
    const resolvedBy = withStatus.find((call) => call.complaintStatus === "resolved");
    return {
      reference,
      state,
      openedAt: (thread[0] as CallFact).time,
      ...(state === "resolved" && resolvedBy ? { resolvedAt: resolvedBy.time } : {}),
    };
  });
}
