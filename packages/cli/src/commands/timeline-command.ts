import { GetTimelineResponse } from "@rapport/proto";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { readUpTo } from "../io/paged-read.js";
import { createScoringClient } from "../io/scoring-client.js";
import { messageJson } from "../views/message-json.js";
import { timelineLines } from "../views/timeline-lines.js";
import { defaultScoringAddress } from "./service-address.js";
import { defaultTimelineLimit, maxTimelineLimit, parseTimelineOptions } from "./timeline-options.js";

/** The most entries GetTimeline answers in one page. */
const maxTimelinePage = 500;

const usage = `Usage: rapport timeline <customer id | type:value> [options]

The customer's facts, newest first, from scoring's CustomerService.GetTimeline: orders,
cancellations and refunds, calls, page views, surveys, consents, registrations, profile changes and
offer responses, each with its time (UTC), kind, source, a line saying what happened, and its event id.

Name the customer by id or by an identifier as type:value, e.g. email:ann@example.com.

Options:
  --limit <n>              the newest entries to show, 1 to ${maxTimelineLimit} (default ${defaultTimelineLimit})
  --scoring <host:port>    scoring's gRPC address
                           (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --json                   print GetTimelineResponse as JSON (the entries shown; next_page_token
                           set when older ones were left out)
  -h, --help               show this help

Exit codes: 0 printed; 1 scoring is unreachable or knows no such customer; 64 wrong command line.

Example:
  rapport timeline customer_number:C-1001 --limit 50
`;

export const timelineCommand: Command = {
  name: "timeline",
  summary: "a customer's events, newest first: orders, calls, visits, surveys, consents, responses",
  usage,
  async run(args, io) {
    const options = parseTimelineOptions(args, io);
    const scoring = createScoringClient({ address: options.scoringAddress });
    try {
      const read = await readUpTo(
        options.limit,
        maxTimelinePage,
        (pageSize, pageToken) => scoring.getTimeline(options.subject, pageSize, pageToken),
        (page) => page.entries,
      );
      const timeline = {
        customerId: read.firstPage.customerId,
        entries: read.items,
        nextPageToken: read.nextPageToken,
      };
      io.stdout.write(
        options.json
          ? messageJson(GetTimelineResponse.toJSON(timeline))
          : `${timelineLines(timeline, { hasMore: read.nextPageToken !== "" }).join("\n")}\n`,
      );
      return exitCodes.ok;
    } finally {
      scoring.close();
    }
  },
};
