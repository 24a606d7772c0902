export { type MetricSample, metricSamples, metricTotal } from "./exposition.js";
export { createLogger, type Logger } from "./logger.js";
export { Counter, createMetricsRegistry, Gauge, Histogram, type Registry } from "./metrics.js";
export { startTracing, type Tracing, type TracingOptions } from "./tracing.js";
