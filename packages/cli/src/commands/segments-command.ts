import { GetSegmentReportResponse } from "@rapport/proto";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createScoringClient } from "../io/scoring-client.js";
import { messageJson } from "../views/message-json.js";
import { segmentReportLines } from "../views/segment-report-lines.js";
import { parseSegmentsOptions } from "./segments-options.js";
import { defaultScoringAddress } from "./service-address.js";

const usage = `Usage: rapport segments [options]

The segment report from scoring's CustomerService.GetSegmentReport: the customer base (registered,
unique, merged duplicates, active, meaningful), the segment grid of purchasing power x loyalty x
response propensity with each cell's response policy, and the tiers, lifecycle stages and RFM
segments, each with customers, revenue and mean historic and predicted lifetime value (minor
units of scoring's SCORING_CURRENCY). The grid has cells once a population model is fitted.

Options:
  --scoring <host:port>   scoring's gRPC address
                          (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --json                  print GetSegmentReportResponse as JSON
  -h, --help              show this help

Exit codes: 0 printed; 1 scoring is unreachable; 64 wrong command line.
`;

export const segmentsCommand: Command = {
  name: "segments",
  summary: "the segment grid, tiers, lifecycle stages and RFM segments with their customers and value",
  usage,
  async run(args, io) {
    const options = parseSegmentsOptions(args, io);
    const scoring = createScoringClient({ address: options.scoringAddress });
    try {
      const report = await scoring.getSegmentReport();
      io.stdout.write(
        options.json
          ? messageJson(GetSegmentReportResponse.toJSON(report))
          : `${segmentReportLines(report).join("\n")}\n`,
      );
      return exitCodes.ok;
    } finally {
      scoring.close();
    }
  },
};
