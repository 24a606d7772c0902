export { flag, kafkaConfig, list, mongoConfig, port, positiveInt, telemetryConfig } from "./fragments.js";
export { ConfigurationError, loadConfig } from "./load-config.js";
