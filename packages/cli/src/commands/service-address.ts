import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";

export const defaultIdentityAddress = "127.0.0.1:50052";
export const defaultScoringAddress = "127.0.0.1:50053";
export const defaultOfferAddress = "127.0.0.1:50054";

/** The gRPC services commands read, each with its option, its environment variable and `npm start`'s address. */
const services = {
  identity: { option: "identity", variable: "IDENTITY_GRPC_ADDRESS", fallback: defaultIdentityAddress },
  scoring: { option: "scoring", variable: "SCORING_GRPC_ADDRESS", fallback: defaultScoringAddress },
  offer: { option: "offer-service", variable: "OFFER_GRPC_ADDRESS", fallback: defaultOfferAddress },
} as const;

export type ServiceName = keyof typeof services;

/** The option that names the service's address, for parseArgs. */
export function addressOption<Service extends ServiceName>(service: Service) {
  return { [services[service].option]: { type: "string" } } as {
    [Option in (typeof services)[Service]["option"]]: { type: "string" };
  };
}

/** The address given by the service's option, else its environment variable, else `npm start`'s; checked. */
export function serviceAddress(
  service: ServiceName,
  values: Readonly<Record<string, unknown>>,
  { env }: Pick<CommandIo, "env">,
): string {
  const { option, variable, fallback } = services[service];
  const given = values[option];
  const address = (typeof given === "string" ? given : (env[variable] ?? fallback)).trim();
  if (!/^\S+:\d+$/.test(address)) {
    throw new UsageError(`${service}'s address "${address}" is not host:port, e.g. ${fallback}`);
  }
  return address;
}
