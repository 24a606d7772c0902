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
  },
  {
    name: "identity",
    entry: "services/identity/src/main.ts",
    httpPort: 8082,
    grpcPort: 50052,
    serves: { http: "admin: /healthz, /readyz, /metrics", grpc: "crm.v1.IdentityService" },
  },
];

const readyUrl = (service: ServiceSpec) => `http://127.0.0.1:${service.httpPort}/readyz`;

const root = fileURLToPath(new URL("..", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const infraCli = ["--conditions=source", "infra/src/cli.ts"];
const children: ChildProcess[] = [];
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

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("\nstopping the services…");
    await Promise.all(
      children
        .filter((child) => child.exitCode === null)
        .map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
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

  for (const service of services) {
    const child = spawn(tsx, ["--conditions=source", service.entry], {
      cwd: root,
      env: { ...env, HTTP_PORT: String(service.httpPort), GRPC_PORT: String(service.grpcPort) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    prefixed(service.name, child.stdout, process.stdout);
    prefixed(service.name, child.stderr, process.stderr);
    child.on("exit", (code) => {
      if (!stopping) {
        console.error(`${service.name} exited with code ${code}; stopping everything`);
        void stopAll(1);
      }
    });
  }
  await Promise.all(services.map((service, i) => waitUntilReady(service, children[i] as ChildProcess)));

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
