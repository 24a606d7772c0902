import { runService } from "@rapport/runtime";
import { startOfferService } from "./app.js";
import { loadOfferConfig } from "./config.js";

await runService({
  name: "offer",
  loadConfig: () => loadOfferConfig(),
  telemetry: (config) => ({
    logLevel: config.LOG_LEVEL,
    otlpTracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  }),
  start: (config, logger, onFatal) => startOfferService({ config, logger, onFatal }),
  describe: (service) => ({ httpPort: service.httpPort, grpcPort: service.grpcPort }),
});
