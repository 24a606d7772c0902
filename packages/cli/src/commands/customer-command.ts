import { GetCustomerResponse, GetIdentityGraphResponse, GetNextBestOffersResponse } from "@rapport/proto";
import type { Command } from "../command.js";
import type { CustomerSubject } from "../customer-subject.js";
import { exitCodes } from "../exit-codes.js";
import { createIdentityClient } from "../io/identity-client.js";
import { createOfferClient } from "../io/offer-client.js";
import { createScoringClient } from "../io/scoring-client.js";
import { customer360Lines } from "../views/customer-360-lines.js";
import { channelNames } from "../views/enum-labels.js";
import { messageJson } from "../views/message-json.js";
import { parseCustomerOptions } from "./customer-options.js";
import { defaultIdentityAddress, defaultOfferAddress, defaultScoringAddress } from "./service-address.js";

const usage = `Usage: rapport customer <customer id | type:value> [options]

The customer 360: who the customer is (identity: customer id, identifiers, merges, golden record),
how they score and what they did (scoring: tier, lifecycle, segment grid cell, RFM, lifetime value,
churn risk, orders, service history, web engagement, survey sentiment, consents, contacts), and
the next best offers for them, previewed: nothing is recorded and no contact is counted.

Name the customer by id (cus_3f9a…) or by any identifier as type:value, e.g. email:ann@example.com,
phone:+821012345678, customer_number:C-1001, loyalty_card:…, device_id:…, cookie_id:….

Options:
  --channel <channel>          the channel offers are previewed on: ${channelNames.names.join(", ")}
                               (default web)
  --identity <host:port>       identity's gRPC address
                               (default $IDENTITY_GRPC_ADDRESS, else ${defaultIdentityAddress})
  --scoring <host:port>        scoring's gRPC address
                               (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --offer-service <host:port>  the offer service's gRPC address
                               (default $OFFER_GRPC_ADDRESS, else ${defaultOfferAddress})
  --json                       print the three answers as JSON: identity (GetIdentityGraphResponse),
                               customer (GetCustomerResponse), nextBestOffers (GetNextBestOffersResponse)
  -h, --help                   show this help

Exit codes: 0 printed; 1 a service is unreachable or knows no such customer; 64 wrong command line.

Example:
  rapport customer email:ann@example.com --channel email
`;

export const customerCommand: Command = {
  name: "customer",
  summary: "the customer 360: identity, scores and history, and the next best offers (previewed)",
  usage,
  async run(args, io) {
    const options = parseCustomerOptions(args, io);
    const identity = createIdentityClient({ address: options.identityAddress });
    const scoring = createScoringClient({ address: options.scoringAddress });
    const offer = createOfferClient({ address: options.offerAddress });
    try {
      // Identity says who the customer is now (a merged id or an identifier answers with the survivor).
      const graph = await identity.getIdentityGraph(options.subject);
      const subject: CustomerSubject = { $case: "customerId", value: graph.customerId };
      const [customer, offers] = await Promise.all([
        scoring.getCustomer(subject),
        offer.getNextBestOffers({
          subject,
          channel: options.channel,
          limit: 3,
          context: { strategies: [], placement: "rapport customer", explore: false, preview: true },
        }),
      ]);
      io.stdout.write(
        options.json
          ? messageJson({
              identity: GetIdentityGraphResponse.toJSON({ graph }),
              customer: GetCustomerResponse.toJSON(customer),
              nextBestOffers: GetNextBestOffersResponse.toJSON(offers),
            })
          : `${customer360Lines({ graph, customer, offers, channel: options.channel }).join("\n")}\n`,
      );
      return exitCodes.ok;
    } finally {
      identity.close();
      scoring.close();
      offer.close();
    }
  },
};
