import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createScoringClient } from "../io/scoring-client.js";
import { populationModelJson, populationModelText } from "../model/population-model-text.js";
import { parseModelOptions } from "./model-options.js";
import { defaultScoringAddress } from "./service-address.js";

const usage = `Usage: rapport model scoring [options]

Prints the population model scoring scores with now (CustomerService.GetModel): when it was
fitted and on how many customers, the RFM quintile breakpoints, the segment grid's thresholds,
and the BG/NBD and Gamma-Gamma fits (parameters, log-likelihood, customers, iterations, whether
the optimiser converged). Amounts are minor units of scoring's SCORING_CURRENCY.

Options:
  --scoring <host:port>   scoring's gRPC address
                          (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --json                  print the model as JSON (the proto's field names; a fit not made is null)
  -h, --help              show this help

Scoring fits a model on its schedule (every SCORING_REFIT_MINUTES) and when asked
(CustomerService.RefitModels); until the first fit there is none to show.

Exit codes: 0 printed; 1 scoring unreachable or without a model yet; 64 wrong command line.

Example:
  rapport model scoring --json > model.json
`;

export const modelCommand: Command = {
  name: "model",
  summary: "show scoring's population model: RFM breakpoints, grid thresholds, BG/NBD and Gamma-Gamma fits",
  usage,
  async run(args, io) {
    const options = parseModelOptions(args, io);
    const client = createScoringClient({ address: options.scoringAddress });
    try {
      const model = await client.getModel();
      io.stdout.write(options.json ? populationModelJson(model) : populationModelText(model));
      return exitCodes.ok;
    } finally {
      client.close();
    }
  },
};
