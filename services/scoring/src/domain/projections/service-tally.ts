import {
  type CallFact,
  compareMoments,
  dayMs,
  earlierOf,
  laterOf,
  type Moment,
  momentOf,
} from "../customer-facts.js";
import { isReached } from "./contact-history.js";
import { mergeEntries, withEntry } from "./keyed-entries.js";
import type { Complaint, ComplaintState, ServiceSummary } from "./service-summary.js";

type TimedMoment = Moment & { time: string };

/** Calls of one purpose: how many, and the first (callsByPurpose lists purposes in that order). */
export type PurposeTally = { purpose: string; count: number; first: Moment };

/**
 * A complaint's calls reduced to what its summary reads: the first call (opened), the latest call
 * that stated a status, and the first call that said resolved.
 */
export type ComplaintThread = {
  reference: string;
  opened: TimedMoment;
  status?: Moment & { state: ComplaintState };
  resolved?: TimedMoment;
};

/** The call-center side of a customer, incrementally (the history form is service-summary.ts). */
export type ServiceTally = {
  inboundCalls: number;
  outboundCalls: number;
  outboundCallsReached: number;
  /** Sorted by purpose. */
  purposes: PurposeTally[];
  lastCall?: TimedMoment;
  /** Sorted by reference. */
  complaints: ComplaintThread[];
};

export function emptyServiceTally(): ServiceTally {
  return { inboundCalls: 0, outboundCalls: 0, outboundCallsReached: 0, purposes: [], complaints: [] };
}

const purposeOf = (tally: PurposeTally) => tally.purpose;
const referenceOf = (thread: ComplaintThread) => thread.reference;

export function recordCall(tally: ServiceTally, call: CallFact): ServiceTally {
  const moment = momentOf(call);
  const timed = { ...moment, time: call.time };
  const reference = call.complaintReference ?? (call.purpose === "complaint" ? call.callId : undefined);
  const isOutbound = call.direction === "outbound";
  return {
    inboundCalls: tally.inboundCalls + (isOutbound ? 0 : 1),
    outboundCalls: tally.outboundCalls + (isOutbound ? 1 : 0),
    outboundCallsReached: tally.outboundCallsReached + (isOutbound && isReached(call.outcome) ? 1 : 0),
    purposes: withEntry(tally.purposes, call.purpose, purposeOf, (existing) =>
      existing
        ? { purpose: call.purpose, count: existing.count + 1, first: earlierOf(existing.first, moment) }
        : { purpose: call.purpose, count: 1, first: moment },
    ),
    lastCall: tally.lastCall ? laterOf(tally.lastCall, timed) : timed,
    complaints:
      reference === undefined
        ? tally.complaints
        : withEntry(tally.complaints, reference, referenceOf, (existing) =>
            combineThreads(existing, threadOf(reference, call, timed)),
          ),
  };
}

export function combineServiceTallies(a: ServiceTally, b: ServiceTally): ServiceTally {
  const lastCall = a.lastCall && b.lastCall ? laterOf(a.lastCall, b.lastCall) : (a.lastCall ?? b.lastCall);
  return {
    inboundCalls: a.inboundCalls + b.inboundCalls,
    outboundCalls: a.outboundCalls + b.outboundCalls,
    outboundCallsReached: a.outboundCallsReached + b.outboundCallsReached,
    purposes: mergeEntries(a.purposes, b.purposes, purposeOf, (x, y) => ({
      purpose: x.purpose,
      count: x.count + y.count,
      first: earlierOf(x.first, y.first),
    })),
    ...(lastCall ? { lastCall } : {}),
    complaints: mergeEntries(a.complaints, b.complaints, referenceOf, (x, y) => combineThreads(x, y)),
  };
}

/** The service summary, as summariseService gives it for the same calls. */
export function summariseServiceTally(tally: ServiceTally): ServiceSummary {
  const callsByPurpose: Record<string, number> = {};
  for (const { purpose, count } of [...tally.purposes].sort((a, b) => compareMoments(a.first, b.first)))
    callsByPurpose[purpose] = count;
  const complaints: Complaint[] = [...tally.complaints]
    .sort((a, b) => compareMoments(a.opened, b.opened))
    .map((thread) => {
      const state = thread.status?.state ?? "open";
      return {
        reference: thread.reference,
        state,
        openedAt: thread.opened.time,
        ...(state === "resolved" && thread.resolved ? { resolvedAt: thread.resolved.time } : {}),
      };
    });
  const resolutionDays = complaints
    .filter((complaint) => complaint.state === "resolved" && complaint.resolvedAt)
    .map(
      (complaint) => (Date.parse(complaint.resolvedAt as string) - Date.parse(complaint.openedAt)) / dayMs,
    );
  return {
    inboundCalls: tally.inboundCalls,
    outboundCalls: tally.outboundCalls,
    callsByPurpose,
    openComplaints: complaints.filter((complaint) => complaint.state === "open").length,
    resolvedComplaints: complaints.filter((complaint) => complaint.state === "resolved").length,
    ...(resolutionDays.length > 0
      ? { meanDaysToResolve: resolutionDays.reduce((a, b) => a + b, 0) / resolutionDays.length }
      : {}),
    complaints,
    ...(tally.lastCall ? { lastContactAt: tally.lastCall.time } : {}),
  };
}

function threadOf(reference: string, call: CallFact, timed: TimedMoment): ComplaintThread {
  const { time: _time, ...moment } = timed;
  return {
    reference,
    opened: timed,
    ...(call.complaintStatus ? { status: { ...moment, state: call.complaintStatus } } : {}),
    ...(call.complaintStatus === "resolved" ? { resolved: timed } : {}),
  };
}

function combineThreads(a: ComplaintThread | undefined, b: ComplaintThread): ComplaintThread {
  if (a === undefined) return b;
  const status = a.status && b.status ? laterOf(a.status, b.status) : (a.status ?? b.status);
  const resolved = a.resolved && b.resolved ? earlierOf(a.resolved, b.resolved) : (a.resolved ?? b.resolved);
  return {
    reference: a.reference,
    opened: earlierOf(a.opened, b.opened),
    ...(status ? { status } : {}),
    ...(resolved ? { resolved } : {}),
  };
}
