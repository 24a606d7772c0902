import { loadIdentityConfig, replayIdentity } from "@rapport/identity";
import { loadOfferConfig, replayOffer } from "@rapport/offer";
import type { ReplayProgress, ReplayResult } from "@rapport/runtime";
import { loadScoringConfig, replayScoring } from "@rapport/scoring";
import type { Logger } from "@rapport/telemetry";
import { pino } from "pino";
import { FatalError, UsageError } from "../cli-errors.js";
import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { createProgressReporter } from "../io/progress-reporter.js";
import { replayUsage } from "./replay-usage.js";

type ReplayRun = { logger: Logger; onProgress: (progress: ReplayProgress) => void };

/** The services whose projections can be rebuilt: each loads its own configuration, then replays. */
const replayable: Record<string, (env: NodeJS.ProcessEnv) => (run: ReplayRun) => Promise<ReplayResult>> = {
  identity: (env) => {
    const config = loadIdentityConfig(env);
    return (run) => replayIdentity({ config, ...run });
  },
  scoring: (env) => {
    const config = loadScoringConfig(env);
    return (run) => replayScoring({ config, ...run });
  },
  offer: (env) => {
    const config = loadOfferConfig(env);
    return (run) => replayOffer({ config, ...run });
  },
};

/** Why ingestion has no `replay`. */
const notReplayable: Record<string, string> = {
  ingestion:
    "ingestion has no projection to rebuild: its store is the index of the event ids it has appended to " +
    "crm.events, which is what keeps an event from being appended twice. Rebuilding it from the log would " +
    "give the same index; dropping it would let redelivered events in again. To process rejected input " +
    "again, use rapport dlq redrive.",
};

const services = [...Object.keys(replayable), ...Object.keys(notReplayable)];

export const replayCommand: Command = {
  name: "replay",
  summary: "rebuild a service's projections from offset zero and swap them in without downtime",
  usage: replayUsage,
  async run(args, io) {
    const [service] = args;
    if (args.length !== 1 || service === undefined || !services.includes(service))
      throw new UsageError(
        `name the service to replay: rapport replay <${Object.keys(replayable).join("|")}>`,
      );
    const why = notReplayable[service];
    if (why !== undefined) throw new UsageError(why);
    const load = replayable[service] as (typeof replayable)[string];
    let replay: ReturnType<typeof load>;
    try {
      replay = load(io.env as NodeJS.ProcessEnv);
    } catch (error) {
      throw new FatalError((error as Error).message);
    }
    const clock = () => performance.now();
    const startedAt = clock();
    const progress = createProgressReporter({ output: io.stderr, clock });
    const line = ({ consumed, total }: ReplayProgress) =>
      `replaying ${service}: ${consumed.toLocaleString("en")} of ${total.toLocaleString("en")} records (${
        total === 0 ? 100 : Math.floor((100 * consumed) / total)
      }%), ${((clock() - startedAt) / 1000).toFixed(0)} s`;
    const result = await replay({
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
