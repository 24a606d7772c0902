import type { EventType, Identifier } from "@rapport/events";

/** One of the three ways into the platform. */
export type InputPath = "kafka" | "http" | "grpc";

/** An event as an upstream system sends it: a CloudEvent with data, before ingestion normalises it. */
export type UpstreamEvent = {
  specversion: "1.0";
  id: string;
  source: Source;
  type: EventType;
  time: string;
  data: { customer: { identifiers: Identifier[] } } & Record<string, unknown>;
};

export type Delivery = { path: InputPath; event: UpstreamEvent };

/** A person of the dataset and what the platform should come to know of them. */
export type Person = {
  customerNumber: string;
  email: string;
  phone: string;
  /** What scoring should come to count for them. */
  orders: number;
  revenueMinor: number;
  emailConsents: number;
  surveys: number;
  inboundCalls: number;
  pageViews: number;
};

/**
 * The dataset in two phases. The first is everything upstream systems know of each person by their
 * own identifiers; the second is what joins identifiers that were apart (a login on a browser that
 * browsed anonymously, an order naming a second sign-up's email, calls known only by phone). The
 * second is sent once identity has resolved the first, as it would arrive in real life, so that
 * which records merge does not depend on how two partitions of crm.events happen to interleave.
 */
export type Dataset = {
  persons: Person[];
  firstPhase: Delivery[];
  secondPhase: Delivery[];
  /** The browser person 10 logs in on, and the one of a visitor who never logs in. */
  visitorCookie: string;
  anonymousCookie: string;
  duplicate: { customerNumber: string; email: string };
  complaint: { customerNumber: string; phone: string; reference: string };
  surveyed: { customerNumber: string; nps: number };
  /** Identifiers the second phase relies on: identity must know them before it is sent. */
  secondPhaseRelies: Identifier[];
};

export const writeKeys = {
  crm: "crm-write-key-0001",
  shop: "shop-write-key-0001",
  web: "web-write-key-0001",
  callcenter: "callcenter-write-key-0001",
  survey: "survey-write-key-0001",
} as const;

export type Source = keyof typeof writeKeys;

const personCount = 30;
const firstNames = ["ji-woo", "min-jun", "seo-yeon", "ha-eun", "do-yun", "su-ah", "jun-ho", "ye-jin"];
const lastNames = ["kim", "lee", "park", "choi", "jung", "kang"];
const categories = ["tea", "coffee", "cups", "gifts"];
const paths: InputPath[] = ["kafka", "grpc", "http"];

const customerNumber = (value: string): Identifier => ({ type: "customer_number", value });
const email = (value: string): Identifier => ({ type: "email", value });
const phone = (value: string): Identifier => ({ type: "phone", value });
const cookie = (value: string): Identifier => ({ type: "cookie_id", value });

/**
 * A shop with thirty customers over the past year, as of `now`: registrations, orders (one to
 * four each, some of them written differently from how they are stored: upper-case emails,
 * national phone numbers), email consents, three surveys, a web visitor who logs in, an anonymous
 * visitor who never does, a customer who signed up twice, an inquiry call and a complaint call.
 * Each kind of input comes in by another path, so that all three are used.
 */
export function buildDataset(now: Date): Dataset {
  const at = (daysAgo: number, minutes = 0) =>
    new Date(now.getTime() - daysAgo * 86_400_000 + minutes * 60_000).toISOString();

  const persons: Person[] = [];
  const firstPhase: Delivery[] = [];
  for (let n = 1; n <= personCount; n++) {
    const number = `C-${1000 + n}`;
    const name = `${firstNames[n % firstNames.length]}.${lastNames[n % lastNames.length]}${n}`;
    const person: Person = {
      customerNumber: number,
      email: `${name}@example.com`,
      phone: `+8210${String(20_000_000 + n * 7_919).padStart(8, "0")}`,
      orders: 0,
      revenueMinor: 0,
      emailConsents: 0,
      surveys: 0,
      inboundCalls: 0,
      pageViews: 0,
    };
    // Person 20 signs up in the store with a phone only; the email comes with a second sign-up.
    const registeredWith =
      n === 20
        ? [customerNumber(number), phone(nationalPhone(person.phone))]
        : [customerNumber(number), email(person.email.toUpperCase()), phone(nationalPhone(person.phone))];
    firstPhase.push({
      path: "kafka",
      event: event("crm", `reg-${number}`, "crm.v1.CustomerRegistered", at(400 - n * 5), registeredWith, {
        registrationChannel: n % 3 === 0 ? "store" : "web",
      }),
    });
    const orderCount = 1 + (n % 4);
    for (let k = 0; k < orderCount; k++) {
      const category = categories[(n + k) % categories.length] as string;
      const unitMinor = 8_000 + 1_000 * ((n * 7 + k * 3) % 20);
      const quantity = 1 + ((n + k) % 3);
      const totalMinor = unitMinor * quantity;
      person.orders += 1;
      person.revenueMinor += totalMinor;
      firstPhase.push({
        path: paths[(n + k) % paths.length] as InputPath,
        event: order(`order-${number}-${k + 1}`, at(300 - n * 3 - k * 40), [customerNumber(number)], {
          category,
          unitMinor,
          quantity,
        }),
      });
    }
    if (n % 2 === 0) {
      person.emailConsents += 1;
      firstPhase.push({
        path: "kafka",
        event: event(
          "crm",
          `consent-${number}`,
          "crm.v1.ConsentChanged",
          at(390 - n * 5),
          [customerNumber(number)],
          {
            channel: "email",
            status: "granted",
            source: "web_form",
          },
        ),
      });
    }
    persons.push(person);
  }

  const person = (number: string) => persons.find((p) => p.customerNumber === number) as Person;

  const surveyed = { customerNumber: "C-1003", nps: 9 };
  for (const [number, nps, csat] of [
    [surveyed.customerNumber, surveyed.nps, 5],
    ["C-1006", 3, 2],
    ["C-1009", 7, 4],
  ] as const) {
    person(number).surveys += 1;
    firstPhase.push({
      path: "grpc",
      event: event("survey", `survey-${number}`, "crm.v1.SurveyAnswered", at(20), [customerNumber(number)], {
        surveyId: "post-purchase-2026",
        nps,
        csat,
      }),
    });
  }

  // Person 10 browses anonymously (one session of three pages, found through a search engine)…
  const visitorCookie = "vid-7c1e2a90";
  const view = (id: string, minutes: number, identifiers: Identifier[], url: string, extra = {}) =>
    event("web", id, "crm.v1.PageViewed", at(2, minutes), identifiers, { url, statusCode: 200, ...extra });
  firstPhase.push(
    {
      path: "http",
      event: view("view-1", 0, [cookie(visitorCookie)], "/tea/green-sencha", {
        referrer: "https://search.example.org/?q=green+tea",
        referrerHost: "search.example.org",
        searchKeywords: ["green", "tea"],
      }),
    },
    { path: "http", event: view("view-2", 3, [cookie(visitorCookie)], "/tea/gift-sets") },
    { path: "http", event: view("view-3", 6, [cookie(visitorCookie)], "/login") },
  );
  // …and a visitor who never logs in stays anonymous.
  const anonymousCookie = "vid-0b44f3d1";
  firstPhase.push(
    { path: "http", event: view("view-4", 0, [cookie(anonymousCookie)], "/coffee") },
    { path: "http", event: view("view-5", 2, [cookie(anonymousCookie)], "/coffee/drip-bags") },
  );
  // Person 20 signs up again on the web, with the email only.
  const duplicate = { customerNumber: "C-1020", email: "second.signup20@example.com" };
  firstPhase.push({
    path: "http",
    event: event("crm", "reg-web-20", "crm.v1.CustomerRegistered", at(10), [email(duplicate.email)], {
      registrationChannel: "web",
    }),
  });

  const complaint = { customerNumber: "C-1005", phone: person("C-1005").phone, reference: "CMP-2026-0042" };
  const inquirer = person("C-1007");
  const secondPhase: Delivery[] = [
    // The login: the browser's cookie meets the customer number.
    { path: "http", event: view("view-6", 9, [customerNumber("C-1010"), cookie(visitorCookie)], "/account") },
    // An order names both of person 20's sign-ups.
    {
      path: "grpc",
      event: order(
        "order-C-1020-web",
        at(5),
        [customerNumber(duplicate.customerNumber), email(duplicate.email)],
        { category: "tea", unitMinor: 12_000, quantity: 2 },
      ),
    },
    {
      path: "kafka",
      event: event(
        "callcenter",
        "call-5001",
        "crm.v1.CallLogged",
        at(2),
        [phone(nationalPhone(complaint.phone))],
        {
          callId: "5001",
          direction: "inbound",
          purpose: "complaint",
          outcome: "completed",
          durationSeconds: 312,
          agentId: "agent-7",
          complaintReference: complaint.reference,
          complaintStatus: "open",
        },
      ),
    },
    {
      path: "kafka",
      event: event("callcenter", "call-5002", "crm.v1.CallLogged", at(12), [phone(inquirer.phone)], {
        callId: "5002",
        direction: "inbound",
        purpose: "inquiry",
        outcome: "completed",
        durationSeconds: 95,
        agentId: "agent-3",
      }),
    },
  ];
  person("C-1010").pageViews += 4;
  person(duplicate.customerNumber).orders += 1;
  person(duplicate.customerNumber).revenueMinor += 24_000;
  person(complaint.customerNumber).inboundCalls += 1;
  inquirer.inboundCalls += 1;

  return {
    persons,
    firstPhase,
    secondPhase,
    visitorCookie,
    anonymousCookie,
    duplicate,
    complaint,
    surveyed,
    secondPhaseRelies: [
      cookie(visitorCookie),
      customerNumber("C-1010"),
      customerNumber(duplicate.customerNumber),
      email(duplicate.email),
      phone(complaint.phone),
      phone(inquirer.phone),
    ],
  };
}

function event(
  source: Source,
  id: string,
  type: EventType,
  time: string,
  identifiers: Identifier[],
  data: Record<string, unknown> = {},
): UpstreamEvent {
  return { specversion: "1.0", id, source, type, time, data: { customer: { identifiers }, ...data } };
}

function order(
  orderId: string,
  time: string,
  identifiers: Identifier[],
  line: { category: string; unitMinor: number; quantity: number },
): UpstreamEvent {
  return event("shop", orderId, "crm.v1.OrderPlaced", time, identifiers, {
    orderId,
    items: [
      {
        productId: `${line.category}-0${1 + (line.unitMinor % 3)}`,
        category: line.category,
        quantity: line.quantity,
        unitPrice: { amountMinor: line.unitMinor, currency: "KRW" },
      },
    ],
    total: { amountMinor: line.unitMinor * line.quantity, currency: "krw" },
  });
}

/** +821020007919 as a Korean call center writes it: 010-2000-7919. */
function nationalPhone(e164: string): string {
  const digits = `0${e164.slice(3)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
}
