import { runService } from "@rapport/runtime";
import { startScoringService } from "./app.js";
import { loadScoringConfig } from "./config.js";

await runService({
  name: "scoring",
  loadConfig: () => loadScoringConfig(),
  telemetry: (config) => ({
    logLevel: config.LOG_LEVEL,
    otlpTracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  }),
  start: (config, logger, onFatal) => startScoringService({ config, logger, onFatal }),
  describe: (service) => ({ httpPort: service.httpPort, grpcPort: service.grpcPort }),
});
