import {
  type CallFact,
  type ConsentFact,
  type ContactFact,
  contactPointsOf,
  dayMs,
  factsOfKind,
  type PresentationFact,
} from "./contact-facts.js";
import type { CustomerScores } from "./customer-scores.js";
import type { Channel, Offer } from "./offer-catalog.js";

/** How often and when the company may speak to a customer; windows are rolling, in days. */
export type ContactPolicySettings = {
  /** The rolling window the contact caps count over. */
  windowDays: number;
  /** Contacts on every channel but web (inbound) within the window. */
  maxContacts: number;
  maxContactsPerChannel: Record<Channel, number>;
  /** Days after the latest complaint call in which only service recovery goes out. */
  complaintQuietDays: number;
  /** Days in which an offer the customer declined is not made again. */
  declineCooldownDays: number;
  /** Days an unanswered offer on one channel keeps the other channels to the same offer. */
  oneVoiceDays: number;
};

export const defaultContactPolicy: ContactPolicySettings = {
  windowDays: 7,
  maxContacts: 3,
  maxContactsPerChannel: { email: 2, sms: 1, phone: 1, post: 1, push: 2, web: 20 },
  complaintQuietDays: 14,
  declineCooldownDays: 30,
  oneVoiceDays: 7,
};

/** A policy's answer: allowed with what made it so, or refused with the first rule that refused. */
export type PolicyCheck = { allowed: true; reasons: string[] } | { allowed: false; reason: string };

/**
 * Whether the customer may be contacted on the channel at all: consent, an address to reach them
 * at, and the contact caps. One answer per customer and channel, whatever the offer. Facts after
 * `now` are not yet known.
 */
export function channelCheck(
  facts: readonly ContactFact[],
  channel: Channel,
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const known = factsUpTo(facts, now);
  return firstRefusal([
    () => consentCheck(known, channel),
    () => addressCheck(known, channel),
    () => contactCapCheck(known, channel, now, settings),
  ]);
}

/**
 * Whether this offer may go to this customer on the channel, given it may be contacted there: the
 * offer's own terms, the complaint quiet period, de-marketing, the decline cooldown, the
 * per-customer cap and one voice across channels.
 */
export function offerCheck(
  offer: Offer,
  scores: CustomerScores,
  facts: readonly ContactFact[],
  channel: Channel,
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const known = factsUpTo(facts, now);
  return firstRefusal([
    () => offerTermsCheck(offer, channel, now),
    () => complaintQuietCheck(offer, known, now, settings),
    () => deMarketingCheck(offer, scores),
    () => declineCooldownCheck(offer, known, now, settings),
    () => perCustomerCapCheck(offer, known),
    () => oneVoiceCheck(offer, known, channel, now, settings),
  ]);
}

const optInChannels: readonly Channel[] = ["email", "sms", "push"];

/**
 * Permission marketing: email, sms and push only with an opt-in; phone and post unless the
 * customer objected (do-not-call); web is the customer's own visit. The latest consent decides, and
 * a revocation at the same instant as a grant wins.
 */
function consentCheck(facts: readonly ContactFact[], channel: Channel): PolicyCheck {
  if (channel === "web") return allowed("web: the customer's own visit, no consent needed");
  const latest = latestConsent(factsOfKind(facts, "consent"), channel);
  if (optInChannels.includes(channel)) {
    if (!latest) return refused(`${channel}: no opt-in`);
    if (!latest.granted) return refused(`${channel} opt-in revoked ${formatTime(latest.time)}`);
    return allowed(`${channel} opt-in since ${formatTime(latest.time)}`);
  }
  if (latest && !latest.granted)
    return refused(`${channel}: do not contact since ${formatTime(latest.time)}`);
  return allowed(
    latest ? `${channel} consent since ${formatTime(latest.time)}` : `${channel}: no objection recorded`,
  );
}

/** Email needs an address, phone and SMS a number, from the events that named the customer. */
function addressCheck(facts: readonly ContactFact[], channel: Channel): PolicyCheck {
  const { email, phone } = contactPointsOf(facts);
  if (channel === "email" && email === undefined)
    return refused("no email address is known for the customer");
  if ((channel === "phone" || channel === "sms") && phone === undefined)
    return refused("no phone number is known for the customer");
  return { allowed: true, reasons: [] };
}

function latestConsent(consents: readonly ConsentFact[], channel: Channel): ConsentFact | undefined {
  let latest: ConsentFact | undefined;
  for (const consent of consents) {
    if (consent.channel !== channel) continue;
    const byTime = latest ? Date.parse(consent.time) - Date.parse(latest.time) : 1;
    if (byTime > 0 || (byTime === 0 && !consent.granted)) latest = consent;
  }
  return latest;
}

/**
 * Frequency caps over (now − windowDays, now]: offers presented (on their channel) and outbound
 * calls (phone). Offers presented together (one answer, one campaign mail: the same channel and
 * instant) are one contact. Web is inbound: its presentations only count against web's own cap,
 * and the overall cap does not hold a web page back.
 */
function contactCapCheck(
  facts: readonly ContactFact[],
  channel: Channel,
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const since = now - settings.windowDays * dayMs;
  const contacts = new Map<string, Channel>();
  for (const presentation of factsOfKind(facts, "presentation"))
    if (Date.parse(presentation.time) > since)
      contacts.set(`${presentation.channel}@${Date.parse(presentation.time)}`, presentation.channel);
  for (const call of factsOfKind(facts, "call"))
    if (call.direction === "outbound" && Date.parse(call.time) > since)
      contacts.set(`call:${call.eventId}`, "phone");
  const contactChannels = [...contacts.values()];
  const window = `in the last ${settings.windowDays} days`;
  const reasons: string[] = [];
  if (channel !== "web") {
    const overall = contactChannels.filter((contactChannel) => contactChannel !== "web").length;
    const text = `${plural(overall, "contact")} ${window} (cap ${settings.maxContacts})`;
    if (overall >= settings.maxContacts) return refused(text);
    reasons.push(text);
  }
  const onChannel = contactChannels.filter((contactChannel) => contactChannel === channel).length;
  const cap = settings.maxContactsPerChannel[channel];
  const text = `${plural(onChannel, `${channel} contact`)} ${window} (cap ${cap})`;
  if (onChannel >= cap) return refused(text);
  return { allowed: true, reasons: [...reasons, text] };
}

function offerTermsCheck(offer: Offer, channel: Channel, now: number): PolicyCheck {
  if (offer.retiredAt !== undefined) return refused(`offer retired ${formatTime(offer.retiredAt)}`);
  if (offer.validFrom !== undefined && now < Date.parse(offer.validFrom)) {
    return refused(`offer valid from ${formatTime(offer.validFrom)}`);
  }
  if (offer.validUntil !== undefined && now > Date.parse(offer.validUntil)) {
    return refused(`offer expired ${formatTime(offer.validUntil)}`);
  }
  if (!offer.channels.includes(channel)) return refused(`offer not made on ${channel}`);
  return { allowed: true, reasons: [] };
}

/**
 * While a complaint is open, and for complaintQuietDays after the latest complaint call, the
 * company only puts things right: no selling to a customer it owes an answer.
 */
function complaintQuietCheck(
  offer: Offer,
  facts: readonly ContactFact[],
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const calls = factsOfKind(facts, "call");
  const open = openComplaints(calls);
  const latestComplaintCall = latestTime(calls.filter((call) => call.purpose === "complaint"));
  const quietUntil =
    latestComplaintCall === undefined ? undefined : latestComplaintCall + settings.complaintQuietDays * dayMs;
  const quiet =
    open.length > 0
      ? `complaint ${open.join(", ")} open`
      : quietUntil !== undefined && now < quietUntil
        ? `complaint quiet period until ${formatTime(quietUntil)}`
        : undefined;
  if (quiet === undefined) return { allowed: true, reasons: [] };
  if (offer.strategy === "service_recovery" || offer.kind === "service_recovery") {
    return allowed(`${quiet}: service recovery only`);
  }
  return refused(`${quiet}: only service recovery goes out`);
}

/**
 * A complaint is the calls carrying its reference; the latest call that states a status decides,
 * and a complaint no call has closed yet is open (as scoring counts open complaints). Calls at the
 * same instant disagreeing: open wins.
 */
function openComplaints(calls: readonly CallFact[]): string[] {
  const latestByReference = new Map<string, { time: number; isOpen: boolean }>();
  for (const call of calls) {
    if (call.complaintReference === undefined) continue;
    const time = Date.parse(call.time);
    const previous = latestByReference.get(call.complaintReference);
    if (call.complaintStatus === undefined) {
      if (!previous)
        latestByReference.set(call.complaintReference, { time: Number.NEGATIVE_INFINITY, isOpen: true });
      continue;
    }
    const isOpen = call.complaintStatus === "open";
    if (!previous || time > previous.time || (time === previous.time && isOpen)) {
      latestByReference.set(call.complaintReference, { time, isOpen });
    }
  }
  return [...latestByReference]
    .filter(([, state]) => state.isOpen)
    .map(([reference]) => reference)
    .sort();
}

/** A customer the company loses money on gets nothing that costs it more. */
function deMarketingCheck(offer: Offer, scores: CustomerScores): PolicyCheck {
  if (scores.marginMinor >= 0) return { allowed: true, reasons: [] };
  if (offer.costMinor > 0) {
    return refused(
      `de-marketing: margin ${scores.marginMinor} is negative, the offer costs ${offer.costMinor}`,
    );
  }
  return allowed(`de-marketing: margin ${scores.marginMinor} is negative, the offer costs nothing`);
}

function declineCooldownCheck(
  offer: Offer,
  facts: readonly ContactFact[],
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const declinedAt = latestTime(
    factsOfKind(facts, "response").filter(
      (response) => response.offerId === offer.offerId && response.response === "declined",
    ),
  );
  if (declinedAt === undefined) return { allowed: true, reasons: [] };
  const cooledAt = declinedAt + settings.declineCooldownDays * dayMs;
  if (now < cooledAt) {
    return refused(`declined ${formatTime(declinedAt)}: not offered again before ${formatTime(cooledAt)}`);
  }
  return allowed(`declined ${formatTime(declinedAt)}, cooldown over ${formatTime(cooledAt)}`);
}

function perCustomerCapCheck(offer: Offer, facts: readonly ContactFact[]): PolicyCheck {
  if (offer.perCustomerCap <= 0) return { allowed: true, reasons: [] };
  const presented = factsOfKind(facts, "presentation").filter(
    (presentation) => presentation.offerId === offer.offerId,
  ).length;
  const text = `presented ${plural(presented, "time")} (cap ${offer.perCustomerCap} per customer)`;
  return presented >= offer.perCustomerCap ? refused(text) : allowed(text);
}

/**
 * One voice: while an offer put to the customer on another channel in the last oneVoiceDays waits
 * for an answer, every channel speaks of that offer only. An answer is a response naming the
 * presentation, or any response to its offer since. Web presentations are the customer's browsing,
 * not the company speaking, so they bind no other channel.
 */
function oneVoiceCheck(
  offer: Offer,
  facts: readonly ContactFact[],
  channel: Channel,
  now: number,
  settings: ContactPolicySettings,
): PolicyCheck {
  const since = now - settings.oneVoiceDays * dayMs;
  const responses = factsOfKind(facts, "response");
  const isAnswered = (presentation: PresentationFact) =>
    responses.some(
      (response) =>
        response.presentationId === presentation.eventId ||
        (response.offerId === presentation.offerId &&
          Date.parse(response.time) >= Date.parse(presentation.time)),
    );
  const outstanding = factsOfKind(facts, "presentation")
    .filter(
      (presentation) =>
        presentation.channel !== channel &&
        presentation.channel !== "web" &&
        Date.parse(presentation.time) > since &&
        !isAnswered(presentation),
    )
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || compareText(a.eventId, b.eventId));
  const other = outstanding.find((presentation) => presentation.offerId !== offer.offerId);
  if (other) {
    return refused(`${other.channel} offer ${other.offerId} outstanding since ${formatTime(other.time)}`);
  }
  const same = outstanding[0];
  return same
    ? allowed(`same offer as on ${same.channel}, outstanding since ${formatTime(same.time)}`)
    : { allowed: true, reasons: [] };
}

/** Runs the checks in order; the first refusal is the answer, else every reason given. */
function firstRefusal(checks: readonly (() => PolicyCheck)[]): PolicyCheck {
  const reasons: string[] = [];
  for (const check of checks) {
    const result = check();
    if (!result.allowed) return result;
    reasons.push(...result.reasons);
  }
  return { allowed: true, reasons };
}

function factsUpTo(facts: readonly ContactFact[], now: number): ContactFact[] {
  return facts.filter((fact) => Date.parse(fact.time) <= now);
}

function latestTime(facts: readonly { time: string }[]): number | undefined {
  return facts.reduce<number | undefined>((latest, fact) => {
    const time = Date.parse(fact.time);
    return latest === undefined || time > latest ? time : latest;
  }, undefined);
}

function allowed(reason: string): PolicyCheck {
  return { allowed: true, reasons: [reason] };
}

function refused(reason: string): PolicyCheck {
  return { allowed: false, reason };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "2026-03-01" at midnight UTC, "2026-03-01 14:30 UTC" otherwise. */
function formatTime(time: string | number): string {
  const iso = new Date(typeof time === "number" ? time : Date.parse(time)).toISOString();
  return iso.slice(11, 16) === "00:00" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
