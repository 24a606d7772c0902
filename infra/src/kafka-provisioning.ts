import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { provisioningLogDir } from "./cache-dir.js";
import { InfraError } from "./infra-error.js";
import type { Progress } from "./progress.js";
import { isProvisioned, provisionOnce } from "./provision-once.js";
import { runTool } from "./run-tool.js";
import { KAFKA_VERSION } from "./versions.js";

/** Lists the broker's jars; resolving it is the whole of "installing" Kafka. */
export const kafkaPomPath = fileURLToPath(new URL("../kafka/pom.xml", import.meta.url));

export interface KafkaInstall {
  /** The directory holding every jar on the broker's classpath. */
  libsDir: string;
}

/**
 * Keyed on the version and the pom's content: adding a jar to the pom provisions afresh instead
 * of silently reusing a classpath without it.
 */
export function kafkaInstallDir(cacheDir: string): string {
  const pomHash = createHash("sha256").update(readFileSync(kafkaPomPath)).digest("hex").slice(0, 10);
  return join(cacheDir, `kafka-${KAFKA_VERSION}-${pomHash}`);
}

export function isKafkaProvisioned(cacheDir: string): boolean {
  return isProvisioned(kafkaInstallDir(cacheDir));
}

/** Resolves the Kafka jars from Maven Central with `mvn` (once per version). */
export async function provisionKafka(cacheDir: string, progress: Progress): Promise<KafkaInstall> {
  const installDir = kafkaInstallDir(cacheDir);
  if (!isProvisioned(installDir)) {
    progress.step(`Kafka ${KAFKA_VERSION}: resolving the broker jars with Maven (first run only)`);
    await provisionOnce(installDir, async (scratchDir) => {
      const libsDir = join(scratchDir, "libs");
      await runTool({
        command: "mvn",
        // -B: no colours or interactive prompts in the captured output.
        args: [
          "-B",
          "-Dstyle.color=never",
          "-f",
          kafkaPomPath,
          "dependency:copy-dependencies",
          `-DoutputDirectory=${libsDir}`,
          "-DincludeScope=runtime",
        ],
        label: "Maven (Kafka jars)",
        logFile: join(provisioningLogDir(cacheDir), `kafka-${KAFKA_VERSION}.log`),
        progress,
        isProgressLine: (line) => line.includes("Downloaded from"),
      });
      const jars = (await readdir(libsDir)).filter((name) => name.endsWith(".jar")).sort();
      if (!jars.includes(`kafka_2.13-${KAFKA_VERSION}.jar`)) {
        throw new InfraError(`Maven finished but ${libsDir} holds no kafka_2.13-${KAFKA_VERSION}.jar`);
      }
      return { kafkaVersion: KAFKA_VERSION, jars };
    });
    progress.step(`Kafka ${KAFKA_VERSION}: jars cached in ${installDir}`);
  }
  return { libsDir: join(installDir, "libs") };
}
