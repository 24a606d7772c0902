// `npm start`: the local Kafka and FerretDB (infra/), then every service, each as its own process.
// Prints the endpoints once all are ready; Ctrl-C stops the services, then the infra if it started it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

type ServiceSpec = {
  name: string;
  entry: string;
  /** The ports it is started on, whatever HTTP_PORT and GRPC_PORT the shell has: services share one env. */
  httpPort: number;
  grpcPort: number;
  /** What the HTTP port and the gRPC port serve, as printed once every service is ready. */
  serves: { http: string; grpc: string };
  /** Services that must be ready before this one is started. */
  startsAfter?: string[];
  /** Variables of its own on top of the shared env, e.g. where the services it calls listen. */
  env?: NodeJS.ProcessEnv;
};

const identity: ServiceSpec = {
  name: "identity",
  entry: "services/identity/src/main.ts",
  httpPort: 8082,
  grpcPort: 50052,
  serves: { http: "admin: /healthz, /readyz, /metrics", grpc: "crm.v1.IdentityService" },
};

const services: ServiceSpec[] = [
  {
    name: "ingestion",
    entry: "services/ingestion/src/main.ts",
    httpPort: 8080,
    grpcPort: 50051,
    serves: {
      http: "POST /v1/events, POST /v1/weblogs, /healthz, /readyz, /metrics",
      grpc: "crm.v1.IngestionService",
    },
    // Access-log lines with the visitor cookie after the user agent (as `npm run demo` sends them);
    // lines without that field are read as before.
    env: { WEBLOG_VISITOR_COOKIE_FIELD: process.env.WEBLOG_VISITOR_COOKIE_FIELD ?? "1" },
  },
  identity,
  {
    name: "scoring",
    entry: "services/scoring/src/main.ts",
    httpPort: 8083,
    grpcPort: 50053,
    serves: { http: "admin: /healthz, /readyz, /metrics", grpc: "crm.v1.CustomerService" },
    // GetCustomer by identifier asks identity which customer it is.
    startsAfter: [identity.name],
    env: { IDENTITY_GRPC_ADDRESS: `127.0.0.1:${identity.grpcPort}` },
  },
  {
    name: "offer",
    entry: "services/offer/src/main.ts",
    httpPort: 8084,
    grpcPort: 50054,
    serves: { http: "POST /v1/unsubscribe, /healthz, /readyz, /metrics", grpc: "crm.v1.OfferService" },
    // Every decision reads the customer's scores from scoring.
    startsAfter: ["scoring"],
    env: {
      SCORING_GRPC_ADDRESS: "127.0.0.1:50053",
      // A local secret for unsubscribe links; set your own in any shared environment.
      OFFER_UNSUBSCRIBE_SECRET: process.env.OFFER_UNSUBSCRIBE_SECRET ?? "local-development-only-secret",
    },
  },
];

const readyUrl = (service: ServiceSpec) => `http://127.0.0.1:${service.httpPort}/readyz`;

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const infraCli = ["--conditions=source", "infra/src/cli.ts"];
/** Each service process, and when its output has all been read (it may exit before that). */
const children: { child: ChildProcess; closed: Promise<void> }[] = [];
let startedInfra = false;
let stopping = false;

function infra(command: string): number {
  return (
    spawnSync(tsx, [...infraCli, command], { cwd: root, stdio: ["ignore", "inherit", "inherit"] }).status ?? 1
  );
}

function prefixed(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) {
  let pending = "";
  stream?.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function waitUntilReady(service: ServiceSpec, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${service.name} exited with code ${child.exitCode}; its log is above`);
    const ready = await fetch(readyUrl(service)).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${service.name} was not ready at ${readyUrl(service)} within 90 s`);
}

function startService(service: ServiceSpec, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(tsx, ["--conditions=source", service.entry], {
    cwd: root,
    env: {
      ...env,
      ...service.env,
      HTTP_PORT: String(service.httpPort),
      GRPC_PORT: String(service.grpcPort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push({ child, closed: new Promise((resolve) => child.once("close", () => resolve())) });
  prefixed(service.name, child.stdout, process.stdout);
  prefixed(service.name, child.stderr, process.stderr);
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${service.name} exited with code ${code}; stopping everything`);
      void stopAll(1);
    }
  });
  return child;
}

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("\nstopping the services…");
    // Ctrl-C reaches the services too, so some may have exited already; wait for the last lines
    // of every service's log before exiting.
    await Promise.all(
      children.map(({ child, closed }) => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
        return closed;
      }),
    );
    if (startedInfra) infra("down");
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INGESTION_WRITE_KEYS: process.env.INGESTION_WRITE_KEYS ?? "demo=rapport-dev-key",
  };
  if (!process.env.KAFKA_BROKERS || !process.env.MONGODB_URI) {
    const alreadyUp = spawnSync(tsx, [...infraCli, "status"], { cwd: root, stdio: "ignore" }).status === 0;
    if (!alreadyUp) {
      console.log(
        "starting the local Kafka and FerretDB (the first start builds them, which takes minutes)…",
      );
      if (infra("up") !== 0)
        throw new Error("the local infrastructure did not start; see the messages above");
      startedInfra = true;
    }
    env.KAFKA_BROKERS = "127.0.0.1:9092";
    env.MONGODB_URI = "mongodb://127.0.0.1:27017";
  }

  // Each service starts once those it starts after are ready; the others start at once.
  const readiness = new Map<string, Promise<void>>();
  for (const service of services) {
    const after = (service.startsAfter ?? []).map((name) => readiness.get(name));
    if (after.includes(undefined))
      throw new Error(`${service.name} starts after a service listed later or not at all`);
    readiness.set(
      service.name,
      Promise.all(after).then(() => {
        if (stopping) return;
        return waitUntilReady(service, startService(service, env));
      }),
    );
  }
  await Promise.all(readiness.values());

  console.log("\nRapport is running:");
  console.log(`  ${"Kafka".padEnd(11)}${env.KAFKA_BROKERS}`);
  console.log(`  ${"MongoDB".padEnd(11)}${env.MONGODB_URI}`);
  for (const service of services) {
    const http = `http://127.0.0.1:${service.httpPort}`;
    const grpc = `127.0.0.1:${service.grpcPort}`;
    console.log(`  ${service.name.padEnd(11)}HTTP  ${http.padEnd(24)}${service.serves.http}`);
    console.log(`  ${service.name.padEnd(11)}gRPC  ${grpc.padEnd(24)}${service.serves.grpc}`);
  }
  console.log(`  write keys: ${env.INGESTION_WRITE_KEYS}`);
  console.log("Press Ctrl-C to stop.\n");
}

main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
