import { type Identifier, normaliseIdentifier } from "@rapport/events";
import { seededRandom } from "@rapport/sampling";
import { drawsOf } from "./draws.js";
import { type Person, peopleOf } from "./people.js";
import { purchaseHistoryOf } from "./purchases.js";
import { type Delivery, upstreamEvent, withTraits } from "./upstream.js";
import { webHistoryOf } from "./web-visits.js";

export type CompanyOptions = {
  customers: number;
  months: number;
  seed: number;
  /** The end of the history; every event happens in the `months` before it. */
  now: Date;
};

/** What the generator made, to compare with what the platform reports. */
export type CompanyFacts = {
  people: number;
  signUps: number;
  duplicateSignUps: number;
  familyPhones: number;
  anonymousVisitors: number;
  orders: number;
  revenueMinor: number;
  calls: number;
  complaints: number;
  surveys: number;
  consentChanges: number;
  pageViews: number;
  logins: number;
};

export type Company = {
  /** In time order. */
  deliveries: Delivery[];
  facts: CompanyFacts;
  windowStart: Date;
  /**
   * The customer numbers of the people who gave each phone (as identity normalises it): one for
   * most, several for a family phone. How the shop tells which of a household bought.
   */
  customerNumbersByPhone: ReadonlyMap<string, readonly string[]>;
};

const dayMs = 86_400_000;

function signUpEvents(person: Person): Delivery[] {
  const main: Identifier[] = [
    { type: "customer_number", value: person.customerNumber },
    { type: "email", value: person.email },
    { type: "phone", value: person.phone },
    ...(person.loyaltyCard ? [{ type: "loyalty_card" as const, value: person.loyaltyCard }] : []),
  ];
  const traits = {
    firstName: person.firstName,
    lastName: person.lastName,
    birthDate: person.birthDate,
    address: person.address,
  };
  const channel = person.loyaltyCard ? "store" : "web";
  const signUps: Delivery[] = [
    {
      path: "http",
      at: person.signedUpAt,
      event: withTraits(
        upstreamEvent(
          `signup-${person.customerNumber}`,
          "crm.v1.CustomerRegistered",
          person.signedUpAt,
          main,
          {
            registrationChannel: channel,
          },
        ),
        traits,
      ),
    },
  ];
  const duplicate = person.duplicate;
  if (duplicate) {
    // A second account in the app: another email, a first name typed differently, sometimes the same phone.
    const identifiers: Identifier[] = [
      { type: "email", value: duplicate.email },
      ...(duplicate.phone ? [{ type: "phone" as const, value: duplicate.phone }] : []),
    ];
    signUps.push({
      path: "http",
      at: duplicate.at,
      event: withTraits(
        upstreamEvent(
          `signup-app-${person.customerNumber}`,
          "crm.v1.CustomerRegistered",
          duplicate.at,
          identifiers,
          {
            registrationChannel: "app",
          },
        ),
        { ...traits, firstName: duplicate.firstName },
      ),
    });
  }
  return signUps;
}

/** Consents given at sign-up, and the opt-outs some customers send later. */
function consentEvents(draws: ReturnType<typeof drawsOf>, person: Person, now: number): Delivery[] {
  const consents: Delivery[] = [];
  const customer: Identifier[] = [{ type: "customer_number", value: person.customerNumber }];
  const change = (channel: string, status: "granted" | "revoked", at: number, source: string) =>
    consents.push({
      path: "http",
      at,
      event: upstreamEvent(
        `consent-${person.customerNumber}-${channel}-${status}`,
        "crm.v1.ConsentChanged",
        at,
        customer,
        { channel, status, source },
      ),
    });
  for (const [channel, share] of [
    ["email", 0.65],
    ["sms", 0.35],
    ["phone", 0.55],
  ] as const) {
    if (!draws.chance(share)) continue;
    const grantedAt = person.signedUpAt + 60_000;
    change(channel, "granted", grantedAt, person.loyaltyCard ? "store" : "web_form");
    const revokedAt = grantedAt + draws.uniform() * (now - grantedAt);
    if (draws.chance(channel === "email" ? 0.1 : 0.04))
      change(
        channel,
        "revoked",
        Math.round(revokedAt),
        channel === "email" ? "unsubscribe_link" : "call_center",
      );
  }
  return consents;
}

/**
 * A synthetic company: `customers` people over `months` months ending at `now`, with their sign-ups,
 * consents, orders, calls, surveys and web visits, and the fragmentation identity has to undo. The
 * same options give the same company.
 */
export function generateCompany(options: CompanyOptions): Company {
  const draws = drawsOf(seededRandom(options.seed));
  const now = options.now.getTime();
  const windowStart = new Date(options.now);
  windowStart.setUTCMonth(windowStart.getUTCMonth() - options.months);
  const people = peopleOf(draws, {
    people: options.customers,
    windowStart: windowStart.getTime(),
    now,
    duplicateShare: 0.08,
    familyPhoneShare: 0.04,
    seed: options.seed,
  });
  let orderNumber = 0;
  let callNumber = 0;
  const counters = {
    order: () => `O-${options.seed}-${++orderNumber}`,
    call: () => `call-${options.seed}-${++callNumber}`,
  };
  const deliveries: Delivery[] = [];
  const facts: CompanyFacts = {
    people: people.length,
    signUps: 0,
    duplicateSignUps: 0,
    familyPhones: people.filter((person) => person.sharesPhoneOf !== undefined).length,
    anonymousVisitors: 0,
    orders: 0,
    revenueMinor: 0,
    calls: 0,
    complaints: 0,
    surveys: 0,
    consentChanges: 0,
    pageViews: 0,
    logins: 0,
  };
  const addWeb = (history: ReturnType<typeof webHistoryOf>) => {
    deliveries.push(...history.deliveries);
    facts.pageViews += history.pageViews;
    facts.logins += history.logins;
  };

  for (const person of people) {
    const signUps = signUpEvents(person);
    facts.signUps += signUps.length;
    facts.duplicateSignUps += signUps.length - 1;
    const consents = consentEvents(draws, person, now);
    facts.consentChanges += consents.length;
    const purchases = purchaseHistoryOf(draws, person, now, counters);
    facts.orders += purchases.orders;
    facts.revenueMinor += purchases.revenueMinor;
    facts.complaints += purchases.complaints;
    deliveries.push(...signUps, ...consents, ...purchases.deliveries);
    if (draws.chance(0.35)) {
      // Visitors browse anonymously first, some days before they sign up.
      const firstVisitAt = Math.max(windowStart.getTime(), person.signedUpAt - draws.int(0, 20) * dayMs);
      addWeb(
        webHistoryOf(
          draws,
          {
            cookie: person.cookie,
            customerNumber: person.customerNumber,
            logsInAt: person.signedUpAt,
            firstVisitAt,
            sessions: draws.int(1, 3) + Math.min(3, Math.floor(purchases.orders / 3)),
          },
          now,
        ),
      );
    }
  }
  // Visitors who never sign up: customers known by a cookie only.
  const anonymousVisitors = Math.round(options.customers * 0.05);
  for (let index = 0; index < anonymousVisitors; index += 1) {
    facts.anonymousVisitors += 1;
    addWeb(
      webHistoryOf(
        draws,
        {
          cookie: `ck-anon-${options.seed}-${index.toString(36)}-${draws.int(100_000, 999_999)}`,
          firstVisitAt: Math.round(windowStart.getTime() + draws.uniform() * (now - windowStart.getTime())),
          sessions: draws.int(1, 2),
        },
        now,
      ),
    );
  }
  for (const delivery of deliveries) {
    if (delivery.path === "weblog") continue;
    if (delivery.event.type === "crm.v1.CallLogged") facts.calls += 1;
    if (delivery.event.type === "crm.v1.SurveyAnswered") facts.surveys += 1;
  }
  deliveries.sort((a, b) => a.at - b.at);
  return { deliveries, facts, windowStart, customerNumbersByPhone: customerNumbersByPhone(people) };
}

function customerNumbersByPhone(people: readonly Person[]): Map<string, string[]> {
  const byPhone = new Map<string, string[]>();
  for (const person of people) {
    const normalised = normaliseIdentifier(
      { type: "phone", value: person.phone },
      { defaultPhoneRegion: "KR" },
    );
    if (!normalised.ok) throw new Error(`the demo company gave ${person.customerNumber} an invalid phone`);
    const key = normalised.identifier.value;
    byPhone.set(key, [...(byPhone.get(key) ?? []), person.customerNumber]);
  }
  return byPhone;
}
