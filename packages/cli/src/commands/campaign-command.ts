import {
  CreateCampaignResponse,
  GetCampaignReportResponse,
  GetCampaignTargetsResponse,
} from "@rapport/proto";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createOfferClient, type OfferClient } from "../io/offer-client.js";
import { readUpTo } from "../io/paged-read.js";
import { campaignLines, campaignReportLines, campaignTargetsLines } from "../views/campaign-lines.js";
import { channelNames } from "../views/enum-labels.js";
import { messageJson } from "../views/message-json.js";
import {
  type CampaignOptions,
  defaultHoldoutShare,
  defaultTargetsLimit,
  maxTargetsLimit,
  parseCampaignOptions,
} from "./campaign-options.js";
import { defaultOfferAddress } from "./service-address.js";

/** The most targets GetCampaignTargets answers in one page. */
const maxTargetsPage = 1_000;

const usage = `Usage: rapport campaign create --name <name> --offer <offer id> --channel <channel> [options]
       rapport campaign targets <campaign id> [--group treatment|holdout] [--limit <n>]
       rapport campaign report <campaign id>

create freezes a campaign's target list (OfferService.CreateCampaign): the customers the audience
  matches, less those the offer's rules or the channel's contact policy exclude (counted by reason),
  in priority order, with a randomised holdout that gets nothing.
    --id <campaign id>            choose the id, so that creating again is the same campaign
                                  (default: the offer service makes one)
    --name <name>                 required
    --offer <offer id>            required: the catalog offer the campaign makes
    --channel <channel>           required: ${channelNames.names.join(", ")}
    --holdout <share>             held out, 0 to 0.5 or 0% to 50% (default ${defaultHoldoutShare})
    --tier <tier>                 the audience: tiers (registered, purchasing, platinum),
    --lifecycle <stage>           lifecycle stages (new_stage_1, active, at_risk, lapsed, ...),
    --rfm-segment <segment>       RFM segments (champions, at_risk, ...) and grid cells as
    --cell <cell>                 power_loyalty_response (high_high_low); each option repeatable
                                  or comma-separated, any of its values matches
    --min-predicted-value <minor> predicted lifetime value at least this (minor units)
    --min-churn-risk <share>      churn risk at least this, 0 to 1
    --max-targets <n>             at most this many targets, highest priority first (default all)
    --measurement-days <n>        days after creation in which purchases count (default 30)

targets prints the frozen list in priority order (OfferService.GetCampaignTargets): for a phone
  campaign the call list (number, the hour the customer answered most, last contact, hints for the
  agent), for email the addresses.
    --group <group>               treatment, the list to contact (default), or holdout
    --limit <n>                   targets to print, 1 to ${maxTargetsLimit} (default ${defaultTargetsLimit})

report prints the outcome (OfferService.GetCampaignReport): targeted, contacted, responded, response
  rate, revenue, cost, ROI, and the conversion lift over the holdout with its 95% interval.

Every action:
    --offer-service <host:port>   the offer service's gRPC address
                                  (default $OFFER_GRPC_ADDRESS, else ${defaultOfferAddress})
    --json                        print the answer as JSON (CreateCampaignResponse,
                                  GetCampaignTargetsResponse with the targets printed,
                                  GetCampaignReportResponse)
    -h, --help                    show this help

Exit codes: 0 done; 1 the offer service is unreachable, or refused (unknown offer or campaign, a
retired offer); 64 wrong command line.

Example:
  rapport campaign create --id winback-q3 --name "Win back by phone" --offer retention-call \\
    --channel phone --tier purchasing,platinum --lifecycle at_risk --holdout 0.3
  rapport campaign targets winback-q3 --limit 50
  rapport campaign report winback-q3
`;

export const campaignCommand: Command = {
  name: "campaign",
  summary: "create a campaign with a holdout, print its call list, report its response, ROI and lift",
  usage,
  async run(args, io) {
    const options = parseCampaignOptions(args, io);
    const offer = createOfferClient({ address: options.offerAddress });
    try {
      io.stdout.write(`${(await campaignOutput(options, offer)).join("\n")}\n`);
      return exitCodes.ok;
    } finally {
      offer.close();
    }
  },
};

async function campaignOutput(options: CampaignOptions, offer: OfferClient): Promise<string[]> {
  const json = (value: unknown) => [messageJson(value).trimEnd()];
  switch (options.action) {
    case "create": {
      const created = await offer.createCampaign(options.request);
      if (options.json) return json(CreateCampaignResponse.toJSON(created));
      return created.campaign
        ? campaignLines(created.campaign)
        : ["the offer service answered without a campaign"];
    }
    case "targets": {
      const read = await readUpTo(
        options.limit,
        maxTargetsPage,
        (pageSize, pageToken) =>
          offer.getCampaignTargets({
            campaignId: options.campaignId,
            group: options.group,
            pageSize,
            pageToken,
          }),
        (page) => page.targets,
      );
      const page = {
        campaign: read.firstPage.campaign,
        targets: read.items,
        nextPageToken: read.nextPageToken,
      };
      if (options.json) return json(GetCampaignTargetsResponse.toJSON(page));
      return campaignTargetsLines(page, { group: options.group, hasMore: read.nextPageToken !== "" });
    }
    case "report": {
      const report = await offer.getCampaignReport(options.campaignId);
      return options.json ? json(GetCampaignReportResponse.toJSON(report)) : campaignReportLines(report);
    }
    default: {
      const unhandled: never = options;
      return unhandled;
    }
  }
}
