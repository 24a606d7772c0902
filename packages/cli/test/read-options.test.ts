import { ContactChannel, IdentifierType } from "@rapport/proto";
import { describe, expect, it } from "vitest";
import {
  defaultOfferAddress,
  parseCampaignOptions,
  parseCustomerOptions,
  parseCustomerSubject,
  parseOffersOptions,
  parseSegmentsOptions,
  parseTimelineOptions,
  UsageError,
} from "../src/index.js";

const noEnv = { env: {} };

describe("a customer on the command line", () => {
  it("is a customer id, or an identifier written type:value", () => {
    expect(parseCustomerSubject("cus_3f9a")).toEqual({ $case: "customerId", value: "cus_3f9a" });
    expect(parseCustomerSubject("email:Ann@Example.com")).toEqual({
      $case: "identifier",
      value: { type: IdentifierType.IDENTIFIER_TYPE_EMAIL, value: "Ann@Example.com" },
    });
    // A value may hold colons; the type may be written with a dash.
    expect(parseCustomerSubject("customer-number:C:1001")).toEqual({
      $case: "identifier",
      value: { type: IdentifierType.IDENTIFIER_TYPE_CUSTOMER_NUMBER, value: "C:1001" },
    });
  });

  it("refuses an unknown identifier type, an empty value and nothing at all, saying what to write", () => {
    expect(() => parseCustomerSubject("mail:ann@example.com")).toThrow(
      '"mail" is not an identifier type; write type:value with a type of customer_number, email, phone',
    );
    expect(() => parseCustomerSubject("email:")).toThrow(
      "the email identifier has no value: write email:<value>",
    );
    expect(() => parseCustomerSubject(" ")).toThrow(UsageError);
  });
});

describe("rapport customer, timeline, offers and segments options", () => {
  it("take each service's address from its option, else its environment variable, else npm start's", () => {
    const options = parseCustomerOptions(["email:ann@example.com", "--scoring", "scoring.internal:7000"], {
      env: { IDENTITY_GRPC_ADDRESS: "identity.internal:7001" },
    });
    expect(options).toMatchObject({
      identityAddress: "identity.internal:7001",
      scoringAddress: "scoring.internal:7000",
      offerAddress: defaultOfferAddress,
      channel: ContactChannel.CONTACT_CHANNEL_WEB,
      json: false,
    });
    expect(() => parseCustomerOptions(["cus_1", "--offer-service", "localhost"], noEnv)).toThrow(
      `offer's address "localhost" is not host:port, e.g. ${defaultOfferAddress}`,
    );
  });

  it("name one customer and a known channel", () => {
    expect(() => parseCustomerOptions([], noEnv)).toThrow("give the customer: a customer id or type:value");
    expect(() => parseCustomerOptions(["cus_1", "cus_2"], noEnv)).toThrow("did not expect cus_2");
    expect(() => parseOffersOptions(["cus_1", "--channel", "fax"], noEnv)).toThrow(
      '--channel "fax": choose one of email, sms, phone, post, push, web',
    );
    expect(parseOffersOptions(["cus_1", "--channel", "Phone"], noEnv).channel).toBe(
      ContactChannel.CONTACT_CHANNEL_PHONE,
    );
  });

  it("preview offers unless --record is given", () => {
    expect(parseOffersOptions(["cus_1"], noEnv)).toMatchObject({ record: false, limit: 3 });
    expect(parseOffersOptions(["cus_1", "--record", "--limit", "5", "--json"], noEnv)).toMatchObject({
      record: true,
      limit: 5,
      json: true,
    });
    expect(() => parseOffersOptions(["cus_1", "--limit", "21"], noEnv)).toThrow(
      '--limit "21" is not a whole number from 1 to 20',
    );
  });

  it("show the newest 20 timeline entries unless --limit says otherwise", () => {
    expect(parseTimelineOptions(["cus_1"], noEnv).limit).toBe(20);
    expect(parseTimelineOptions(["cus_1", "--limit", "1200"], noEnv).limit).toBe(1200);
    expect(() => parseTimelineOptions(["cus_1", "--limit", "ten"], noEnv)).toThrow(
      '--limit "ten" is not a whole number',
    );
    expect(() => parseTimelineOptions(["cus_1", "--since", "2024"], noEnv)).toThrow(UsageError);
  });

  it("take no customer for segments", () => {
    expect(parseSegmentsOptions(["--json"], noEnv)).toEqual({
      scoringAddress: "127.0.0.1:50053",
      json: true,
    });
    expect(() => parseSegmentsOptions(["platinum"], noEnv)).toThrow("segments takes no arguments");
  });
});

describe("rapport campaign options", () => {
  it("map create's options to a CreateCampaignRequest", () => {
    const options = parseCampaignOptions(
      [
        "create",
        "--id",
        "winback-q3",
        "--name",
        "Win back by phone",
        "--offer",
        "retention-call",
        "--channel",
        "phone",
        "--holdout",
        "0.3",
        "--tier",
        "purchasing,platinum",
        "--lifecycle",
        "at_risk",
        "--lifecycle",
        "lapsed",
        "--min-churn-risk",
        "0.4",
        "--max-targets",
        "500",
      ],
      noEnv,
    );
    expect(options).toEqual({
      action: "create",
      request: {
        campaignId: "winback-q3",
        name: "Win back by phone",
        offerId: "retention-call",
        channel: ContactChannel.CONTACT_CHANNEL_PHONE,
        audience: {
          tiers: ["purchasing", "platinum"],
          lifecycleStages: ["at_risk", "lapsed"],
          rfmSegments: [],
          segmentCells: [],
          minPredictedValueMinor: undefined,
          minChurnRisk: 0.4,
          maxTargets: 500,
        },
        holdoutPercent: 30,
        measurementDays: 30,
      },
      offerAddress: defaultOfferAddress,
      json: false,
    });
  });

  it("read a holdout as a fraction or a percentage, 10% when not given, at most half", () => {
    const create = (...extra: string[]) =>
      parseCampaignOptions(["create", "--name", "n", "--offer", "o", "--channel", "email", ...extra], noEnv);
    const holdoutOf = (...extra: string[]) => {
      const options = create(...extra);
      return options.action === "create" ? options.request.holdoutPercent : Number.NaN;
    };
    expect(holdoutOf()).toBe(10);
    expect(holdoutOf("--holdout", "25%")).toBe(25);
    expect(holdoutOf("--holdout", "0")).toBe(0);
    expect(() => create("--holdout", "0.6")).toThrow(
      '--holdout "0.6" is not a share from 0 to 0.5: write a fraction (0.25) or a percentage (25%)',
    );
    expect(() => create("--holdout", "%")).toThrow(UsageError);
  });

  it("require a name, an offer and a channel to create, and say which is missing", () => {
    expect(() => parseCampaignOptions(["create", "--offer", "o", "--channel", "email"], noEnv)).toThrow(
      "--name is required: what the campaign is called",
    );
    expect(() => parseCampaignOptions(["create", "--name", "n", "--channel", "email"], noEnv)).toThrow(
      "--offer is required",
    );
    expect(() => parseCampaignOptions(["create", "--name", "n", "--offer", "o"], noEnv)).toThrow(
      "--channel is required",
    );
  });

  it("read targets and report, and refuse an unknown action or group", () => {
    expect(
      parseCampaignOptions(["targets", "winback-q3", "--limit", "50", "--group", "holdout"], noEnv),
    ).toEqual({
      action: "targets",
      campaignId: "winback-q3",
      group: "holdout",
      limit: 50,
      offerAddress: defaultOfferAddress,
      json: false,
    });
    expect(
      parseCampaignOptions(["report", "winback-q3", "--json"], { env: { OFFER_GRPC_ADDRESS: "offer:1" } }),
    ).toEqual({
      action: "report",
      campaignId: "winback-q3",
      offerAddress: "offer:1",
      json: true,
    });
    expect(() => parseCampaignOptions(["targets", "winback-q3", "--group", "control"], noEnv)).toThrow(
      '--group "control": choose treatment (the list to contact) or holdout',
    );
    expect(() => parseCampaignOptions(["launch"], noEnv)).toThrow(
      '"launch" is not what to do with campaigns: rapport campaign <create|targets|report>',
    );
    expect(() => parseCampaignOptions(["report"], noEnv)).toThrow("give the campaign id");
  });
});
