import { runService } from "@rapport/runtime";
import { startIdentityService } from "./app.js";
import { loadIdentityConfig } from "./config.js";

await runService({
  name: "identity",
  loadConfig: () => loadIdentityConfig(),
  telemetry: (config) => ({
    logLevel: config.LOG_LEVEL,
    otlpTracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  }),
  start: (config, logger, onFatal) => startIdentityService({ config, logger, onFatal }),
  describe: (service) => ({ httpPort: service.httpPort, grpcPort: service.grpcPort }),
});
