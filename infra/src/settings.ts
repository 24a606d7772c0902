/** Default loopback ports (DESIGN §5) and the environment variables that move them. */
export const DEFAULT_KAFKA_PORT = 9092;
export const DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
export const DEFAULT_MONGODB_PORT = 27017;

export const PORT_ENV = {
  kafka: "KAFKA_PORT",
  kafkaController: "KAFKA_CONTROLLER_PORT",
  mongodb: "MONGODB_PORT",
} as const;

export function kafkaBrokersFor(port: number): string {
  return `127.0.0.1:${port}`;
}

export function mongodbUriFor(port: number): string {
  return `mongodb://127.0.0.1:${port}`;
}
