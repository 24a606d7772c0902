export {
  flag,
  kafkaConfig,
  list,
  mongoConfig,
  phoneRegion,
  port,
  positiveInt,
  serverConfig,
  telemetryConfig,
} from "./fragments.js";
export { ConfigurationError, loadConfig } from "./load-config.js";
