// Plain JavaScript on purpose: vitest.config.ts files are bundled with every bare import left
// external and then loaded by Node itself, which (on Node 20) cannot run TypeScript and knows
// nothing of our "source" export condition. Types: vitest-config.d.ts.
import { fileURLToPath } from "node:url";
import { defaultServerConditions } from "vite";
import { mergeConfig } from "vitest/config";

/** Vitest loads global setup files by path; Vite transpiles this one like any test file. */
export const globalSetupPath = fileURLToPath(new URL("./src/global-setup.ts", import.meta.url));

/**
 * Workspace packages export "source" → src/index.ts; resolving it first runs tests against the
 * TypeScript sources of every workspace dependency, with no build step in between.
 */
// "module" is left out: it points some packages (@opentelemetry/api) at builds meant for bundlers,
// whose extensionless imports Node cannot load.
const resolveConditions = [
  "source",
  ...defaultServerConditions.filter((condition) => condition !== "module"),
];

/**
 * The vitest configuration every Rapport package starts from, with two projects:
 * - unit: test/**\/*.test.ts, no infrastructure, default timeouts;
 * - integration: test/**\/*.int.test.ts against a real Kafka and FerretDB, provided by the global
 *   setup, which vitest runs only when an integration test is selected.
 * `vitest run --project unit` runs the fast tier alone.
 *
 * @param {import("vitest/config").ViteUserConfig} [overrides] merged over the defaults
 * @returns {import("vitest/config").ViteUserConfig}
 */
export function defineRapportVitestConfig(overrides = {}) {
  return mergeConfig(
    {
      resolve: { conditions: resolveConditions },
      ssr: { resolve: { conditions: resolveConditions } },
      // Vitest loads global setup files through its own "__vitest__" environment, which does not
      // inherit the conditions above; without this, global-setup.ts cannot import @rapport/infra.
      environments: { __vitest__: { resolve: { conditions: resolveConditions } } },
      test: {
        // Child processes, not worker threads: kafkajs and the MongoDB driver hold sockets and
        // timers that are reliably torn down only with their process.
        pool: "forks",
        // The root `test:unit` runs `--project unit` in every package, and some packages have only
        // integration tests; that is not a failure.
        passWithNoTests: true,
        // Stopping a throwaway Kafka is a controlled shutdown: seconds, not milliseconds.
        teardownTimeout: 60_000,
        projects: [
          {
            extends: true,
            test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.int.test.ts"] },
          },
          {
            extends: true,
            test: {
              name: "integration",
              include: ["test/**/*.int.test.ts"],
              globalSetup: [globalSetupPath],
              // Real brokers: a consumer group join or a first transaction takes seconds.
              testTimeout: 60_000,
              hookTimeout: 120_000,
            },
          },
        ],
      },
    },
    overrides,
  );
}
