import { loadScoringConfig, type ReplayProgress, replayScoring } from "@rapport/scoring";
import { pino } from "pino";
import { FatalError, UsageError } from "../cli-errors.js";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createProgressReporter } from "../io/progress-reporter.js";

const usage = `Usage: rapport replay scoring

Rebuilds every scoring projection (customers, scores, population models) from offset zero of
crm.events.resolved, crm.offers, crm.identity and crm.scoring into the next projection version: a database
and consumer group of its own, beside the version serving now. Once it has caught up with the
log as it stood when the replay began, the new version is activated; running scoring instances
switch to it within seconds, without a restart, and keep it current. Changes are not announced
again on crm.customer.changes, and unreadable records are not dead-lettered again.

The previous version's database stays; drop it once the new one serves (its name is printed).

Configuration comes from the environment, as scoring's does: KAFKA_BROKERS, MONGODB_URI,
KAFKA_TOPIC_PREFIX, SCORING_DATABASE, SCORING_CONSUMER_GROUP, SCORING_STORE_BUCKETS and the
SCORING_* scoring settings (see services/scoring/README.md).

Options:
  -h, --help   show this help

Exit codes: 0 replayed and activated; 1 the replay failed (nothing was activated); 64 wrong
command line.
`;

export const replayCommand: Command = {
  name: "replay",
  summary: "rebuild a service's projections from offset zero and swap them in without downtime",
  usage,
  async run(args, io) {
    if (args.length !== 1 || args[0] !== "scoring")
      throw new UsageError("name the service to replay: rapport replay scoring");
    let config: ReturnType<typeof loadScoringConfig>;
    try {
      config = loadScoringConfig(io.env as NodeJS.ProcessEnv);
    } catch (error) {
      throw new FatalError((error as Error).message);
    }
    const clock = () => performance.now();
    const startedAt = clock();
    const progress = createProgressReporter({ output: io.stderr, clock });
    const line = ({ consumed, total }: ReplayProgress) =>
      `replaying scoring: ${consumed.toLocaleString("en")} of ${total.toLocaleString("en")} records (${
        total === 0 ? 100 : Math.floor((100 * consumed) / total)
      }%), ${((clock() - startedAt) / 1000).toFixed(0)} s`;
    const result = await replayScoring({
      config,
      logger: pino({ level: "warn" }, pino.destination(2)),
      onProgress: (step) => progress.update(() => line(step)),
    }).catch((error: unknown) => {
      throw new FatalError(`the replay failed and nothing was activated: ${(error as Error).message}`);
    });
    progress.finish(line({ consumed: result.records, total: result.records }));
    io.stdout.write(
      `activated projection version ${result.activated.version} (database ${result.activated.database}, ` +
        `consumer group ${result.activated.consumerGroup}); version ${result.previous.version} ` +
        `(database ${result.previous.database}) no longer serves and can be dropped\n`,
    );
    return exitCodes.ok;
  },
};
