export { globalSetupPath } from "./global-setup-path.js";
export { type InfraEndpoints, infraEndpoints } from "./infra-endpoints.js";
export { type Brokers, createTopics, type TopicSpec } from "./kafka-topics.js";
export { metricSample } from "./metric-sample.js";
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "./otlp-receiver.js";
export { type ReadTopicOptions, readTopic, type TopicRecord } from "./read-topic.js";
export {
  freePort,
  type ServiceProcess,
  type ServiceProcessOptions,
  startServiceProcess,
} from "./service-process.js";
export { uniqueName } from "./unique-name.js";
export { type WaitForOptions, waitFor } from "./wait-for.js";
