import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentials, Metadata } from "@grpc/grpc-js";
import { crmTopics, type Identifier } from "@rapport/events";
import { loadIdentityConfig, startIdentityService } from "@rapport/identity";
import { loadIngestionConfig, startIngestionService } from "@rapport/ingestion";
import { loadOfferConfig, type RunningOfferService, startOfferService } from "@rapport/offer";
import {
  ContactChannel,
  Offer,
  OfferKind,
  OfferServiceClient,
  OfferStrategy,
  RuleOperator,
} from "@rapport/proto";
import { loadScoringConfig, startScoringService } from "@rapport/scoring";
import { infraEndpoints, uniqueName, waitFor } from "@rapport/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandTable, runCli } from "../src/index.js";
import { bufferedIo } from "./buffered-io.js";

// The read and campaign commands against the four services started in this process on the real
// broker and FerretDB. The customers come in through `rapport import`, as a platform's history would.

const endpoints = infraEndpoints();
const prefix = `${uniqueName("cli-reads")}.`;
const writeKey = "cli-reads-write-key-0001";
const fatalErrors: Error[] = [];
const stops: (() => Promise<void>)[] = [];
const silent = pino({ level: "silent" });
const onFatal = (error: Error) => fatalErrors.push(error);
const common = {
  KAFKA_BROKERS: endpoints.kafkaBrokers.join(","),
  MONGODB_URI: endpoints.mongodbUri,
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_TOPIC_PARTITIONS: "2",
  HTTP_PORT: "0",
  GRPC_PORT: "0",
  LOG_LEVEL: "silent",
};
let env: Record<string, string> = {};
let offer: RunningOfferService | undefined;
let directory = "";

beforeAll(async () => {
  expect(crmTopics(prefix).events).toBe(`${prefix}crm.events`);
  const ingestion = await startIngestionService({
    config: loadIngestionConfig({
      ...common,
      INGESTION_DATABASE: uniqueName("cli-reads-ingestion"),
      INGESTION_CONSUMER_GROUP: `${prefix}ingestion`,
      INGESTION_WRITE_KEYS: `crm=${writeKey}`,
      INSTANCE_ID: "ingestion-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => ingestion.stop());
  const identity = await startIdentityService({
    config: loadIdentityConfig({
      ...common,
      IDENTITY_DATABASE: uniqueName("cli-reads-identity"),
      IDENTITY_CONSUMER_GROUP: `${prefix}identity`,
      IDENTITY_STORE_BUCKETS: "4",
      INSTANCE_ID: "identity-1",
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => identity.stop());
  const scoring = await startScoringService({
    config: loadScoringConfig({
      ...common,
      SCORING_DATABASE: uniqueName("cli-reads-scoring"),
      SCORING_CONSUMER_GROUP: `${prefix}scoring`,
      SCORING_STORE_BUCKETS: "4",
      SCORING_SCHEDULER: "false",
      INSTANCE_ID: "scoring-1",
      IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}`,
    }),
    logger: silent,
    onFatal,
  });
  stops.push(() => scoring.stop());
  const started = await startOfferService({
    config: loadOfferConfig({
      ...common,
      OFFER_DATABASE: uniqueName("cli-reads-offer"),
      OFFER_CONSUMER_GROUP: `${prefix}offer`,
      OFFER_STORE_BUCKETS: "4",
      OFFER_UNSUBSCRIBE_SECRET: "cli-reads-secret",
      INSTANCE_ID: "offer-1",
      SCORING_GRPC_ADDRESS: `127.0.0.1:${scoring.grpcPort}`,
    }),
    logger: silent,
    onFatal,
  });
  offer = started;
  stops.push(() => started.stop());
  env = {
    IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}`,
    SCORING_GRPC_ADDRESS: `127.0.0.1:${scoring.grpcPort}`,
    OFFER_GRPC_ADDRESS: `127.0.0.1:${started.grpcPort}`,
  };
  directory = await mkdtemp(join(tmpdir(), "rapport-cli-reads-"));

  await upsertOffers(env.OFFER_GRPC_ADDRESS as string);
  const imported = await rapport(
    "import",
    "orders",
    await history(),
    "--url",
    `http://127.0.0.1:${ingestion.httpPort}`,
    "--write-key",
    writeKey,
  );
  expect(imported.exitCode, imported.stderr).toBe(0);
  // Scoring has seen everyone, and the offer service (its own fold) knows the crowd's numbers.
  await waitFor(
    async () => {
      const { exitCode, stdout } = await rapport("segments", "--json");
      const tiers = exitCode === 0 ? (JSON.parse(stdout).tiers ?? []) : [];
      return (
        tiers.find((tier: { name: string }) => tier.name === "purchasing")?.customers === crowd.length + 1
      );
    },
    { timeoutMs: 120_000, intervalMs: 500, description: "every imported customer scored" },
  );
  const refitted = await rapport("model", "scoring", "--refit", "--json");
  expect(refitted.exitCode, refitted.stderr).toBe(0);
  await waitFor(
    async () => {
      const previews = await Promise.all(
        crowd.map((number) => rapport("offers", `customer_number:${number}`, "--channel", "phone", "--json")),
      );
      return previews.every(({ exitCode, stdout }) => exitCode === 0 && !stdout.includes("no phone number"));
    },
    {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: "the crowd's phone numbers known to the offer service",
    },
  );
}, 360_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  if (directory) await rm(directory, { recursive: true, force: true });
  expect(fatalErrors).toEqual([]);
});

/** `rapport <args>` in this process, against the services started above. */
async function rapport(...args: string[]) {
  const { io, out } = bufferedIo(env, directory);
  const exitCode = await runCli(args, io, commandTable);
  return { exitCode, ...out };
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const crowd = Array.from({ length: 10 }, (_, n) => `C-${200 + n}`);

/** Ann (registered, consented to email, two tea orders, a call) and a crowd of phone customers, as NDJSON CloudEvents. */
async function history(): Promise<string> {
  const ann: Identifier[] = [{ type: "customer_number", value: "C-1" }];
  const cloudEvent = (
    id: string,
    type: string,
    time: string,
    identifiers: Identifier[],
    data: object,
    traits?: object,
  ) => ({
    specversion: "1.0",
    id,
    source: "crm",
    type,
    time,
    datacontenttype: "application/json",
    data: { customer: { identifiers, ...(traits ? { traits } : {}) }, ...data },
  });
  const order = (id: string, time: string, identifiers: Identifier[], amountMinor: number) =>
    cloudEvent(id, "crm.v1.OrderPlaced", time, identifiers, {
      orderId: id,
      items: [
        { productId: "tea-01", category: "tea", quantity: 1, unitPrice: { amountMinor, currency: "KRW" } },
      ],
      total: { amountMinor, currency: "KRW" },
    });
  const events = [
    cloudEvent(
      "reg-ann",
      "crm.v1.CustomerRegistered",
      daysAgo(60),
      [...ann, { type: "email", value: "Ann@Example.com" }],
      { registrationChannel: "web" },
      { firstName: "Ann", lastName: "Lee" },
    ),
    cloudEvent("consent-ann", "crm.v1.ConsentChanged", daysAgo(59), ann, {
      channel: "email",
      status: "granted",
      source: "web_form",
    }),
    order("order-ann-1", daysAgo(40), ann, 30_000),
    order("order-ann-2", daysAgo(10), ann, 27_500),
    cloudEvent("call-ann-1", "crm.v1.CallLogged", daysAgo(5), ann, {
      callId: "call-ann-1",
      direction: "inbound",
      purpose: "inquiry",
      outcome: "completed",
    }),
    ...crowd.map((number, n) =>
      order(
        `order-${number}`,
        daysAgo(30 + n),
        [
          { type: "customer_number", value: number },
          { type: "phone", value: `+8210300${String(n).padStart(5, "0")}` },
        ],
        20_000 + 1_000 * n,
      ),
    ),
  ];
  const file = join(directory, "history.ndjson");
  await writeFile(file, `${events.map((event) => JSON.stringify(event)).join("\n")}\n`);
  return file;
}

async function upsertOffers(address: string) {
  const client = new OfferServiceClient(address, credentials.createInsecure());
  const upsert = (offerFields: Partial<Offer>) =>
    new Promise((resolve, reject) =>
      client.upsertOffer({ offer: Offer.fromPartial(offerFields) }, new Metadata(), (error, answer) =>
        error ? reject(error) : resolve(answer),
      ),
    );
  try {
    await upsert({
      offerId: "tea-club",
      name: "Tea club invitation",
      kind: OfferKind.OFFER_KIND_EVENT_INVITATION,
      strategy: OfferStrategy.OFFER_STRATEGY_CROSS_SELL,
      channels: [ContactChannel.CONTACT_CHANNEL_EMAIL, ContactChannel.CONTACT_CHANNEL_WEB],
      eligibility: [
        { attribute: "categories", operator: RuleOperator.RULE_OPERATOR_IN, values: ["tea"], threshold: 0 },
      ],
      costMinor: 500,
      valueMinor: 5_000,
    });
    await upsert({
      offerId: "retention-call",
      name: "Dedicated agent call",
      kind: OfferKind.OFFER_KIND_DEDICATED_AGENT,
      strategy: OfferStrategy.OFFER_STRATEGY_RETENTION,
      channels: [ContactChannel.CONTACT_CHANNEL_PHONE],
      eligibility: [
        { attribute: "tier", operator: RuleOperator.RULE_OPERATOR_IN, values: ["purchasing"], threshold: 0 },
      ],
      costMinor: 3_000,
      valueMinor: 30_000,
    });
  } finally {
    client.close();
  }
}

describe("the read commands against the running services", () => {
  it("rapport segments prints the grid, tiers, stages and RFM segments", async () => {
    // The refit rescores every customer into a grid cell.
    const gridCustomers = (json: { grid?: { figures: { customers?: number } }[] }) =>
      (json.grid ?? []).reduce((sum, cell) => sum + (cell.figures.customers ?? 0), 0);
    await waitFor(
      async () => gridCustomers(JSON.parse((await rapport("segments", "--json")).stdout)) === 11,
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: "every customer in a grid cell",
      },
    );
    const shown = await rapport("segments");
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/customer base: \d+ registered, 11 unique/);
    expect(shown.stdout).toMatch(/\n {2}power +loyalty +response +policy +customers +revenue/);
    expect(shown.stdout).toMatch(/\n {2}(high|low) +(high|low) +(high|low) +\w+ +\d+ +[\d,]+/);
    expect(shown.stdout).toMatch(/\nTiers\n.*\n {2}purchasing +11 +/);
  });

  it("rapport customer shows the 360: identity, scores and the previewed offers", async () => {
    const shown = await rapport("customer", "customer_number:C-1");
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Customer cus_\w+\n/);
    expect(shown.stdout).toMatch(/\n {2}email +ann@example\.com +\d{4}-\d\d-\d\d \d\d:\d\d +crm:reg-ann\n/);
    expect(shown.stdout).toMatch(/\n {2}firstName +Ann +crm /);
    expect(shown.stdout).toContain("\n  tier                purchasing\n");
    // The model refitted before: RFM and the grid cell compare Ann with everyone else.
    expect(shown.stdout).toMatch(/\nScores as of .* \(model \S+\)\n/);
    expect(shown.stdout).toMatch(
      /\n {2}segment grid cell +(high|low)_(high|low)_(high|low) \(purchasing power /,
    );
    expect(shown.stdout).toMatch(
      /\n {2}RFM +R\d F\d M\d \w+: \d+ days since the last order \(recent(; R\d by the population's quintiles)?\), 2 orders, 57,500 KRW\n/,
    );
    expect(shown.stdout).toMatch(/\n {2}orders +2 \(0 cancelled, 0 refunded\)\n {2}revenue +57,500 KRW/);
    expect(shown.stdout).toContain("\n  calls               1 inbound, 0 outbound (inquiry 1)\n");
    expect(shown.stdout).toMatch(/\n {2}email +granted +.* +web_form\n/);
    expect(shown.stdout).toMatch(
      /Next best offers for cus_\w+ on web \(preview: nothing recorded, no contact counted\)\n.*\n {2}1 +tea-club +Tea club invitation +cross_sell/,
    );

    const json = await rapport("customer", "email:ANN@example.com", "--channel", "email", "--json");
    expect(json.exitCode, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer.customer.customer.customerId).toBe(answer.identity.graph.customerId);
    expect(answer.customer.summary).toMatchObject({ tier: "purchasing", revenueMinor: 57_500 });
    expect(answer.nextBestOffers.offers[0]).toMatchObject({
      offer: { offerId: "tea-club" },
      channel: "CONTACT_CHANNEL_EMAIL",
    });
    expect(answer.nextBestOffers.offers[0].presentationId).toBeUndefined();
  });

  it("rapport timeline lists the newest events first, as many as --limit asks", async () => {
    const shown = await rapport("timeline", "customer_number:C-1", "--limit", "2");
    expect(shown.exitCode, shown.stderr).toBe(0);
    const lines = shown.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Timeline of cus_\w+, newest first \(2 entries; older ones with a higher --limit\)$/,
    );
    expect(lines[2]).toMatch(/ call +crm +.* crm:call-ann-1$/);
    expect(lines[3]).toMatch(/ order +crm +.* crm:order-ann-2$/);

    const json = JSON.parse((await rapport("timeline", "customer_number:C-1", "--json")).stdout);
    expect(json.entries.map((entry: { eventId: string }) => entry.eventId)).toEqual([
      "crm:call-ann-1",
      "crm:order-ann-2",
      "crm:order-ann-1",
      "crm:consent-ann",
      "crm:reg-ann",
    ]);
  });

  it("rapport offers previews by default and presents for real with --record", async () => {
    const preview = await rapport("offers", "customer_number:C-1", "--channel", "email");
    expect(preview.exitCode, preview.stderr).toBe(0);
    expect(preview.stdout).toContain("on email (preview: nothing recorded, no contact counted)");
    expect(preview.stdout).toMatch(/\n {2}1\. tea-club: .*email opt-in since/);
    expect(preview.stdout).toMatch(/\nNot offered\n.*\n {2}retention-call +/);

    const recorded = JSON.parse(
      (await rapport("offers", "customer_number:C-1", "--channel", "email", "--record", "--json")).stdout,
    );
    expect(recorded.offers[0].offer.offerId).toBe("tea-club");
    expect(recorded.offers[0].presentationId).toMatch(/\S/);
  });

  it("rapport campaign creates a phone campaign, prints its call list and reports on it", async () => {
    const created = await rapport(
      "campaign",
      "create",
      "--id",
      "cli-winback",
      "--name",
      "Win back by phone",
      "--offer",
      "retention-call",
      "--channel",
      "phone",
      "--tier",
      "purchasing",
      "--holdout",
      "0.3",
    );
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Campaign cli-winback "Win back by phone", created /);
    const [, treatment, holdout] =
      /targets +(\d+) to contact, (\d+) held out \(holdout 30%\)/.exec(created.stdout) ?? [];
    expect(Number(treatment) + Number(holdout)).toBe(crowd.length);
    // Ann gave no phone number: the policy keeps her out, and says so.
    expect(created.stdout).toMatch(/\n +1 +no phone number is known for the customer\n/);

    const targets = await rapport("campaign", "targets", "cli-winback", "--limit", "3");
    expect(targets.exitCode, targets.stderr).toBe(0);
    const lines = targets.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`cli-winback call list: 3 of ${treatment}; more with a higher --limit`);
    expect(lines[1]).toMatch(/^ {2}# +customer +priority +phone +best hour +last contact +hints$/);
    expect(lines.slice(2)).toHaveLength(3);
    for (const line of lines.slice(2)) expect(line).toMatch(/^ {2}\d +cus_\w+ +[\d,.]+ +\+8210300\d{5} /);

    const holdoutJson = JSON.parse(
      (await rapport("campaign", "targets", "cli-winback", "--group", "holdout", "--json")).stdout,
    );
    expect(holdoutJson.targets).toHaveLength(Number(holdout));
    expect(holdoutJson.nextPageToken).toBeUndefined();

    const report = await rapport("campaign", "report", "cli-winback");
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toMatch(
      new RegExp(`\\n {2}targeted +${treatment} \\(holdout ${holdout}\\)\\n {2}contacted +0\\n`),
    );
    expect(report.stdout).toMatch(
      /\n {2}conversion +treatment 0\.0%, holdout 0\.0%\n {2}lift +\+0\.0 points \(95% CI /,
    );
    const reportJson = JSON.parse((await rapport("campaign", "report", "cli-winback", "--json")).stdout);
    expect(reportJson).toMatchObject({
      targeted: Number(treatment),
      holdout: Number(holdout),
      campaign: { campaignId: "cli-winback" },
    });

    const unknown = await rapport("campaign", "report", "no-such-campaign");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toBe(
      `rapport campaign: the offer service at ${env.OFFER_GRPC_ADDRESS} answered NOT_FOUND: there is no campaign no-such-campaign\n`,
    );
  });

  it("says in one line which service is down, where, and how to start it", async () => {
    await offer?.stop();
    stops.splice(stops.length - 1, 1);
    const down = await rapport("offers", "customer_number:C-1");
    expect(down.exitCode).toBe(1);
    expect(down.stdout).toBe("");
    expect(down.stderr).toMatch(
      new RegExp(
        `^rapport offers: cannot reach the offer service at ${env.OFFER_GRPC_ADDRESS}: is it running\\? \\(npm start\\) \\[.*\\]\\n$`,
      ),
    );
  }, 60_000);
});
