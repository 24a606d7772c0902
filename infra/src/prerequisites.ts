import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { InfraError } from "./infra-error.js";

export type RequiredTool = "java" | "mvn" | "go" | "git" | "apt-get" | "dpkg-deb" | "python3";

const INSTALL_HINTS: Record<RequiredTool, string> = {
  java: "`java` (Java 17+, runs the Kafka broker): sudo apt-get install openjdk-17-jre-headless",
  mvn: "`mvn` (resolves the Kafka jars once): sudo apt-get install maven",
  go:
    "`go` (builds FerretDB once): sudo apt-get install golang-go" +
    " (Go 1.21 or newer; it fetches the Go 1.24 toolchain FerretDB needs by itself)",
  git: "`git` (applies the project's patch to FerretDB's source once): sudo apt-get install git",
  "apt-get":
    "`apt-get` and `apt-cache` (download Debian's docker-compose for the compose check once): a Debian bookworm machine",
  "dpkg-deb": "`dpkg-deb` (unpacks Debian's docker-compose once): sudo apt-get install dpkg",
  python3: "`python3` (3.11, runs docker-compose 1.29): sudo apt-get install python3",
};

/** The absolute path of an executable found on PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry; keep looking.
    }
  }
  return undefined;
}

/** The java that runs Kafka: JAVA_HOME's when set (as Kafka's own scripts do), else the one on PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const javaHome = env.JAVA_HOME;
  if (javaHome !== undefined && javaHome !== "") {
    const candidate = join(javaHome, "bin", "java");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // A stale JAVA_HOME: fall back to PATH rather than fail.
    }
  }
  return findExecutable("java", env);
}

/** Fails before anything starts, naming every missing tool and how to install it. */
export function assertToolsInstalled(
  tools: readonly RequiredTool[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  const missing = tools.filter((tool) =>
    tool === "java" ? findJava(env) === undefined : findExecutable(tool, env) === undefined,
  );
  if (missing.length === 0) return;
  throw new InfraError(`Missing ${missing.map((tool) => INSTALL_HINTS[tool]).join("; and ")}`);
}
