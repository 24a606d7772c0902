import { createServer, type Server } from "node:net";
import { InfraError } from "./infra-error.js";

/** Everything infra/ starts listens on loopback only. */
export const LOOPBACK = "127.0.0.1";

export interface PortClaim {
  port: number;
  /** What wants the port, e.g. "Kafka". */
  owner: string;
  /** The environment variable that moves it, named in the error when the port is taken. */
  envName?: string;
}

/** Reads a port from an environment variable, falling back to the default when unset. */
export function parsePort(raw: string | undefined, envName: string, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const port = Number(raw.trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InfraError(`${envName} must be a port number between 1 and 65535, got "${raw}"`);
  }
  return port;
}

export async function isPortFree(port: number): Promise<boolean> {
  try {
    const server = await listen(port);
    await close(server);
    return true;
  } catch {
    return false;
  }
}

/** Fails before anything starts when a port is taken (or claimed twice), naming the variable that moves it. */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other !== undefined) {
      throw new InfraError(
        `${claim.owner} and ${other} are both configured for port ${claim.port}${moveHint(claim)}`,
      );
    }
    seen.set(claim.port, claim.owner);
    if (!(await isPortFree(claim.port))) {
      throw new InfraError(
        `Port ${claim.port} (${claim.owner}) on ${LOOPBACK} is already in use${moveHint(claim)}`,
      );
    }
  }
}

/**
 * Ports the kernel considers free right now. All are held open until every one is chosen, so the
 * same port is never handed out twice; another process may still take one before it is used.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) servers.push(await listen(0));
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === "string")
        throw new Error("listening socket has no TCP address");
      return address.port;
    });
  } finally {
    await Promise.all(servers.map(close));
  }
}

function moveHint(claim: PortClaim): string {
  return claim.envName === undefined ? "" : `; set ${claim.envName} to use another port`;
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
