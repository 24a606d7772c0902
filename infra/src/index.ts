export { resolveCacheDir, resolvePersistentDataDir, stateFilePath } from "./cache-dir.js";
export { isFerretdbProvisioned, provisionFerretdb } from "./ferretdb-provisioning.js";
export { ferretdbArgs, ferretdbPaths } from "./ferretdb-server.js";
export { InfraError } from "./infra-error.js";
export { generateClusterId, renderLog4jProperties, renderServerProperties } from "./kafka-config.js";
export { probeKafka } from "./kafka-probe.js";
export { isKafkaProvisioned, kafkaPomPath, provisionKafka } from "./kafka-provisioning.js";
export { kafkaPaths } from "./kafka-server.js";
export {
  isOurServer,
  type LocalInfra,
  type LocalInfraOptions,
  type RunningServer,
  startLocalInfra,
  stopServers,
} from "./local-infra.js";
export { probeMongo } from "./mongo-probe.js";
export { assertPortsFree, findFreePorts, isPortFree, parsePort } from "./ports.js";
export { assertToolsInstalled, findExecutable, findJava } from "./prerequisites.js";
export { isProcessAlive, terminateProcess } from "./process-control.js";
export { createProgress, type Progress, type ProgressListener } from "./progress.js";
export {
  DEFAULT_KAFKA_CONTROLLER_PORT,
  DEFAULT_KAFKA_PORT,
  DEFAULT_MONGODB_PORT,
  kafkaBrokersFor,
  mongodbUriFor,
  PORT_ENV,
} from "./settings.js";
export { type InfraState, parseState, readStateFile, removeStateFile, writeStateFile } from "./state-file.js";
export { startThrowawayInfra, type ThrowawayInfraOptions } from "./throwaway-infra.js";
export { FERRETDB_VERSION, KAFKA_VERSION } from "./versions.js";
