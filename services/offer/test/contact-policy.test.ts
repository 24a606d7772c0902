import { describe, expect, it } from "vitest";
import type {
  CallFact,
  ConsentFact,
  ContactFact,
  PresentationFact,
  ProfileFact,
  ResponseFact,
  ResponseKind,
} from "../src/domain/contact-facts.js";
import { channelCheck, defaultContactPolicy, offerCheck } from "../src/domain/contact-policy.js";
import type { CustomerScores } from "../src/domain/customer-scores.js";
import type { Channel, Offer } from "../src/domain/offer-catalog.js";

/** 2026-03-01T00:00Z plus days and hours: readable times for the examples. */
const day = (n: number, hour = 0) =>
  new Date(Date.parse("2026-03-01T00:00:00.000Z") + n * 86_400_000 + hour * 3_600_000).toISOString();
const at = (n: number, hour = 0) => Date.parse(day(n, hour));
const settings = defaultContactPolicy;

let sequence = 0;
const eventId = (kind: string) => `${kind}-${++sequence}`;

const consent = (channel: Channel, granted: boolean, time: string): ConsentFact => ({
  kind: "consent",
  eventId: eventId("consent"),
  time,
  channel,
  granted,
});
const presented = (offerId: string, channel: Channel, time: string): PresentationFact => ({
  kind: "presentation",
  eventId: eventId("presentation"),
  time,
  offerId,
  strategy: "cross_sell",
  channel,
  segmentCell: "high_high_high",
});
const call = (time: string, overrides: Partial<CallFact> = {}): CallFact => ({
  kind: "call",
  eventId: eventId("call"),
  time,
  direction: "outbound",
  purpose: "retention",
  outcome: "completed",
  contactPoints: { emails: [], phones: [] },
  ...overrides,
});
const complaintCall = (time: string, reference: string, status?: CallFact["complaintStatus"]): CallFact =>
  call(time, {
    direction: "inbound",
    purpose: "complaint",
    complaintReference: reference,
    ...(status ? { complaintStatus: status } : {}),
  });
const answered = (
  offerId: string,
  response: ResponseKind,
  time: string,
  presentationId?: string,
): ResponseFact => ({
  kind: "response",
  eventId: eventId("response"),
  time,
  offerId,
  response,
  revenueMinor: 0,
  ...(presentationId ? { presentationId } : {}),
});

const offer = (overrides: Partial<Offer> = {}): Offer => ({
  offerId: "OFF-TEA",
  name: "Tea sampler",
  description: "A sampler of this season's teas",
  kind: "new_product_trial",
  strategy: "cross_sell",
  channels: ["email", "sms", "phone", "post", "push", "web"],
  eligibility: [],
  costMinor: 2_000,
  valueMinor: 40_000,
  perCustomerCap: 0,
  priorResponseRate: 0.05,
  revision: 1,
  updatedAt: day(-60),
  ...overrides,
});
const customer = (overrides: Partial<CustomerScores> = {}): CustomerScores => ({
  customerId: "C-1",
  tier: "purchasing",
  lifecycleStage: "active",
  segmentCell: "high_high_high",
  responsePolicy: "top_priority_best_terms",
  revenueMinor: 300_000,
  historicValueMinor: 200_000,
  marginMinor: 75_000,
  topCategories: ["tea"],
  openComplaints: 0,
  ...overrides,
});

/** Where the customer can be reached, from a registration: the channel checks below are about the other rules. */
const reachable: ProfileFact = {
  kind: "profile",
  eventId: "registration",
  time: day(0),
  contactPoints: { emails: ["ann@example.com"], phones: ["+821012345678"] },
};
const onChannel = (facts: ContactFact[], channel: Channel, now = at(10)) =>
  channelCheck([reachable, ...facts], channel, now, settings);
const forOffer = (
  facts: ContactFact[],
  options: { offer?: Partial<Offer>; scores?: Partial<CustomerScores>; channel?: Channel; now?: number } = {},
) =>
  offerCheck(
    offer(options.offer),
    customer(options.scores),
    facts,
    options.channel ?? "email",
    options.now ?? at(10),
    settings,
  );
const refusal = (check: ReturnType<typeof channelCheck>) => (check.allowed ? undefined : check.reason);

describe("consent", () => {
  it("needs an opt-in for email, sms and push", () => {
    for (const channel of ["email", "sms", "push"] as const) {
      expect(onChannel([], channel)).toEqual({ allowed: false, reason: `${channel}: no opt-in` });
    }
    const check = onChannel([consent("email", true, day(0))], "email");

    expect(check.allowed).toBe(true);
    expect(check.allowed && check.reasons[0]).toBe("email opt-in since 2026-03-01");
  });

  it("reads only the consent of the channel asked about", () => {
    expect(refusal(onChannel([consent("email", true, day(0))], "sms"))).toBe("sms: no opt-in");
  });

  it("stops at a revocation after a grant, from the revocation's time on", () => {
    const facts = [consent("email", true, day(0)), consent("email", false, day(5, 9))];

    expect(onChannel(facts, "email", at(5, 8)).allowed).toBe(true);
    expect(refusal(onChannel(facts, "email", at(5, 9)))).toBe("email opt-in revoked 2026-03-06 09:00 UTC");
  });

  it("lets a revocation win over a grant at the same instant, whatever their order", () => {
    const grant = consent("sms", true, day(3));
    const revocation = consent("sms", false, day(3));

    expect(refusal(onChannel([grant, revocation], "sms"))).toBe("sms opt-in revoked 2026-03-04");
    expect(refusal(onChannel([revocation, grant], "sms"))).toBe("sms opt-in revoked 2026-03-04");
  });

  it("takes a new opt-in after a revocation", () => {
    const facts = [
      consent("push", true, day(0)),
      consent("push", false, day(2)),
      consent("push", true, day(4)),
    ];

    expect(onChannel(facts, "push").allowed).toBe(true);
  });

  it("does not know of a consent given after the decision time", () => {
    expect(refusal(onChannel([consent("email", true, day(11))], "email"))).toBe("email: no opt-in");
  });

  it("allows phone and post unless the customer said do not contact", () => {
    expect(onChannel([], "phone")).toEqual({
      allowed: true,
      reasons: [
        "phone: no objection recorded",
        "0 contacts in the last 7 days (cap 3)",
        "0 phone contacts in the last 7 days (cap 1)",
      ],
    });
    expect(refusal(onChannel([consent("phone", false, day(1))], "phone"))).toBe(
      "phone: do not contact since 2026-03-02",
    );
    expect(refusal(onChannel([consent("post", false, day(1))], "post"))).toBe(
      "post: do not contact since 2026-03-02",
    );
    expect(onChannel([consent("post", false, day(1)), consent("post", true, day(2))], "post").allowed).toBe(
      true,
    );
  });

  it("needs no consent on the web: the customer came to the page", () => {
    expect(onChannel([consent("web", false, day(1))], "web")).toEqual({
      allowed: true,
      reasons: [
        "web: the customer's own visit, no consent needed",
        "0 web contacts in the last 7 days (cap 20)",
      ],
    });
  });
});

describe("contact caps", () => {
  const optedIn = [consent("email", true, day(0)), consent("sms", true, day(0))];

  it("refuses at exactly the overall cap, counting offers on every channel and outbound calls", () => {
    const facts = [
      ...optedIn,
      presented("A", "email", day(8)),
      presented("B", "post", day(9)),
      call(day(9, 12)),
    ];

    expect(refusal(onChannel(facts, "sms"))).toBe("3 contacts in the last 7 days (cap 3)");
  });

  it("allows one below the cap and says how many there were", () => {
    const facts = [...optedIn, presented("A", "email", day(8)), call(day(9, 12))];

    expect(onChannel(facts, "sms")).toEqual({
      allowed: true,
      reasons: [
        "sms opt-in since 2026-03-01",
        "2 contacts in the last 7 days (cap 3)",
        "0 sms contacts in the last 7 days (cap 1)",
      ],
    });
  });

  it("counts over the rolling window: a contact exactly windowDays ago has left it", () => {
    const facts = [...optedIn, presented("A", "post", day(3)), presented("B", "post", day(8)), call(day(9))];

    expect(onChannel(facts, "sms", at(10)).allowed).toBe(true);
    expect(onChannel(facts, "sms", at(10) - 1).allowed).toBe(false);
  });

  it("does not count inbound calls", () => {
    const facts = [
      ...optedIn,
      call(day(8), { direction: "inbound" }),
      call(day(9), { direction: "inbound" }),
    ];

    expect(onChannel(facts, "phone").allowed).toBe(true);
  });

  it("refuses at a channel's own cap while other channels stay open", () => {
    const facts = [...optedIn, presented("A", "email", day(8)), presented("B", "email", day(9))];

    expect(refusal(onChannel(facts, "email"))).toBe("2 email contacts in the last 7 days (cap 2)");
    expect(onChannel(facts, "sms").allowed).toBe(true);
  });

  it("counts offers presented together (one answer, one mail) as one contact", () => {
    const together = [...optedIn, presented("A", "email", day(8)), presented("B", "email", day(8))];

    expect(onChannel(together, "email").allowed).toBe(true);
    expect(refusal(onChannel([...together, presented("C", "email", day(9))], "email"))).toBe(
      "2 email contacts in the last 7 days (cap 2)",
    );
  });

  it("counts outbound calls against the phone cap", () => {
    expect(refusal(onChannel([call(day(9))], "phone"))).toBe("1 phone contact in the last 7 days (cap 1)");
  });

  it("leaves web out of the overall cap and holds web to its own", () => {
    const busyWeek = [
      ...optedIn,
      presented("A", "email", day(8)),
      presented("B", "sms", day(8)),
      call(day(9)),
    ];
    const pages = Array.from({ length: 20 }, (_, i) => presented(`W-${i}`, "web", day(9, i)));

    expect(onChannel([...optedIn, ...pages, presented("A", "email", day(8))], "sms").allowed).toBe(true);
    expect(onChannel(busyWeek, "web").allowed).toBe(true);
    expect(refusal(onChannel(pages, "web"))).toBe("20 web contacts in the last 7 days (cap 20)");
  });
});

describe("the offer's own terms", () => {
  it("refuses a retired offer", () => {
    expect(refusal(forOffer([], { offer: { retiredAt: day(2) } }))).toBe("offer retired 2026-03-03");
  });

  it("makes an offer only within its validity, both ends included", () => {
    const dated = { validFrom: day(10), validUntil: day(20) };

    expect(refusal(forOffer([], { offer: dated, now: at(10) - 1 }))).toBe("offer valid from 2026-03-11");
    expect(forOffer([], { offer: dated, now: at(10) }).allowed).toBe(true);
    expect(forOffer([], { offer: dated, now: at(20) }).allowed).toBe(true);
    expect(refusal(forOffer([], { offer: dated, now: at(20) + 1 }))).toBe("offer expired 2026-03-21");
  });

  it("makes an offer only on its channels", () => {
    expect(refusal(forOffer([], { offer: { channels: ["web"] }, channel: "sms" }))).toBe(
      "offer not made on sms",
    );
  });
});

describe("the complaint quiet period", () => {
  const recovery = { strategy: "service_recovery", kind: "service_recovery" } as const;

  it("lets only service recovery out while a complaint is open", () => {
    const facts = [complaintCall(day(-30), "CMP-1", "open")];

    expect(refusal(forOffer(facts))).toBe("complaint CMP-1 open: only service recovery goes out");
    expect(forOffer(facts, { offer: recovery })).toEqual({
      allowed: true,
      reasons: ["complaint CMP-1 open: service recovery only"],
    });
    expect(forOffer(facts, { offer: { strategy: "service_recovery" } }).allowed).toBe(true);
    expect(forOffer(facts, { offer: { kind: "service_recovery" } }).allowed).toBe(true);
  });

  it("reads a complaint's state from its latest call that states one", () => {
    const resolved = [complaintCall(day(-40), "CMP-1", "open"), complaintCall(day(-30), "CMP-1", "resolved")];
    const followedUp = [...resolved, call(day(-29), { complaintReference: "CMP-1" })];
    const reopened = [...resolved, complaintCall(day(-20), "CMP-1", "open")];

    expect(forOffer(resolved).allowed).toBe(true);
    expect(forOffer(followedUp).allowed).toBe(true);
    expect(refusal(forOffer(reopened))).toBe("complaint CMP-1 open: only service recovery goes out");
  });

  it("counts a complaint no call has given a status yet as open", () => {
    expect(refusal(forOffer([complaintCall(day(-30), "CMP-2")]))).toBe(
      "complaint CMP-2 open: only service recovery goes out",
    );
  });

  it("keeps quiet for complaintQuietDays after the latest complaint call, then ends", () => {
    const facts = [complaintCall(day(0), "CMP-1", "open"), complaintCall(day(3, 10), "CMP-1", "resolved")];

    expect(refusal(forOffer(facts, { now: at(17, 10) - 1 }))).toBe(
      "complaint quiet period until 2026-03-18 10:00 UTC: only service recovery goes out",
    );
    expect(forOffer(facts, { now: at(17, 10) })).toEqual({ allowed: true, reasons: [] });
  });
});

describe("de-marketing", () => {
  it("makes no offer that costs to a customer the company loses money on", () => {
    expect(refusal(forOffer([], { scores: { marginMinor: -1_500 } }))).toBe(
      "de-marketing: margin -1500 is negative, the offer costs 2000",
    );
  });

  it("still makes offers that cost nothing, and anything to a customer at zero margin", () => {
    expect(forOffer([], { scores: { marginMinor: -1_500 }, offer: { costMinor: 0 } }).allowed).toBe(true);
    expect(forOffer([], { scores: { marginMinor: 0 } }).allowed).toBe(true);
  });
});

describe("the decline cooldown", () => {
  it("does not make a declined offer again for declineCooldownDays, then does", () => {
    const facts = [presented("OFF-TEA", "email", day(0)), answered("OFF-TEA", "declined", day(1))];

    expect(refusal(forOffer(facts, { now: at(31) - 1 }))).toBe(
      "declined 2026-03-02: not offered again before 2026-04-01",
    );
    expect(forOffer(facts, { now: at(31) })).toEqual({
      allowed: true,
      reasons: ["declined 2026-03-02, cooldown over 2026-04-01"],
    });
  });

  it("holds back only the offer that was declined", () => {
    const facts = [answered("OFF-COFFEE", "declined", day(9))];

    expect(forOffer(facts).allowed).toBe(true);
  });
});

describe("an address for the channel", () => {
  const optedIn = [consent("email", true, day(0)), consent("sms", true, day(0))];
  const withoutAddress = (channel: Channel) => channelCheck(optedIn, channel, at(10), settings);

  it("refuses email without a known address, and phone and SMS without a known number", () => {
    expect(refusal(withoutAddress("email"))).toBe("no email address is known for the customer");
    expect(refusal(withoutAddress("sms"))).toBe("no phone number is known for the customer");
    expect(refusal(withoutAddress("phone"))).toBe("no phone number is known for the customer");
  });

  it("needs none for post and the web", () => {
    expect(withoutAddress("post").allowed).toBe(true);
    expect(withoutAddress("web").allowed).toBe(true);
  });

  it("is asked after consent: a customer who opted out hears why", () => {
    expect(refusal(channelCheck([consent("email", false, day(1))], "email", at(10), settings))).toBe(
      "email opt-in revoked 2026-03-02",
    );
  });
});

describe("the per-customer cap", () => {
  it("refuses an offer already presented as often as its cap allows", () => {
    const facts = [presented("OFF-TEA", "post", day(-40)), presented("OFF-TEA", "post", day(-20))];

    expect(refusal(forOffer(facts, { offer: { perCustomerCap: 2 } }))).toBe(
      "presented 2 times (cap 2 per customer)",
    );
    expect(forOffer(facts, { offer: { perCustomerCap: 3 } })).toEqual({
      allowed: true,
      reasons: ["presented 2 times (cap 3 per customer)"],
    });
  });

  it("has no cap at zero", () => {
    const facts = Array.from({ length: 5 }, (_, i) => presented("OFF-TEA", "post", day(-50 + i * 10)));

    expect(forOffer(facts, { offer: { perCustomerCap: 0 } }).allowed).toBe(true);
  });
});

describe("one voice across channels", () => {
  it("keeps every other channel to an unanswered offer made on one", () => {
    const facts = [presented("OFF-COFFEE", "sms", day(8, 9))];

    expect(refusal(forOffer(facts))).toBe("sms offer OFF-COFFEE outstanding since 2026-03-09 09:00 UTC");
    expect(forOffer(facts, { offer: { offerId: "OFF-COFFEE" } })).toEqual({
      allowed: true,
      reasons: ["same offer as on sms, outstanding since 2026-03-09 09:00 UTC"],
    });
  });

  it("lets go once the offer is answered, by its presentation or by its offer since", () => {
    const presentation = presented("OFF-COFFEE", "sms", day(8));

    expect(
      forOffer([presentation, answered("OFF-COFFEE", "no_answer", day(9), presentation.eventId)]).allowed,
    ).toBe(true);
    expect(forOffer([presentation, answered("OFF-COFFEE", "accepted", day(9))]).allowed).toBe(true);
    expect(forOffer([presentation, answered("OFF-COFFEE", "accepted", day(7))]).allowed).toBe(false);
  });

  it("lets go after oneVoiceDays", () => {
    const facts = [presented("OFF-COFFEE", "sms", day(3))];

    expect(forOffer(facts, { now: at(10) }).allowed).toBe(true);
    expect(forOffer(facts, { now: at(10) - 1 }).allowed).toBe(false);
  });

  it("does not bind the channel the offer was made on, nor take its voice from web pages", () => {
    expect(forOffer([presented("OFF-COFFEE", "email", day(9))]).allowed).toBe(true);
    expect(forOffer([presented("OFF-COFFEE", "web", day(9))]).allowed).toBe(true);
    expect(forOffer([presented("OFF-COFFEE", "sms", day(9))], { channel: "web" }).allowed).toBe(false);
  });
});

describe("an offer passing every rule", () => {
  it("gives the reasons of the rules that had something to say", () => {
    const facts = [
      presented("OFF-TEA", "email", day(-60)),
      answered("OFF-TEA", "declined", day(-50)),
      presented("OFF-TEA", "sms", day(8)),
    ];

    expect(forOffer(facts, { offer: { perCustomerCap: 3 } })).toEqual({
      allowed: true,
      reasons: [
        "declined 2026-01-10, cooldown over 2026-02-09",
        "presented 2 times (cap 3 per customer)",
        "same offer as on sms, outstanding since 2026-03-09",
      ],
    });
  });
});
