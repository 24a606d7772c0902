import { createHash } from "node:crypto";
import { type CallFact, type ContactFact, contactPointsOf, dayMs, factsOfKind } from "./contact-facts.js";
import type { CustomerScores } from "./customer-scores.js";
import type { Offer } from "./offer-catalog.js";

/**
 * A campaign's frozen target list: who the offer goes to (treatment), who is kept back to measure
 * what the campaign changed (holdout), and for an outbound call campaign what the agent needs to
 * call each customer: the number, when they tend to answer, and what to say.
 */

export type CampaignGroup = "treatment" | "holdout";

export type CampaignTarget = {
  customerId: string;
  group: CampaignGroup;
  /** Outbound-call priority: the customer's value at stake, see targetPriority. */
  priority: number;
  phone?: string;
  email?: string;
  /** Hour of day (0-23, the campaign's time zone) the customer is most likely to answer; -1 unknown. */
  bestHour: number;
  /** RFC 3339 (UTC) time of the last call, presentation or response. */
  lastContactAt?: string;
  /** Short lines for the agent: why this customer, open complaints, the offer. */
  scriptHints: string[];
  /** Email campaigns: the token of the unsubscribe link the mail carries. */
  unsubscribeToken?: string;
};

/** A customer the audience matched, with the scores and contact facts the list is built from. */
export type CampaignCandidate = { scores: CustomerScores; facts: readonly ContactFact[] };

/** The offer's eligibility and the channel's contact policy, decided by the caller for one candidate. */
export type CandidateScreen = (
  candidate: CampaignCandidate,
) => { allowed: true } | { allowed: false; reason: string };

export type ExclusionCount = { reason: string; customers: number };

export type CampaignTargetsInput = {
  campaignId: string;
  offer: Offer;
  /** Share of the targets kept as a holdout, 0 to 100. */
  holdoutPercent: number;
  /** At most this many targets, highest priority first; all when 0. */
  maxTargets: number;
  /** IANA time zone the best hours are given in. */
  timeZone: string;
  /** Epoch milliseconds the list is frozen at. */
  now: number;
  candidates: Iterable<CampaignCandidate>;
  screen: CandidateScreen;
};

export type CampaignTargets = { targets: CampaignTarget[]; exclusions: ExclusionCount[] };

/**
 * Freezes a campaign's target list. Screened-out candidates are counted by reason; the rest are
 * ranked by priority (ties by customer id), cut to maxTargets, and split into treatment and holdout.
 * The holdout is drawn from the ranked list, so it has the same mix of priorities as the treatment.
 * The result depends only on the set of candidates, not on the order they come in.
 */
export function buildCampaignTargets(input: CampaignTargetsInput): CampaignTargets {
  const excludedByReason = new Map<string, number>();
  const allowed: { candidate: CampaignCandidate; priority: number }[] = [];
  for (const candidate of input.candidates) {
    const verdict = input.screen(candidate);
    if (verdict.allowed) allowed.push({ candidate, priority: targetPriority(candidate.scores) });
    else excludedByReason.set(verdict.reason, (excludedByReason.get(verdict.reason) ?? 0) + 1);
  }
  allowed.sort(
    (a, b) =>
      b.priority - a.priority || compareText(a.candidate.scores.customerId, b.candidate.scores.customerId),
  );
  const chosen = input.maxTargets > 0 ? allowed.slice(0, input.maxTargets) : allowed;
  const targets = chosen.map(({ candidate: { scores, facts }, priority }): CampaignTarget => {
    const { phone, email } = contactPointsOf(facts);
    const lastContact = lastContactAt(facts);
    return {
      customerId: scores.customerId,
      group: holdoutGroupOf(input.campaignId, scores.customerId, input.holdoutPercent),
      priority,
      ...(phone === undefined ? {} : { phone }),
      ...(email === undefined ? {} : { email }),
      bestHour: bestHourOf(facts, input.timeZone),
      ...(lastContact === undefined ? {} : { lastContactAt: lastContact }),
      scriptHints: scriptHintsOf(scores, facts, input.offer, input.now),
    };
  });
  const exclusions = [...excludedByReason.entries()]
    .map(([reason, customers]) => ({ reason, customers }))
    .sort((a, b) => b.customers - a.customers || compareText(a.reason, b.reason));
  return { targets, exclusions };
}

/**
 * Whether the customer gets the campaign or is held out to measure it. The draw is a hash of the
 * campaign and the customer, uniform on [0, 1): random with respect to anything about the customer,
 * yet the same every time the list is built, whatever else is on it.
 */
export function holdoutGroupOf(
  campaignId: string,
  customerId: string,
  holdoutPercent: number,
): CampaignGroup {
  return uniformDraw(campaignId, customerId) < holdoutPercent / 100 ? "holdout" : "treatment";
}

function uniformDraw(campaignId: string, customerId: string): number {
  // The separator keeps ("ab", "c") and ("a", "bc") apart; 48 bits are exact in a double.
  const digest = createHash("sha256").update(campaignId).update("\u0000").update(customerId).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * How much the company stands to lose by not calling: the customer's lifetime value (predicted,
 * else historic) times the risk of losing them. A customer without a churn score counts as a coin toss.
 */
export function targetPriority(scores: CustomerScores): number {
  return (scores.predictedValueMinor ?? scores.historicValueMinor) * (scores.churnRisk ?? 0.5);
}

/** Outcomes of an outbound call on which the customer picked up and talked. */
const reachedOutcomes = new Set(["completed", "callback_requested", "escalated"]);

/**
 * The hour of day (0-23 in the time zone) at which the customer most often answered outbound calls,
 * the earlier hour on a tie. Without an answered outbound call, the hour they most often called in;
 * -1 when there is neither.
 */
export function bestHourOf(facts: readonly ContactFact[], timeZone: string): number {
  const calls = factsOfKind(facts, "call");
  const reached = calls.filter(
    (call) =>
      call.direction === "outbound" && call.outcome !== undefined && reachedOutcomes.has(call.outcome),
  );
  if (reached.length > 0) return mostFrequentHour(reached, timeZone);
  const inbound = calls.filter((call) => call.direction === "inbound");
  return inbound.length > 0 ? mostFrequentHour(inbound, timeZone) : -1;
}

function mostFrequentHour(calls: readonly CallFact[], timeZone: string): number {
  const counts = new Array<number>(24).fill(0);
  for (const call of calls) {
    const hour = hourOfDay(timeMs(call), timeZone);
    counts[hour] = (counts[hour] ?? 0) + 1;
  }
  // indexOf finds the first, that is the earliest, of the hours tied for most.
  return counts.indexOf(Math.max(...counts));
}

// Building a DateTimeFormat is costly and a whole list is built in one time zone.
const hourFormats = new Map<string, Intl.DateTimeFormat>();

function hourOfDay(ms: number, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" });
    hourFormats.set(timeZone, format);
  }
  const hour = format.formatToParts(ms).find((part) => part.type === "hour")?.value;
  return Number(hour) % 24;
}

/** When the company last talked to the customer: the latest call, presentation or response. */
export function lastContactAt(facts: readonly ContactFact[]): string | undefined {
  let latest: number | undefined;
  for (const fact of facts) {
    if (fact.kind !== "call" && fact.kind !== "presentation" && fact.kind !== "response") continue;
    const ms = timeMs(fact);
    if (latest === undefined || ms > latest) latest = ms;
  }
  return latest === undefined ? undefined : new Date(latest).toISOString();
}

/**
 * What the agent reads before calling: who the customer is to us ("platinum, at_risk, churn risk
 * 0.72 (high)"), each complaint still open and for how long, and the offer to make.
 */
export function scriptHintsOf(
  scores: CustomerScores,
  facts: readonly ContactFact[],
  offer: Offer,
  now: number,
): string[] {
  const standing = [scores.tier, scores.lifecycleStage];
  if (scores.churnRisk !== undefined) {
    const band = scores.churnRiskBand ? ` (${scores.churnRiskBand})` : "";
    standing.push(`churn risk ${scores.churnRisk.toFixed(2)}${band}`);
  }
  const complaints = openComplaintsOf(facts).map(({ reference, openSince }) => {
    const days = Math.max(0, Math.floor((now - openSince) / dayMs));
    return `open complaint ${reference} since ${new Date(openSince).toISOString().slice(0, 10)} (${days} ${days === 1 ? "day" : "days"})`;
  });
  return [standing.join(", "), ...complaints, `offer: ${offer.name} (${offer.kind})`];
}

/**
 * Complaints whose latest status, over the calls that named them, is open, with the time they were
 * (re)opened, oldest first. A call that names a complaint without giving its status leaves it as it was.
 */
function openComplaintsOf(facts: readonly ContactFact[]): { reference: string; openSince: number }[] {
  const callsByComplaint = new Map<string, CallFact[]>();
  for (const call of factsOfKind(facts, "call")) {
    if (call.complaintReference === undefined || call.complaintStatus === undefined) continue;
    const calls = callsByComplaint.get(call.complaintReference) ?? [];
    calls.push(call);
    callsByComplaint.set(call.complaintReference, calls);
  }
  const open: { reference: string; openSince: number }[] = [];
  for (const [reference, calls] of callsByComplaint) {
    // On a tie in time, closing wins: a complaint is opened before it is resolved.
    calls.sort(
      (a, b) =>
        timeMs(a) - timeMs(b) ||
        Number(a.complaintStatus !== "open") - Number(b.complaintStatus !== "open") ||
        compareText(a.eventId, b.eventId),
    );
    let openSince: number | undefined;
    for (const call of calls) {
      if (call.complaintStatus !== "open") openSince = undefined;
      else openSince ??= timeMs(call);
    }
    if (openSince !== undefined) open.push({ reference, openSince });
  }
  return open.sort((a, b) => a.openSince - b.openSince || compareText(a.reference, b.reference));
}

function timeMs(fact: ContactFact): number {
  return Date.parse(fact.time);
}

/** Later by time; at the same time the greater event id, so the answer does not depend on fact order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
