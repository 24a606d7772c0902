import type { CreateCampaignRequest } from "@rapport/proto";
import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import { channelOption } from "./channel-option.js";
import { onePositional, parseCommandLine, wholeNumberOption } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export const campaignActions = ["create", "targets", "report"] as const;
export type CampaignAction = (typeof campaignActions)[number];

export type CampaignOptions = { offerAddress: string; json: boolean } & (
  | { action: "create"; request: CreateCampaignRequest }
  | { action: "targets"; campaignId: string; group: "treatment" | "holdout"; limit: number }
  | { action: "report"; campaignId: string }
);

/** The share of targets held out when --holdout is not given: enough to measure a lift. */
export const defaultHoldoutShare = 0.1;
export const defaultTargetsLimit = 100;
export const maxTargetsLimit = 100_000;

/** Reads `rapport campaign <create|targets|report>` arguments; a mistake is a UsageError. */
export function parseCampaignOptions(args: readonly string[], io: Pick<CommandIo, "env">): CampaignOptions {
  const [action, ...rest] = args;
  if (action === undefined || !isCampaignAction(action)) {
    throw new UsageError(
      `${action === undefined ? "give" : `"${action}" is not`} what to do with campaigns: rapport campaign <${campaignActions.join("|")}>`,
    );
  }
  switch (action) {
    case "create":
      return createOptions(rest, io);
    case "targets": {
      const { values, positionals } = parseCommandLine(rest, {
        group: { type: "string" },
        limit: { type: "string" },
        ...addressOption("offer"),
        json: { type: "boolean" },
      });
      const group = values.group ?? "treatment";
      if (group !== "treatment" && group !== "holdout")
        throw new UsageError(`--group "${group}": choose treatment (the list to contact) or holdout`);
      return {
        action,
        campaignId: onePositional(positionals, "the campaign id"),
        group,
        limit: wholeNumberOption("limit", values.limit, {
          min: 1,
          max: maxTargetsLimit,
          fallback: defaultTargetsLimit,
        }),
        offerAddress: serviceAddress("offer", values, io),
        json: values.json ?? false,
      };
    }
    case "report": {
      const { values, positionals } = parseCommandLine(rest, {
        ...addressOption("offer"),
        json: { type: "boolean" },
      });
      return {
        action,
        campaignId: onePositional(positionals, "the campaign id"),
        offerAddress: serviceAddress("offer", values, io),
        json: values.json ?? false,
      };
    }
    default: {
      const unhandled: never = action;
      return unhandled;
    }
  }
}

function createOptions(args: readonly string[], io: Pick<CommandIo, "env">): CampaignOptions {
  const { values, positionals } = parseCommandLine(args, {
    id: { type: "string" },
    name: { type: "string" },
    offer: { type: "string" },
    channel: { type: "string" },
    holdout: { type: "string" },
    tier: { type: "string", multiple: true },
    lifecycle: { type: "string", multiple: true },
    "rfm-segment": { type: "string", multiple: true },
    cell: { type: "string", multiple: true },
    "min-predicted-value": { type: "string" },
    "min-churn-risk": { type: "string" },
    "max-targets": { type: "string" },
    "measurement-days": { type: "string" },
    ...addressOption("offer"),
    json: { type: "boolean" },
  });
  if (positionals.length > 0)
    throw new UsageError(`campaign create takes options only; did not expect ${positionals.join(" ")}`);
  const name = required("name", values.name, "what the campaign is called");
  const offerId = required("offer", values.offer, "the id of the catalog offer it makes");
  const channel = channelOption(
    required("channel", values.channel, "how targets are contacted, e.g. phone or email"),
  );
  const minPredicted = values["min-predicted-value"];
  const minChurnRisk = values["min-churn-risk"];
  return {
    action: "create",
    request: {
      campaignId: values.id?.trim() ?? "",
      name,
      offerId,
      channel,
      audience: {
        tiers: listOption(values.tier),
        lifecycleStages: listOption(values.lifecycle),
        rfmSegments: listOption(values["rfm-segment"]),
        segmentCells: listOption(values.cell),
        minPredictedValueMinor:
          minPredicted === undefined
            ? undefined
            : wholeNumberOption("min-predicted-value", minPredicted, {
                min: 0,
                max: Number.MAX_SAFE_INTEGER,
                fallback: 0,
              }),
        minChurnRisk: minChurnRisk === undefined ? undefined : shareOption("min-churn-risk", minChurnRisk, 1),
        maxTargets: wholeNumberOption("max-targets", values["max-targets"], {
          min: 0,
          max: 2 ** 31 - 1,
          fallback: 0,
        }),
      },
      holdoutPercent: asPercent(
        values.holdout === undefined ? defaultHoldoutShare : shareOption("holdout", values.holdout, 0.5),
      ),
      measurementDays: wholeNumberOption("measurement-days", values["measurement-days"], {
        min: 1,
        max: 3_650,
        fallback: 30,
      }),
    },
    offerAddress: serviceAddress("offer", values, io),
    json: values.json ?? false,
  };
}

function required(option: string, value: string | undefined, what: string): string {
  const given = value?.trim() ?? "";
  if (given === "") throw new UsageError(`--${option} is required: ${what}`);
  return given;
}

/** Repeated options, each of which may also be a comma-separated list. */
function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** A share from 0 to `max`, written as a fraction (0.3) or a percentage (30%). */
function shareOption(option: string, text: string, max: number): number {
  const written = text.trim();
  const isPercent = written.endsWith("%");
  const number = Number(isPercent ? written.slice(0, -1) : written);
  const share = isPercent ? number / 100 : number;
  if (written === "" || written === "%" || !Number.isFinite(share) || share < 0 || share > max) {
    throw new UsageError(
      `--${option} "${text}" is not a share from 0 to ${max}: write a fraction (${max / 2}) or a percentage (${(max * 100) / 2}%)`,
    );
  }
  return share;
}

/** 0.3 as 30, not 30.000000000000004. */
const asPercent = (share: number) => Math.round(share * 1e8) / 1e6;

function isCampaignAction(value: string): value is CampaignAction {
  return (campaignActions as readonly string[]).includes(value);
}
