import { runService } from "@rapport/runtime";
import { startIngestionService } from "./app.js";
import { loadIngestionConfig } from "./config.js";

await runService({
  name: "ingestion",
  loadConfig: () => loadIngestionConfig(),
  telemetry: (config) => ({
    logLevel: config.LOG_LEVEL,
    otlpTracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  }),
  start: (config, logger, onFatal) => startIngestionService({ config, logger, onFatal }),
  describe: (service) => ({ httpPort: service.httpPort, grpcPort: service.grpcPort }),
});
