import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait-for.js";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
const running = new Set<ChildProcess>();

// However the test or benchmark ends, no service process outlives it.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

// A service's own settings are not inherited from the shell: every setting the caller does not
// pass is the production default.
const serviceSetting =
  /^(KAFKA_|MONGODB_|INGESTION_|IDENTITY_|OFFER_|SCORING_|GOLDEN_RECORD_|WEBLOG_|MAX_|OTEL_|DEFAULT_PHONE_REGION$|LOG_LEVEL$|HTTP_PORT$|GRPC_PORT$|BIND_ADDRESS$|INSTANCE_ID$)/;

function inheritedEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !serviceSetting.test(name)));
}

/** A loopback TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no free port");
  return address.port;
}

export type ServiceProcess = {
  pid: number;
  /** The HTTP server on HTTP_PORT (/healthz, /readyz, /metrics; ingestion's API too), e.g. http://127.0.0.1:41234. */
  httpUrl: string;
  /** The Prometheus exposition of /metrics; fails when the process has exited. */
  metrics(): Promise<string>;
  /** The end of what the process wrote to stdout and stderr. */
  output(): string;
  /** The exit code once the process has exited (null while it runs or when a signal ended it). */
  exitCode(): number | null;
  /** SIGTERM (a clean stop: offsets committed, spans flushed), then SIGKILL after 30 s; resolves when the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would end it; resolves when the process is gone. */
  kill(): Promise<void>;
};

export type ServiceProcessOptions = {
  /** The directory under services/, e.g. "ingestion". */
  service: string;
  /** The service's settings; BIND_ADDRESS and HTTP_PORT are set here, LOG_LEVEL is "error" unless given. */
  env: Record<string, string>;
  /** Write a V8 CPU profile (node --cpu-prof) into this directory when the process exits. */
  cpuProfileDir?: string | undefined;
};

/**
 * A service as its own Node.js process, as in production (node --import tsx, so the pid is the
 * service's own and no tsx wrapper process sits in between: a SIGKILL reaches the service itself).
 * Resolves once /readyz answers 200; rejects with the process's output when it exits first.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const httpPort = await freePort();
  const profileArgs = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  let output = "";
  const child = spawn(
    process.execPath,
    [...profileArgs, "--import", "tsx", "--conditions=source", "src/main.ts"],
    {
      cwd: `${repositoryRoot}services/${options.service}/`,
      env: {
        ...inheritedEnvironment(),
        // Nothing is logged while all is well (as with "silent"), but a failure still says why.
        LOG_LEVEL: "error",
        ...options.env,
        BIND_ADDRESS: "127.0.0.1",
        HTTP_PORT: String(httpPort),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exitError = () => new Error(`${options.service} exited with ${child.exitCode}:\n${output}`);

  const stop = async () => {
    if (hasExited()) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(killer);
  };
  const kill = async () => {
    if (hasExited()) return;
    child.kill("SIGKILL");
    await exited;
  };

  try {
    await waitFor(async () => hasExited() || (await fetch(`${httpUrl}/readyz`)).ok, {
      description: `the ${options.service} process to be ready`,
      timeoutMs: 120_000,
      intervalMs: 200,
    });
  } catch (error) {
    await stop();
    // What it wrote says why it never became ready.
    throw new Error(`${(error as Error).message}\n${options.service}'s output:\n${output}`);
  }
  if (hasExited()) throw exitError();

  return {
    pid: child.pid as number,
    httpUrl,
    async metrics() {
      if (hasExited()) throw exitError();
      return (await fetch(`${httpUrl}/metrics`)).text();
    },
    output: () => output,
    exitCode: () => child.exitCode,
    stop,
    kill,
  };
}
