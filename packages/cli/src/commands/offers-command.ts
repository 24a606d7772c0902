import { GetNextBestOffersResponse } from "@rapport/proto";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createOfferClient } from "../io/offer-client.js";
import { channelNames } from "../views/enum-labels.js";
import { messageJson } from "../views/message-json.js";
import { nextBestOffersLines } from "../views/next-best-offers-lines.js";
import { parseOffersOptions } from "./offers-options.js";
import { defaultOfferAddress } from "./service-address.js";

const usage = `Usage: rapport offers <customer id | type:value> [options]

The customer's next best offers on a channel (OfferService.GetNextBestOffers), ranked by expected
net value, each with why the customer may get it (eligibility rules and contact-policy checks
passed), and the offers not made with the first rule that refused each.

By default this is a preview: nothing is recorded and no contact is counted. With --record the
offers are presented for real: each is recorded on crm.offers (its presentation id is printed,
to name when recording the response) and counts against the contact caps.

Options:
  --channel <channel>          ${channelNames.names.join(", ")} (default web)
  --limit <n>                  offers to rank, 1 to 20 (default 3)
  --record                     present the offers for real instead of previewing them
  --offer-service <host:port>  the offer service's gRPC address
                               (default $OFFER_GRPC_ADDRESS, else ${defaultOfferAddress})
  --json                       print GetNextBestOffersResponse as JSON
  -h, --help                   show this help

Exit codes: 0 printed; 1 the offer service is unreachable or knows no such customer; 64 wrong
command line.

Example:
  rapport offers email:ann@example.com --channel email
`;

export const offersCommand: Command = {
  name: "offers",
  summary:
    "a customer's next best offers with their reasons and the offers not made (preview unless --record)",
  usage,
  async run(args, io) {
    const options = parseOffersOptions(args, io);
    const offer = createOfferClient({ address: options.offerAddress });
    try {
      const answer = await offer.getNextBestOffers({
        subject: options.subject,
        channel: options.channel,
        limit: options.limit,
        context: { strategies: [], placement: "rapport offers", explore: false, preview: !options.record },
      });
      const lines = options.json
        ? [messageJson(GetNextBestOffersResponse.toJSON(answer)).trimEnd()]
        : [
            ...nextBestOffersLines(answer, options.channel, { isPreview: !options.record }),
            ...(options.record ? [] : ["Nothing was presented: --record presents these offers for real."]),
          ];
      io.stdout.write(`${lines.join("\n")}\n`);
      return exitCodes.ok;
    } finally {
      offer.close();
    }
  },
};
