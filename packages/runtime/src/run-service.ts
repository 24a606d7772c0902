import { ConfigurationError } from "@rapport/config";
import { createLogger, type Logger, startTracing } from "@rapport/telemetry";

export type RunServiceOptions<Config, Service extends { stop(): Promise<void> }> = {
  /** The service name in logs and traces, e.g. "ingestion". */
  name: string;
  loadConfig(): Config;
  telemetry(config: Config): { logLevel: string; otlpTracesEndpoint?: string | undefined };
  start(config: Config, logger: Logger, onFatal: (error: Error) => void): Promise<Service>;
  describe(service: Service): Record<string, unknown>;
};

// EX_CONFIG from sysexits.h: the process cannot run as configured, restarting will not help.
const exitConfigurationError = 78;
const stopTimeoutMs = 20_000;

/**
 * Runs a service process: validates its configuration (naming each bad variable), sets up tracing,
 * starts it, and stops it cleanly on SIGTERM or SIGINT. A fatal error (a consumer that cannot go on)
 * stops it too, with a non-zero exit so the orchestrator restarts it.
 */
export async function runService<Config, Service extends { stop(): Promise<void> }>(
  options: RunServiceOptions<Config, Service>,
): Promise<void> {
  let config: Config;
  try {
    config = options.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(`rapport-${options.name}: ${error.message}`);
    process.exit(exitConfigurationError);
  }
  const telemetry = options.telemetry(config);
  const tracing = startTracing({
    serviceName: `rapport-${options.name}`,
    otlpTracesEndpoint: telemetry.otlpTracesEndpoint,
  });
  const logger = createLogger({ service: options.name, level: telemetry.logLevel });

  let service: Service | undefined;
  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ exitCode }, `${options.name} stopping`);
    setTimeout(() => process.exit(exitCode || 1), stopTimeoutMs).unref();
    await service?.stop().catch((error: unknown) => logger.error({ err: error }, "clean stop failed"));
    await tracing.shutdown().catch(() => undefined);
    process.exit(exitCode);
  };
  process.once("SIGTERM", () => void stop(0));
  process.once("SIGINT", () => void stop(0));

  try {
    service = await options.start(config, logger, (error) => {
      logger.fatal({ err: error }, `${options.name} cannot go on; exiting so that it is restarted`);
      void stop(1);
    });
  } catch (error) {
    logger.fatal({ err: error }, `${options.name} failed to start`);
    console.error(
      `rapport-${options.name} failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    await tracing.shutdown().catch(() => undefined);
    process.exit(1);
  }
  logger.info(options.describe(service), `${options.name} ready`);
}
